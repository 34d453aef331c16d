using System.Globalization;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SmsHall.Core.Ports;
using SmsHall.Notices;

namespace SmsHall.Tests;

/// <summary>
/// The gateway in TwiML mode with a Twilio account and sender of its own, so the notices it writes
/// go to a Twilio stand-in; the demo data as of the test clock (2026-11-22 10:00 UTC). Notices wait
/// until the test is ready (it holds the "notices" lease from start until <see cref="OpenAsync"/>).
/// </summary>
public sealed class NoticeGateway : IAsyncDisposable
{
    public const string Sender = "+15005550006";
    public const string Bob = DemoData.PostpaidNumber;
    public const string Chen = "+15550000003";
    public const string Dariush = "+15550000005";
    private const string Gate = "test";

    private NoticeGateway(TestGateway gateway, TwilioStandIn twilio)
    {
        Gateway = gateway;
        Twilio = twilio;
    }

    public TestGateway Gateway { get; }
    public TwilioStandIn Twilio { get; }
    public TestClock Clock => Gateway.Clock;

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(0.5);

    // The lease each pass renews: three intervals and five seconds (NoticeScheduler).
    private static readonly TimeSpan LeaseLength = Interval * 3 + TimeSpan.FromSeconds(5);

    public static Task<NoticeGateway> StartAsync(params string[] settings) => StartAsync(_ => { }, settings);

    public static async Task<NoticeGateway> StartAsync(Action<IServiceCollection> overrides, params string[] settings)
    {
        var twilio = await TwilioStandIn.StartAsync(RestGateway.AccountSid, TestGateway.AuthToken);
        var gateway = await TestGateway.StartAsync(
            services =>
            {
                // Started right after the notice scheduler, well before its first pass (one interval later).
                services.AddSingleton<IHostedService>(sp => new HeldLease(sp.GetRequiredService<ILeases>(), sp.GetRequiredService<TimeProvider>()));
                overrides(services);
            },
            [
                $"--Twilio:AccountSid={RestGateway.AccountSid}",
                $"--Twilio:ApiBaseUrl={twilio.BaseUrl}",
                $"--Twilio:From={Sender}",
                "--Twilio:SegmentsPerSecond=10000",
                "--Outbox:PollMilliseconds=50",
                $"--Notices:IntervalSeconds={Interval.TotalSeconds.ToString(CultureInfo.InvariantCulture)}",
                .. settings,
            ]);
        return new NoticeGateway(gateway, twilio);
    }

    /// <summary>Lets notice passes run.</summary>
    public Task OpenAsync() => Gateway.Services.GetRequiredService<ILeases>().ReleaseAsync(NoticeScheduler.Lease, Gate);

    /// <summary>Moves the clock on a second and waits until two passes have run since (the second began after the first ended).</summary>
    public async Task PassesAsync(int passes = 2)
    {
        for (var i = 0; i < passes; i++)
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            var renewed = Clock.Now + LeaseLength;
            await Eventually(() => LeaseExpiry() >= renewed, "a notice pass to run");
        }
    }

    private DateTimeOffset? LeaseExpiry()
    {
        using var db = Gateway.OpenDatabase();
        var text = db.ExecuteScalar<string?>("SELECT expires_at FROM leases WHERE name = @name", new { name = NoticeScheduler.Lease });
        return text is null ? null : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
    }

    /// <summary>Waits until the outbox holds nothing due that is not sent or dropped.</summary>
    public Task DrainedAsync() => Eventually(() =>
    {
        using var db = Gateway.OpenDatabase();
        return db.ExecuteScalar<long>(
            "SELECT COUNT(*) FROM outbound_messages o JOIN outbox x ON x.id = o.id WHERE o.purpose = 'notice' AND o.status = 'pending' AND (x.not_before IS NULL OR x.not_before <= @now)",
            new { now = Clock.Now.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) }) == 0;
    }, "the due notices to be sent");

    /// <summary>What reached the stand-in for a number, in order.</summary>
    public IReadOnlyList<string> SentTo(string number) => [.. Twilio.Sent.Where(s => s.To == number).Select(s => s.Body)];

    /// <summary>The notices written for a number: their reason and status.</summary>
    public IReadOnlyList<(string Reason, string Status)> Notices(string number)
    {
        using var db = Gateway.OpenDatabase();
        return [.. db.Query<(string, string)>("SELECT reason, status FROM outbound_messages WHERE to_number = @number AND purpose = 'notice' ORDER BY reason", new { number })];
    }

    public static async Task Eventually(Func<bool> condition, string what)
    {
        for (var waited = TimeSpan.Zero; waited < TimeSpan.FromSeconds(30); waited += TimeSpan.FromMilliseconds(50))
        {
            if (condition()) return;
            await Task.Delay(50);
        }
        Assert.Fail($"waited 30 s for {what}");
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Twilio.DisposeAsync();
    }

    /// <summary>Holds the notices lease from start, for long, so the test decides when passes begin.</summary>
    private sealed class HeldLease(ILeases leases, TimeProvider clock) : IHostedService
    {
        public Task StartAsync(CancellationToken ct) => leases.TryTakeAsync(NoticeScheduler.Lease, Gate, clock.GetUtcNow(), TimeSpan.FromDays(1), ct);

        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    }
}

