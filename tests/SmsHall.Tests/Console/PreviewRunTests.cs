using Microsoft.Extensions.DependencyInjection;
using SmsHall.Core.Ports;
using SmsHall.OperatorConsole;
using SmsHall.Storage.Sqlite;

namespace SmsHall.Tests.Console;

/// <summary>How previews run on a node: a heartbeat in every phase, one at a time, stopped once failed elsewhere.</summary>
public sealed class PreviewRunTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task APreviewSilentInALongPhaseStaysRunningAndStopsOnceFailedElsewhere()
    {
        var snapshots = new GatedSnapshots();
        var log = new CountedLog();
        await using var site = await StartAsync(snapshots, log);
        var previewer = site.Gateway.Services.GetRequiredService<CataloguePreviewer>();
        var previews = site.Gateway.Services.GetRequiredService<ICataloguePreviews>();
        await SaveDraftAsync(site, "editor");

        var (id, problem) = await previewer.StartAsync("editor", 7, default);
        Assert.Null(problem);
        await snapshots.Entered.WaitAsync(Bound); // the snapshot takes long: nothing is written while it is taken

        // Past the two minutes after which a silent preview is taken for one whose node stopped.
        site.Gateway.Clock.Advance(TimeSpan.FromMinutes(3));
        var heard = site.Gateway.Clock.Now;
        await UntilAsync(async () => (await previews.LatestPreviewAsync("editor"))!.UpdatedAt >= heard);
        var running = (await previewer.LatestAsync("editor", default))!;
        Assert.Equal((id, PreviewState.Running, "taking a snapshot"), (running.Id, running.State, running.Phase));

        // Failed elsewhere (as another node saw it): the runner stops rather than replaying for nothing.
        var folder = Assert.Single(previewer.Folders);
        Assert.True(await previews.FailPreviewAsync(id!.Value, "failed elsewhere", site.Gateway.Clock.Now));
        snapshots.Open.Set();
        await UntilAsync(() => Task.FromResult(previewer.Folders.Count == 0));
        Assert.Equal(0, log.Reads);
        Assert.False(Directory.Exists(folder));
        var failed = (await previewer.LatestAsync("editor", default))!;
        Assert.Equal((PreviewState.Failed, "failed elsewhere"), (failed.State, failed.Error));
    }

    [Fact]
    public async Task ANodeRunsOnePreviewAtATimeAndTheNextWaitsQueuedWithoutBeingFailed()
    {
        var snapshots = new GatedSnapshots();
        await using var site = await StartAsync(snapshots, new CountedLog());
        var previewer = site.Gateway.Services.GetRequiredService<CataloguePreviewer>();
        var previews = site.Gateway.Services.GetRequiredService<ICataloguePreviews>();
        await SaveDraftAsync(site, "editor");
        await SaveDraftAsync(site, "admin");

        Assert.Null((await previewer.StartAsync("editor", 7, default)).Problem);
        await snapshots.Entered.WaitAsync(Bound);
        Assert.Null((await previewer.StartAsync("admin", 7, default)).Problem);
        await UntilAsync(async () => (await previews.LatestPreviewAsync("admin"))!.Phase == CataloguePreviewer.Queued);

        // Queued for longer than a silent preview may be, it is not failed: its heartbeat goes on.
        site.Gateway.Clock.Advance(TimeSpan.FromMinutes(3));
        var heard = site.Gateway.Clock.Now;
        await UntilAsync(async () => (await previews.LatestPreviewAsync("admin"))!.UpdatedAt >= heard);
        var queued = (await previewer.LatestAsync("admin", default))!;
        Assert.Equal((PreviewState.Running, "queued"), (queued.State, CataloguePreviewer.StateOf(queued)));
        Assert.Equal(1, snapshots.Reads); // the second has not begun

        var url = site.BaseAddress.ToString().TrimEnd('/');
        using var admin = new ConsoleClient();
        await admin.SignInAsync(url, "admin");
        var html = await (await admin.GetAsync(url + "/console/catalogue")).Content.ReadAsStringAsync();
        Assert.Contains("data-state=\"queued\"", html);
        Assert.Contains("Queued: this node runs one preview at a time", html);
        using var polled = await admin.GetAsync(url + "/console/catalogue?handler=Preview");
        Assert.Contains("\"state\":\"queued\"", await polled.Content.ReadAsStringAsync());

        snapshots.Open.Set();
        await UntilAsync(async () => (await previewer.LatestAsync("admin", default))!.State != PreviewState.Running);
        Assert.Equal(PreviewState.Done, (await previewer.LatestAsync("editor", default))!.State);
        Assert.Equal(PreviewState.Done, (await previewer.LatestAsync("admin", default))!.State);
        Assert.Equal(2, snapshots.Reads);
    }

    private static Task<ConsoleSite> StartAsync(GatedSnapshots snapshots, CountedLog log) => ConsoleSite.StartAsync(services =>
    {
        services.AddSingleton<ISnapshotSource>(sp => snapshots.Over(ActivatorUtilities.CreateInstance<SqliteSnapshot>(sp)));
        services.AddSingleton<ILogExport>(sp => log.Over(ActivatorUtilities.CreateInstance<SqliteLogExport>(sp)));
    });

    private static async Task SaveDraftAsync(ConsoleSite site, string author)
    {
        var services = site.Gateway.Services;
        var served = services.GetRequiredService<ICatalogueHistory>().Find(1)!.Text;
        await services.GetRequiredService<ICatalogueDrafts>().SaveDraftAsync(author, served + "\n", 1, site.Gateway.Clock.Now);
    }

    /// <summary>Waits for a condition the preview's own threads bring about; a run that never does fails the test.</summary>
    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(waited.Elapsed < Bound, "the preview never got there");
            await Task.Delay(50);
        }
    }

    /// <summary>The live snapshot, held at the gate until the test opens it: a snapshot that takes long.</summary>
    private sealed class GatedSnapshots : ISnapshotSource
    {
        private ISnapshotSource? _inner;
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _reads;

        public int Reads => _reads;

        public ManualResetEventSlim Open { get; } = new();
        public Task Entered => _entered.Task;

        public GatedSnapshots Over(ISnapshotSource inner)
        {
            _inner = inner;
            return this;
        }

        public IEnumerable<SnapshotTable> Read(DateTimeOffset? since, DateTimeOffset? until)
        {
            Interlocked.Increment(ref _reads);
            _entered.TrySetResult();
            Open.Wait(Bound);
            return _inner!.Read(since, until);
        }
    }

    /// <summary>The live message log, counting how often a preview reads it.</summary>
    private sealed class CountedLog : ILogExport
    {
        private ILogExport? _inner;
        private int _reads;

        public int Reads => _reads;

        public CountedLog Over(ILogExport inner)
        {
            _inner = inner;
            return this;
        }

        public IEnumerable<ExportedMessage> Read(DateTimeOffset? since, DateTimeOffset? until, string? number)
        {
            Interlocked.Increment(ref _reads);
            return _inner!.Read(since, until, number);
        }
    }
}
