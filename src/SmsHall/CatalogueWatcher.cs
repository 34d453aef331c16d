using Microsoft.Extensions.Options;
using SmsHall.Core.Catalogue;

namespace SmsHall;

/// <summary>Where the catalogue is and how long its replies may be (section "Catalogue" of appsettings.json).</summary>
public sealed class CatalogueOptions
{
    public string Path { get; set; } = "commands.md";

    /// <summary>The SMS segments one reply may need at most; the catalogue check holds every template to it.</summary>
    public int SegmentBudget { get; set; } = CommandCatalogue.DefaultSegmentBudget;

    public CommandCatalogue Load() => CommandCatalogue.Load(Path, SegmentBudget);
}

/// <summary>
/// Reloads commands.md when an operator saves it. A catalogue that passes its check replaces the
/// serving one in one step; one that fails is logged with every error, shown at /health, and the
/// last good one keeps answering.
/// </summary>
public sealed class CatalogueWatcher(
    LiveCatalogue live, IOptions<CatalogueOptions> options, TimeProvider clock, ILogger<CatalogueWatcher> log) : BackgroundService
{
    // Editors save in several writes (truncate, write, rename); the reload waits for them to settle.
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var path = Path.GetFullPath(options.Value.Path);
        var changes = System.Threading.Channels.Channel.CreateBounded<bool>(
            new System.Threading.Channels.BoundedChannelOptions(1) { FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite });
        using var watcher = new FileSystemWatcher(Path.GetDirectoryName(path)!, Path.GetFileName(path))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        watcher.Changed += (_, _) => changes.Writer.TryWrite(true);
        watcher.Created += (_, _) => changes.Writer.TryWrite(true);
        watcher.Renamed += (_, _) => changes.Writer.TryWrite(true);
        watcher.EnableRaisingEvents = true;

        var serving = ReadOrNull(path);
        try
        {
            while (await changes.Reader.ReadAsync(stoppingToken))
            {
                await Task.Delay(Settle, clock, stoppingToken);
                // A write noticed during the wait stays queued, so the file is looked at once more after
                // this: a slow save still caught half-written here is read whole then.
                var text = ReadOrNull(path);
                if (text is null || text == serving) continue;
                serving = text;
                Reload(path, text);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Reload(string path, string text)
    {
        var now = clock.GetUtcNow();
        var (catalogue, problems) = CommandCatalogue.Check(options.Value.Path, text, options.Value.SegmentBudget);
        if (catalogue is null)
        {
            var errors = problems.Where(p => p.Severity == Severity.Error).ToList();
            live.Reject(errors, now);
            log.LogError("The edit to {Path} was rejected; the previous catalogue keeps serving. {Errors}",
                path, string.Join(Environment.NewLine, errors));
            return;
        }
        live.Accept(catalogue, now);
        log.LogInformation("Reloaded {Path}: {Languages}, {Keywords} keywords", path,
            string.Join(", ", catalogue.Languages), catalogue.Lexicon.Keywords.Count);
        foreach (var warning in catalogue.Warnings) log.LogWarning("{Warning}", warning);
    }

    private string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.LogWarning("Could not read {Path} ({Reason}); the previous catalogue keeps serving", path, e.Message);
            return null;
        }
    }
}