/// <summary>Notices from the account data with an injected clock: each event once, quiet hours, the daily cap, refusals, STOP.</summary>
public class NoticeTests
{
    private const string Bob = NoticeGateway.Bob;
    private const string Chen = NoticeGateway.Chen;
    private const string Dariush = NoticeGateway.Dariush;

    [Fact]
    public async Task EachEventGivesOneNoticeInTheSubscribersLanguageAndOnlyOnceOverManyPasses()
    {
        await using var n = await NoticeGateway.StartAsync();
        Assert.NotNull(await n.Gateway.TextAsync(Chen, "LANG ZH"));
        await n.OpenAsync();
        await n.PassesAsync(4);
        await n.DrainedAsync();

        Assert.Equal(
            ["Your 2026-10 bill of $45.00 was due on 2026-11-20 and is 2 days overdue. Please pay it soon. ALERTS OFF BILL stops these notices."],
            n.SentTo(Bob));
        Assert.Equal(
            [
                "您有150积分将于2026-12-02过期。发送“兑换”使用积分。发送“关闭提醒 积分”不再接收此类提醒。",
                "您的余额不足：$3.75。发送“充值”加充值券密码即可充值。发送“关闭提醒 余额”不再接收此类提醒。",
                "本周期您已使用流量900 MB，共1 GB。发送“流量包”查看加油包。发送“关闭提醒 流量”不再接收此类提醒。",
            ],
            n.SentTo(Chen).Order(StringComparer.Ordinal));
        Assert.Equal(["Your balance is low: $0.00. Text TOPUP and a voucher code to top up. ALERTS OFF BALANCE stops these notices."], n.SentTo(Dariush));
        Assert.Equal(5, n.Twilio.Sent.Count);
        Assert.All(n.Twilio.Sent, s => Assert.Equal(NoticeGateway.Sender, s.From));
        Assert.Equal(["balance-low since 2026-11-16", "data-80 2026-11-01", "points-expiring 2026-12-02"], n.Notices(Chen).Select(r => r.Reason));
    }

    [Fact]
    public async Task APassQueuesNoMoreThanItsShareAndTheRestGoInLaterPassesOnceEach()
    {
        // The test keeps the lease: the scheduler stays out, and the passes are run here by hand.
        await using var n = await NoticeGateway.StartAsync();
        var run = n.Gateway.Services.GetRequiredService<SmsHall.Core.Notices.NoticeRun>();
        var catalogue = n.Gateway.Services.GetRequiredService<SmsHall.Core.Catalogue.LiveCatalogue>().Catalogue;
        var queued = new List<int>();
        for (var pass = 0; pass < 4; pass++)
            queued.Add((await run.RunAsync(catalogue, NoticeGateway.Sender, n.Clock.Now, max: 2, CancellationToken.None)).Queued);
        Assert.Equal([2, 2, 1, 0], queued); // the demo data's five notices, two a pass
        Assert.Equal(3, n.Notices(Chen).Count);
    }

