using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;
using SmsHall.Core;
using SmsHall.Core.Catalogue;
using SmsHall.Core.Ports;
using SmsHall.OperatorConsole;

namespace SmsHall.Tests.Console;

/// <summary>The simulator: a conversation through the real pipeline on a private copy, nothing live touched.</summary>
public sealed class SimulatorTests
{
    [Theory]
    [MemberData(nameof(ConsoleSite.Screens), MemberType = typeof(ConsoleSite))]
    public async Task APlanChangeConfirmedInTheSimulatorLeavesTheLiveAccountAndLogAsTheyWere(int width, int height)
    {
        await using var site = await ConsoleSite.StartAsync();
        await site.Gateway.TextAsync("+15550000001", "bal"); // the live log is not empty
        var before = LiveRows(site);

        var page = await site.SignedInPageAsync("editor", width, height);
        await page.GotoAsync("/console/simulator");
        await page.SelectOptionAsync("#from", "demo:0"); // Alice Martin, SILVER
        var offer = await SendAsync(page, "plan gold");
        Assert.StartsWith("Change plan SILVER to GOLD", offer.Reply);
        Assert.Contains("command plan.change · match exact (plan) · language en", offer.Trace);
        Assert.Contains("segment(s) Gsm7", offer.Trace);
        var done = await SendAsync(page, "yes");
        Assert.StartsWith("Done: your plan is now GOLD", done.Reply);
        Assert.Contains("command confirm", done.Trace);
        // The session keeps its copy: the change stands there for the next message.
        Assert.Contains("GOLD", (await SendAsync(page, "plan")).Reply);
        var typo = await SendAsync(page, "blance");
        Assert.Contains("match fuzzy (balance) · language en · distance 1", typo.Trace);
        await ConsoleSite.ScreenshotAsync(page, "simulator");

        Assert.Equal("SILVER", site.Gateway.PlanOf("+15550000001"));
        Assert.Equal(before, LiveRows(site));
    }

    [Theory]
    [MemberData(nameof(ConsoleSite.Screens), MemberType = typeof(ConsoleSite))]
    public async Task AnEditorTextsAgainstTheirDraftAndAsAnyNumber(int width, int height)
    {
        await using var site = await ConsoleSite.StartAsync();
        var services = site.Gateway.Services;
        var served = services.GetRequiredService<ICatalogueHistory>().Find(1)!.Text;
        await services.GetRequiredService<ICatalogueDrafts>().SaveDraftAsync(
            "editor", served.Replace("- en aliases: BAL, CXYE", "- en aliases: BAL, CXYE, CASH"), 1, site.Gateway.Clock.Now);
        var before = LiveRows(site);

        var page = await site.SignedInPageAsync("editor", width, height);
        await page.GotoAsync("/console/simulator");
        await page.SelectOptionAsync("#from", "other");
        await page.FillAsync("#other", "+15550000003");
        Assert.DoesNotContain("Your balance is", (await SendAsync(page, "cash")).Reply);
        await page.SelectOptionAsync("#catalogue", "draft");
        var draft = await SendAsync(page, "cash");
        Assert.StartsWith("Your balance is $3.75", draft.Reply);
        Assert.Contains("command balance · match alias (cash)", draft.Trace);

        await page.FillAsync("#other", "12");
        await page.FillAsync("#body", "bal");
        await page.ClickAsync("#send");
        await page.WaitForSelectorAsync("#sim-error:not([hidden])");
        Assert.Equal("A number is + and 6 to 15 digits, as +15550000001.", await page.TextContentAsync("#sim-error"));
        Assert.Equal(before, LiveRows(site));
    }

    [Fact]
    public async Task AnOperatorKeepsAtMostTwoSessionsTheOldestIsDroppedWithItsCopy()
    {
        await using var site = await ConsoleSite.StartAsync();
        var simulator = site.Gateway.Services.GetRequiredService<Simulator>();
        var live = site.Gateway.Services.GetRequiredService<LiveCatalogue>().Catalogue;
        await simulator.TextAsync("viewer", "first", "+15550000001", "bal", live, default);
        var first = Assert.Single(simulator.Folders);
        foreach (var session in new[] { "second", "third" })
        {
            site.Gateway.Clock.Advance(TimeSpan.FromSeconds(1));
            await simulator.TextAsync("viewer", session, "+15550000001", "bal", live, default);
        }
        await simulator.TextAsync("editor", "mine", "+15550000001", "bal", live, default);

        Assert.Equal(3, simulator.Sessions); // the viewer's two newest, and the editor's
        Assert.False(Directory.Exists(first));
    }

