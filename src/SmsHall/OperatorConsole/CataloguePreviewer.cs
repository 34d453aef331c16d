using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using SmsHall.Core;
using SmsHall.Core.Catalogue;
using SmsHall.Core.Diagnostics;
using SmsHall.Core.Ports;
using SmsHall.Replay;
using SmsHall.Storage;
using SmsHall.Storage.Sqlite;

namespace SmsHall.OperatorConsole;

/// <summary>How a reply differs between the served catalogue and the draft.</summary>
public enum ChangeKind
{
    NewlyUnderstood,
    NoLongerUnderstood,
    Reworded,
}

/// <summary>One recorded message whose reply the draft changes.</summary>
public sealed record PreviewChange(
    ChangeKind Kind, string From, string Body, DateTimeOffset At, string? ServedCommand, string? DraftCommand, string? Served, string? Draft);

/// <summary>What a preview found: every reply that differs (the page shows them a page at a time, the download all).</summary>
public sealed record PreviewResult(
    DateTimeOffset Since, DateTimeOffset Until, int Messages, int LeftOut, long? ServedVersion,
    Dictionary<ChangeKind, int> Counts, List<PreviewChange> Changes);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
[JsonSerializable(typeof(PreviewResult))]
[JsonSerializable(typeof(PreviewChange))]
internal sealed partial class PreviewJson : JsonSerializerContext;