    [Fact]
    public async Task AtNightANoticeWaitsForTheMorningAndOneRefusedMeanwhileIsNotSent()
    {
        await using var n = await NoticeGateway.StartAsync();
        n.Clock.Now = new DateTimeOffset(2026, 11, 22, 22, 0, 0, TimeSpan.Zero); // quiet hours: 21:00-08:00
        await n.OpenAsync();
        await n.PassesAsync();
        await n.DrainedAsync();
        Assert.Empty(n.Twilio.Sent);
        Assert.Equal(3, n.Notices(Chen).Count);
        using (var db = n.Gateway.OpenDatabase())
            Assert.Equal(["2026-11-23T08:00:00.0000000Z"], db.Query<string>("SELECT DISTINCT not_before FROM outbox"));

        // Chen refuses points notices after the notice was written: it is dropped, not sent.
        Assert.StartsWith("Done: points expiry notices are now off.", await n.Gateway.TextAsync(Chen, "alerts off points"));
        n.Clock.Now = new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
        await n.PassesAsync();
        await n.DrainedAsync();

        Assert.Equal(2, n.SentTo(Chen).Count);
        Assert.DoesNotContain(n.SentTo(Chen), body => body.Contains("points", StringComparison.Ordinal));
        Assert.Contains(("points-expiring 2026-12-02", "suppressed"), n.Notices(Chen));
        Assert.Single(n.SentTo(Bob));
        Assert.Single(n.SentTo(Dariush));
    }

    [Fact]
    public async Task TheDailyCapHoldsAndWhatIsLeftComesTheNextDay()
    {
        await using var n = await NoticeGateway.StartAsync("--Hall:MaxNoticesPerDay=2");
        await n.OpenAsync();
        await n.PassesAsync(3);
        await n.DrainedAsync();
        Assert.Equal(2, n.SentTo(Chen).Count);

        n.Clock.Advance(TimeSpan.FromDays(1));
        await n.PassesAsync();
        await n.DrainedAsync();
        Assert.Equal(3, n.SentTo(Chen).Count);
        Assert.Equal(3, n.SentTo(Chen).Distinct().Count());
    }

    [Fact]
    public async Task RefusedKindsAreNotSentButOthersAreAndStopSilencesEverything()
    {
        await using var n = await NoticeGateway.StartAsync();
        Assert.StartsWith("Done: data use notices are now off.", await n.Gateway.TextAsync(Chen, "alerts off data"));
        Assert.StartsWith("Done: bill notices are now off.", await n.Gateway.TextAsync(Bob, "bill alerts off"));
        Assert.StartsWith("You have opted out", await n.Gateway.TextAsync(Dariush, "STOP"));
        await n.OpenAsync();
        await n.PassesAsync(3);
        await n.DrainedAsync();

        Assert.Equal(["balance-low since 2026-11-16", "points-expiring 2026-12-02"], n.Notices(Chen).Select(r => r.Reason));
        Assert.Equal(2, n.SentTo(Chen).Count);
        Assert.Empty(n.Notices(Bob));
        Assert.Empty(n.Notices(Dariush));

        // Asked for again, a kind comes back at the next pass.
        Assert.StartsWith("Done: bill notices are on again.", await n.Gateway.TextAsync(Bob, "alerts on bill"));
        await n.PassesAsync();
        await n.DrainedAsync();
        Assert.Single(n.SentTo(Bob));
    }

    [Fact]
    public async Task AFailingPassIsLoggedAndTheNextOneSendsWhatItMissed()
    {
        var logs = new CapturedLogs();
        await using var n = await NoticeGateway.StartAsync(services => services.AddSingleton<ILoggerProvider>(logs));
        using (var db = n.Gateway.OpenDatabase()) db.Execute("ALTER TABLE point_lots RENAME TO point_lots_away");
        await n.OpenAsync();
        await NoticeGateway.Eventually(() => logs.Lines.Any(l => l.Contains("The notice pass failed; it runs again in 0.5 s", StringComparison.Ordinal)), "a failed pass to be logged");
        Assert.Empty(n.Notices(Chen));

        using (var db = n.Gateway.OpenDatabase()) db.Execute("ALTER TABLE point_lots_away RENAME TO point_lots");
        await n.PassesAsync();
        await n.DrainedAsync();
        Assert.Equal(3, n.SentTo(Chen).Count);
    }

    [Fact]
    public async Task WithoutASenderOfItsOwnTheSchedulerSaysSoOnceAndDoesNotRun()
    {
        var logs = new CapturedLogs();
        await using var gw = await TestGateway.StartAsync(services => services.AddSingleton<ILoggerProvider>(logs),
            $"--Twilio:AccountSid={RestGateway.AccountSid}", "--Notices:IntervalSeconds=0.2");
        var scheduler = gw.Services.GetServices<IHostedService>().OfType<NoticeScheduler>().Single();
        Assert.True(scheduler.ExecuteTask!.IsCompletedSuccessfully);
        Assert.Single(logs.Lines, l => l.Contains("Notices are off on this node: sending notices, offers and answers needs Twilio:From or Twilio:MessagingServiceSid", StringComparison.Ordinal));
    }
}