    [Fact]
    public async Task CopiesArePrivateAndIdleSessionsAndACrashsLeftoversAreRemovedWithoutAMessage()
    {
        var leftover = ScratchFolders.NewPath("simulator");
        Directory.CreateDirectory(leftover);
        var file = Path.Combine(leftover, "session.db");
        File.WriteAllText(file, "left by a crash");
        File.SetLastWriteTimeUtc(file, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        Directory.SetLastWriteTimeUtc(leftover, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var fresh = ScratchFolders.NewPath("preview"); // another node's, in use
        Directory.CreateDirectory(fresh);
        try
        {
            await using var site = await ConsoleSite.StartAsync();
            var simulator = site.Gateway.Services.GetRequiredService<Simulator>();
            await simulator.TextAsync("editor", "s1", "+15550000001", "bal", site.Gateway.Services.GetRequiredService<LiveCatalogue>().Catalogue, default);
            var folder = Assert.Single(simulator.Folders);
            if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));

            using var scratch = new ConsoleScratch(simulator, site.Gateway.Clock, NullLogger<ConsoleScratch>.Instance) { Period = TimeSpan.FromMilliseconds(20) };
            await scratch.StartAsync(default);
            site.Gateway.Clock.Advance(Simulator.IdleFor);
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while ((simulator.Sessions > 0 || Directory.Exists(leftover)) && waited.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(20);
            await scratch.StopAsync(default);

            Assert.Equal(0, simulator.Sessions);
            Assert.False(Directory.Exists(folder));
            Assert.False(Directory.Exists(leftover));
            Assert.True(Directory.Exists(fresh));
        }
        finally
        {
            Directory.Delete(fresh);
            if (Directory.Exists(leftover)) Directory.Delete(leftover, recursive: true);
        }
    }

    [Fact]
    public async Task ASessionRemovedWhileItHandlesAMessageIsRemovedAfterIt()
    {
        await using var site = await ConsoleSite.StartAsync();
        var services = site.Gateway.Services;
        var gate = new GatedSnapshots(services.GetRequiredService<ISnapshotSource>());
        using var simulator = new Simulator(gate, services.GetRequiredService<HallOptions>(), site.Gateway.Clock, NullLogger<Simulator>.Instance);
        var sending = Task.Run(() => simulator.TextAsync("editor", "s1", "+15550000001", "bal", services.GetRequiredService<LiveCatalogue>().Catalogue, default));
        await gate.Entered.Task; // the session's copy is being made
        var folder = Assert.Single(simulator.Folders);

        site.Gateway.Clock.Advance(Simulator.IdleFor);
        var removing = Task.Run(simulator.RemoveIdle);
        await Task.WhenAny(removing, Task.Delay(500)); // give a removal that does not wait its chance to break the message
        gate.Open.SetResult();
        Assert.StartsWith("Your balance is", (await sending).Reply);
        await removing;
        Assert.Equal(0, simulator.Sessions);
        Assert.False(Directory.Exists(folder));
    }

    private sealed class GatedSnapshots(ISnapshotSource inner) : ISnapshotSource
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IEnumerable<SnapshotTable> Read(DateTimeOffset? since, DateTimeOffset? until)
        {
            Entered.TrySetResult();
            Open.Task.Wait();
            return inner.Read(since, until);
        }
    }

    private static async Task<(string Reply, string Trace)> SendAsync(IPage page, string text)
    {
        var received = await page.Locator("#chat .bubble.received").CountAsync();
        await page.FillAsync("#body", text);
        await page.ClickAsync("#send");
        var bubble = page.Locator("#chat .bubble.received").Nth(received);
        await bubble.WaitForAsync();
        var trace = (await bubble.Locator(".trace").TextContentAsync())!;
        return ((await bubble.TextContentAsync())![..^trace.Length], trace);
    }

    /// <summary>Rows of the live log and of the accounts a conversation could change.</summary>
    private static (long, long, long, long) LiveRows(ConsoleSite site)
    {
        using var db = site.Gateway.OpenDatabase();
        return (db.ExecuteScalar<long>("SELECT count(*) FROM inbound_messages"), db.ExecuteScalar<long>("SELECT count(*) FROM outbound_messages"),
            db.ExecuteScalar<long>("SELECT count(*) FROM plan_changes"), db.ExecuteScalar<long>("SELECT count(*) FROM pending_actions"));
    }
}
