using SmsHall.Core.Catalogue;

namespace SmsHall;

/// <summary>
/// Reloads commands.md when an operator saves it. A catalogue that passes its check is stored as a
/// new version and replaces the serving one in one step; one that fails (or a file that is deleted
/// or cannot be read) is logged with every error, shown at /health, and the last good one keeps answering.
/// </summary>
public sealed class CatalogueWatcher(
    LiveCatalogue live, CatalogueSource source, TimeProvider clock, ILogger<CatalogueWatcher> log) : BackgroundService
{
    // Editors save in several writes (truncate, write, rename); the reload waits for them to settle.
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var path = Path.GetFullPath(source.Path);
        var changes = System.Threading.Channels.Channel.CreateBounded<bool>(
            new System.Threading.Channels.BoundedChannelOptions(1) { FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite });
        using var watcher = new FileSystemWatcher(Path.GetDirectoryName(path)!, Path.GetFileName(path))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        watcher.Changed += (_, _) => changes.Writer.TryWrite(true);
        watcher.Created += (_, _) => changes.Writer.TryWrite(true);
        watcher.Deleted += (_, _) => changes.Writer.TryWrite(true);
        watcher.Renamed += (_, _) => changes.Writer.TryWrite(true);
        watcher.EnableRaisingEvents = true;

        // An edit saved between start-up and this point has raised no event: look once now.
        changes.Writer.TryWrite(true);
        try
        {
            while (await changes.Reader.ReadAsync(stoppingToken))
            {
                await Task.Delay(Settle, clock, stoppingToken);
                // A write noticed during the wait stays queued, so the file is looked at once more after
                // this: a slow save still caught half-written here is read whole then.
                try
                {
                    Report(path, source.Refresh(live));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The database could not store the version (it is full, say): what serves stays.
                    log.LogError(e, "Could not take in {Path}; catalogue version {Version} keeps serving", path, live.Current.Version);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Report(string path, Reload reload)
    {
        switch (reload.Outcome)
        {
            case ReloadOutcome.Rejected:
                log.LogError("{Path} was rejected; catalogue version {Version} keeps serving. {Errors}",
                    path, live.Current.Version, string.Join(Environment.NewLine, reload.Problems));
                break;
            case ReloadOutcome.Accepted:
                log.LogInformation("Reloaded {Path} as catalogue version {Version}: {Languages}, {Keywords} keywords", path,
                    reload.Version!.Number, string.Join(", ", live.Catalogue.Languages), live.Catalogue.Lexicon.Keywords.Count);
                foreach (var warning in reload.Problems) log.LogWarning("{Warning}", warning);
                break;
        }
    }
}