/// <summary>
/// Previews a draft on real traffic: the last days of the message log replayed twice through replay's
/// own engine, from one snapshot of the live storage, once with the served catalogue and once with
/// the draft; the replies that differ between the two runs (not against the log, so balances and
/// dates that moved since are no noise). Runs in the background; its progress and result go to the
/// database, where any node reads them.
/// </summary>
public sealed class CataloguePreviewer(
    ICataloguePreviews previews, ICatalogueDrafts drafts, ISnapshotSource snapshots, ILogExport log, LiveCatalogue live,
    IOptions<CatalogueOptions> options, HallOptions hall, TimeProvider clock, IHostApplicationLifetime lifetime, ILogger<CataloguePreviewer> logger)
{
    public const int MaxMessages = 100_000;
    public const int MaxDays = 90;

    // A running preview not heard from for this long was on a node that stopped: it is failed, not left "running".
    private static readonly TimeSpan Silent = TimeSpan.FromMinutes(2);

    /// <summary>How often a running preview writes its progress, in every phase: far inside <see cref="Silent"/>.</summary>
    public static readonly TimeSpan HeartbeatEvery = TimeSpan.FromSeconds(1);

    /// <summary>The phase of a preview waiting for this node's preview slot.</summary>
    public const string Queued = "queued";

    // One preview at a time on a node: each is two replays of up to 100,000 messages, beside the webhook's traffic.
    private readonly SemaphoreSlim _slot = new(1, 1);

    private readonly ConcurrentDictionary<string, byte> _folders = new();

    /// <summary>The scratch folders of the previews this node runs now.</summary>
    internal IReadOnlyCollection<string> Folders => _folders.Keys.ToList();

    public async Task<(long? Id, string? Problem)> StartAsync(string author, int days, CancellationToken ct)
    {
        if (days is < 1 or > MaxDays) return (null, $"Choose from 1 to {MaxDays} days.");
        if (await drafts.FindDraftAsync(author, ct) is not { } draft) return (null, "There is no draft to preview: edit the catalogue first.");
        var (catalogue, problems) = CommandCatalogue.Check("draft", draft.Text, options.Value.SegmentBudget);
        if (catalogue is null)
            return (null, $"The draft has {problems.Count(p => p.Severity == Severity.Error)} error(s); fix them before previewing.");
        await LatestAsync(author, ct); // a preview left running by a stopped node is failed first
        var id = await previews.StartPreviewAsync(author, days, clock.GetUtcNow(), ct);
        if (id is null) return (null, "A preview of yours is running already: wait for it to finish.");
        var served = live.Current;
        _ = Task.Run(() => RunAsync(id.Value, days, served.Catalogue, served.Version, catalogue, lifetime.ApplicationStopping), CancellationToken.None);
        return (id, null);
    }

    /// <summary>The operator's newest preview; one silent for too long is recorded as failed.</summary>
    public async Task<PreviewRun?> LatestAsync(string author, CancellationToken ct)
    {
        var run = await previews.LatestPreviewAsync(author, ct);
        if (run is not { State: PreviewState.Running } || clock.GetUtcNow() - run.UpdatedAt < Silent) return run;
        await previews.FailPreviewAsync(run.Id, "The node running this preview stopped answering; start it again.", clock.GetUtcNow(), ct);
        return await previews.LatestPreviewAsync(author, ct);
    }

    private async Task RunAsync(long id, int days, CommandCatalogue served, long? servedVersion, CommandCatalogue draft, CancellationToken stopping)
    {
        // Replays are no traffic: up to 2 × 100,000 messages, traced under the POST that started them, would flood the exporter.
        Activity.Current = null;
        using var quiet = HallTracing.Suppress();
        var scratch = ScratchFolders.NewPath("preview");
        _folders[scratch] = 0;
        using var run = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var ct = run.Token;
        var beat = new Beat();
        var beating = BeatAsync(id, beat, run);
        // A new phase is written at once, and the run goes on only while its row is still running.
        async Task PhaseAsync(double progress, string phase)
        {
            beat.Set(progress, phase);
            if (await previews.ProgressPreviewAsync(id, progress, phase, clock.GetUtcNow(), ct)) return;
            beat.Ended = true;
            await run.CancelAsync();
            ct.ThrowIfCancellationRequested();
        }

        var slot = false;
        try
        {
            // Queued, its heartbeat keeps it from being taken for one whose node stopped.
            await PhaseAsync(0, Queued);
            await _slot.WaitAsync(ct);
            slot = true;
            ScratchFolders.Create(scratch);
            var until = clock.GetUtcNow();
            var since = until.AddDays(-days);

            await PhaseAsync(0.01, "taking a snapshot");
            // Accounts only: replay starts each copy from the snapshot without the messages it replays.
            var snapshot = Path.Combine(scratch, "snapshot.db");
            SqliteSnapshot.Write(snapshot, snapshots.Read(until, until));

            await PhaseAsync(0.05, "reading the message log");
            var inLog = log.Read(since, until, null).Count();
            var leftOut = Math.Max(0, inLog - MaxMessages);
            var input = Path.Combine(scratch, "log.jsonl");
            using (var writer = new StreamWriter(input))
                new LogExportWriter(new Newest(log, leftOut)).Write(writer, since, until, null, ct);

            var first = await ReplayAsync(beat, PhaseAsync, served, snapshot, input, Path.Combine(scratch, "served.db"), "replaying with the served catalogue", 0.1, until, ct);
            var second = await ReplayAsync(beat, PhaseAsync, draft, snapshot, input, Path.Combine(scratch, "draft.db"), "replaying with the draft", 0.55, until, ct);

            await PhaseAsync(0.98, "comparing");
            var counts = Enum.GetValues<ChangeKind>().ToDictionary(k => k, _ => 0);
            var changes = new List<PreviewChange>();
            foreach (var pair in ReplayComparison.Differences(first, second, since))
            {
                ct.ThrowIfCancellationRequested();
                var kind = Kind(pair.FirstCommand, pair.SecondCommand);
                counts[kind]++;
                changes.Add(new PreviewChange(kind, pair.From, pair.Body, pair.At, pair.FirstCommand, pair.SecondCommand, pair.FirstReply, pair.SecondReply));
            }
            var result = new PreviewResult(since, until, inLog - leftOut, leftOut, servedVersion, counts, changes);
            await previews.FinishPreviewAsync(id, JsonSerializer.Serialize(result, PreviewJson.Default.PreviewResult), clock.GetUtcNow(), CancellationToken.None);
        }
        catch (Exception) when (beat.Ended)
        {
            logger.LogInformation("Catalogue preview {Id} was ended elsewhere (failed as silent); it stopped", id);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Catalogue preview {Id} failed", id);
            var error = stopping.IsCancellationRequested ? "The gateway stopped during this preview; start it again." : $"The preview failed: {e.Message}";
            try
            {
                await previews.FailPreviewAsync(id, error, clock.GetUtcNow(), CancellationToken.None);
            }
            catch (Exception again)
            {
                // The database cannot be written either: the preview will be failed as silent when next looked at.
                logger.LogError(again, "Could not record that catalogue preview {Id} failed", id);
            }
        }
        finally
        {
            if (slot) _slot.Release();
            await run.CancelAsync();
            await beating;
            ScratchFolders.Delete(scratch, logger);
            _folders.TryRemove(scratch, out _);
        }
    }

    /// <summary>
    /// The preview's heartbeat: its progress written every <see cref="HeartbeatEvery"/> whatever phase
    /// it is in (a snapshot or a log export says nothing while it works), so that it is not taken for
    /// one whose node stopped; and its run cancelled once its row has ended (failed as silent).
    /// </summary>
    private async Task BeatAsync(long id, Beat beat, CancellationTokenSource run)
    {
        while (!run.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(HeartbeatEvery, clock, run.Token);
                var (progress, phase) = beat.Now;
                if (await previews.ProgressPreviewAsync(id, progress, phase, clock.GetUtcNow(), run.Token)) continue;
                beat.Ended = true;
                await run.CancelAsync();
            }
            catch (OperationCanceledException) when (run.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database is out of reach for now: the next beat tries again (silent for long, the run is failed).
                logger.LogWarning("Catalogue preview {Id} could not record its progress: {Error}", id, e.Message);
            }
        }
    }

    /// <summary>One run through replay's engine, its database kept for the comparison.</summary>
    private async Task<string> ReplayAsync(
        Beat beat, Func<double, string, Task> phaseAsync, CommandCatalogue catalogue, string snapshot, string input, string keep, string phase, double from,
        DateTimeOffset now, CancellationToken ct)
    {
        await phaseAsync(from, phase);
        var settings = new ReplaySettings(snapshot, catalogue, hall, new ReplyMatcher([]), now, Path.GetDirectoryName(keep)!, keep);
        await new Replayer(settings).RunAsync([ReplayInput.Open(input, InputFormat.Log)], new BadLines(skip: true), false,
            (_, fraction) => beat.Set(from + 0.43 * fraction, phase), ct);
        if (!File.Exists(keep)) File.Copy(snapshot, keep); // nothing to replay: an empty run
        return keep;
    }

    /// <summary>Where a run stands, set by its work and written by its heartbeat.</summary>
    private sealed class Beat
    {
        private readonly Lock _lock = new();
        private (double Progress, string Phase) _now = (0, "starting");

        public (double Progress, string Phase) Now
        {
            get { lock (_lock) return _now; }
        }

        /// <summary>The run's row ended elsewhere: the run stops without recording anything.</summary>
        public volatile bool Ended;

        public void Set(double progress, string phase)
        {
            lock (_lock) _now = (progress, phase);
        }
    }

    /// <summary>"queued", "running", "done" or "failed", as the page shows it.</summary>
    public static string StateOf(PreviewRun run) =>
        run is { State: PreviewState.Running, Phase: Queued } ? "queued" : run.State.ToString().ToLowerInvariant();

    private static ChangeKind Kind(string? served, string? draft) => (Understood(served), Understood(draft)) switch
    {
        (false, true) => ChangeKind.NewlyUnderstood,
        (true, false) => ChangeKind.NoLongerUnderstood,
        _ => ChangeKind.Reworded,
    };

    private static bool Understood(string? command) => command is not (null or "unknown");

    /// <summary>The log with its oldest messages left out: a window past the limit previews its newest messages.</summary>
    private sealed class Newest(ILogExport inner, int skip) : ILogExport
    {
        public IEnumerable<ExportedMessage> Read(DateTimeOffset? since, DateTimeOffset? until, string? number) =>
            inner.Read(since, until, number).Skip(skip);
    }
}
