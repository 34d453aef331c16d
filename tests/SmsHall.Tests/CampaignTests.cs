using Dapper;
using Microsoft.Extensions.DependencyInjection;
using SmsHall.Campaigns;
using SmsHall.Core.Campaigns;
using SmsHall.Core.Ports;
using SmsHall.Storage.Sqlite;

namespace SmsHall.Tests;

/// <summary>
/// Campaigns of offers on the real gateway (SQLite file, demo data and made-up subscribers, the test
/// clock): who each segment reaches, the sender's rounds (<see cref="CampaignRun"/>, driven by the
/// test at the times it chooses), and the results.
/// </summary>
public sealed class CampaignTests : IAsyncLifetime
{
    private const string Alice = "+15550000001"; // prepaid, 6 top-ups in 90 days
    private const string Claire = "+15550000004"; // prepaid, 3 top-ups; FAMILY where GOLD covers her months
    private const string Node = "node-a";

    private TestGateway _gateway = null!;

    private ICampaigns Campaigns => _gateway.Services.GetRequiredService<ICampaigns>();
    private Audience Audience => _gateway.Services.GetRequiredService<Audience>();
    private CampaignRun Run => _gateway.Services.GetRequiredService<CampaignRun>();
    private DateTimeOffset Now => _gateway.Clock.Now;

    public async Task InitializeAsync()
    {
        _gateway = await TestGateway.StartAsync();
        var today = DateOnly.FromDateTime(TestGateway.Start.UtcDateTime);
        _gateway.Services.GetRequiredService<ISeeding>().SeedSynthetic(100, today);
        using var db = _gateway.OpenDatabase();
        // Some made-up prepaid subscribers top up often; one heavy user bought a pack this cycle, another before it.
        foreach (var i in new[] { 1, 2, 4, 5, 7, 11 })
            for (var n = 0; n < i % 3 + 1; n++)
                db.Execute("INSERT INTO payments (number, paid_on, amount_cents, channel) VALUES (@number, @day, 500, 'sms')",
                    new { number = SyntheticSubscribers.Number(i), day = today.AddDays(-10 * n - 2).ToString("O") });
        var heavy = db.Query<string>(
            "SELECT u.number FROM usage u JOIN subscribers s USING (number) JOIN plans p ON p.code = s.plan_code WHERE u.data_mb_used * 100 >= 80 * p.data_mb ORDER BY u.number").ToList();
        Assert.True(heavy.Count >= 4, $"only {heavy.Count} heavy data users");
        AddPack(db, heavy[0], "2026-11-05T09:00:00.0000000Z", "SMPACK1");
        AddPack(db, heavy[1], "2026-10-20T09:00:00.0000000Z", "SMPACK2");
        // Some refuse offers, some opted out, one refused only data notices.
        foreach (var (number, category) in new[] { (heavy[2], "offers"), (Alice, "offers"), (SyntheticSubscribers.Number(5), "offers"), (SyntheticSubscribers.Number(10), "data") })
            db.Execute("INSERT INTO alert_refusals (number, category, refused_at) VALUES (@number, @category, '2026-11-01T00:00:00Z')", new { number, category });
        db.Execute("UPDATE subscribers SET opted_out = 1 WHERE number IN (@a, @b, @c)",
            new { a = heavy[3], b = SyntheticSubscribers.Number(2), c = SyntheticSubscribers.Number(20) });
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    private static void AddPack(Microsoft.Data.Sqlite.SqliteConnection db, string number, string at, string sid) =>
        db.Execute("INSERT INTO data_added (number, source, code, data_mb, valid_until, added_at, sid) VALUES (@number, 'pack', 'P1G', 1024, '2026-12-30', @at, @sid)",
            new { number, at, sid });

    // Who an offer may go to, as SQL: neither opted out nor refusing offers.
    private const string Eligible = "s.opted_out = 0 AND NOT EXISTS (SELECT 1 FROM alert_refusals r WHERE r.number = s.number AND r.category = 'offers')";

    [Fact]
    public async Task EachSegmentReachesWhomItsSqlCheckCounts()
    {
        using var db = _gateway.OpenDatabase();
        // The three closed months before November 2026 (the hall's time zone is UTC): the cheapest plan covering
        // each month's data, started call minutes and SMS costs less than the current one.
        var wouldSave = db.Query<string>(
            $"""
            WITH m AS (
                SELECT number, substr(at, 1, 7) AS month,
                       SUM(CASE WHEN kind = 'data' THEN quantity ELSE 0 END) AS data,
                       SUM(CASE WHEN kind = 'calls' THEN (quantity + 59) / 60 ELSE 0 END) AS minutes,
                       SUM(CASE WHEN kind = 'sms' THEN quantity ELSE 0 END) AS sms
                FROM usage_records WHERE at >= '2026-08-01' AND at < '2026-11-01' GROUP BY number, month)
            SELECT s.number FROM subscribers s JOIN plans cur ON cur.code = s.plan_code
            WHERE {Eligible} AND EXISTS (SELECT 1 FROM m WHERE m.number = s.number)
              AND (SELECT MIN(p.monthly_fee_cents) FROM plans p WHERE NOT EXISTS (
                       SELECT 1 FROM m WHERE m.number = s.number AND (m.data > p.data_mb OR m.minutes > p.minutes OR m.sms > p.sms)))
                  < cur.monthly_fee_cents
            ORDER BY s.number
            """).ToList();
        var heavy = db.Query<string>(
            $"""
            SELECT s.number FROM subscribers s JOIN plans p ON p.code = s.plan_code JOIN usage u ON u.number = s.number
            WHERE {Eligible} AND u.data_mb_used * 100 >= 80 * p.data_mb
              AND NOT EXISTS (SELECT 1 FROM data_added d WHERE d.number = s.number AND d.source = 'pack' AND d.added_at >= u.cycle_start)
            ORDER BY s.number
            """).ToList();
        var topUps = db.Query<string>(
            $"""
            SELECT s.number FROM subscribers s
            WHERE {Eligible} AND s.postpaid = 0
              AND (SELECT COUNT(*) FROM payments y WHERE y.number = s.number AND y.paid_on >= '2026-08-24')
                + (SELECT COUNT(*) FROM vouchers v WHERE v.redeemed_by = s.number AND v.redeemed_at >= '2026-08-24T10:00') >= 3
            ORDER BY s.number
            """).ToList();

        foreach (var (segment, expected) in new[] { (Segment.WouldSave, wouldSave), (Segment.HeavyData, heavy), (Segment.FrequentTopUps, topUps) })
        {
            Assert.True(expected.Count >= 3, $"{segment}: the seeded data gives only {expected.Count}");
            Assert.Equal(expected, (await Audience.MembersAsync(segment, Now)).Select(p => p.Number));
        }
        Assert.Contains(Claire, wouldSave); // what RECOMMEND tells her
        Assert.Contains(Claire, topUps);
        Assert.DoesNotContain(Alice, topUps); // she tops up often, but refused offers
    }

    [Fact]
    public async Task AfterKMinutesAtMostKTimesTheRateAreQueuedAndNobodyWhoRefusedOrOptedOutGetsOne()
    {
        var members = await Audience.MembersAsync(Segment.WouldSave, Now);
        Assert.True(members.Count >= 13, $"only {members.Count} would save");
        var id = await CreateAsync(Segment.WouldSave, rate: 2);
        Assert.True(await Campaigns.StartAsync(id, [.. members.Select(m => m.Number)], Now));
        // After the start, one recipient refuses offers and another texts STOP: neither is sent one.
        var (refuser, stopper) = (members[^1].Number, members[^2].Number);
        using (var db = _gateway.OpenDatabase())
            db.Execute("INSERT INTO alert_refusals (number, category, refused_at) VALUES (@refuser, 'offers', @at)", new { refuser, at = Now.ToString("O") });
        await _gateway.TextAsync(stopper, "STOP");

        var start = Now;
        for (var second = 0; second <= 4 * 60; second += 15)
        {
            _gateway.Clock.Now = start.AddSeconds(second);
            await Run.RunAsync(Node, Now);
            Assert.True(Offers(id).Count <= second * 2 / 60, $"{Offers(id).Count} queued after {second} s");
        }

        var sent = Offers(id);
        Assert.Equal(8, sent.Count); // 4 minutes at 2 a minute
        Assert.Equal(sent.Count, sent.Distinct().Count());
        // After ten minutes with no sender, the lost minutes are not made up in one burst: still 2 a minute.
        Assert.Equal(2, await Run.RunAsync(Node, start.AddMinutes(14)));
        Assert.Equal(0, await Run.RunAsync(Node, start.AddMinutes(14.5)));
        // Run to the end: every recipient decided once, the two who said no sent nothing.
        for (var minute = 15; (await Campaigns.FindAsync(id))!.Waiting > 0; minute++)
            await Run.RunAsync(Node, start.AddMinutes(minute));
        sent = Offers(id);
        Assert.DoesNotContain(refuser, sent);
        Assert.DoesNotContain(stopper, sent);
        var results = await Campaigns.ResultsAsync(id, TimeSpan.FromDays(7));
        Assert.Equal((members.Count, 0, members.Count - 2, 1, 1), (results.Recipients, results.Waiting, results.Queued, results.Refused, results.OptedOut));
    }

    [Fact]
    public async Task EachOfferIsInTheSubscribersLanguageOrTheDefaultAndEndsWithHowToRefuse()
    {
        using (var db0 = _gateway.OpenDatabase())
            db0.Execute("UPDATE subscribers SET language = 'fr' WHERE number = @number", new { number = SyntheticSubscribers.Number(7) });
        var id = await CreateAsync(Segment.FrequentTopUps, rate: 100, messages: new() { ["en"] = "Top up $20, get $2 free!", ["fr"] = "Rechargez 20 $, 2 $ offerts !" });
        var members = await Audience.MembersAsync(Segment.FrequentTopUps, Now);
        Assert.True(await Campaigns.StartAsync(id, [.. members.Select(m => m.Number)], Now));
        await Run.RunAsync(Node, Now.AddMinutes(1));

        using var db = _gateway.OpenDatabase();
        var offers = db.Query<(string To, string Body, string Language)>(
            "SELECT o.to_number, o.body, s.language FROM outbound_messages o JOIN subscribers s ON s.number = o.to_number WHERE o.reason = @reason",
            new { reason = $"campaign {id}" }).ToList();
        Assert.Equal(members.Count, offers.Count);
        Assert.Contains(offers, o => o.Language == "en");
        Assert.Equal(["en", "fa", "fr", "zh"], offers.Select(o => o.Language).Distinct().Order());
        foreach (var o in offers)
        {
            var expected = o.Language switch
            {
                "fr" => "Rechargez 20 $, 2 $ offerts ! Répondez PAS DE PUB pour ne plus recevoir d'offres.",
                "zh" => "Top up $20, get $2 free! 回复“关闭推广”不再接收优惠信息。",
                "fa" => "Top up $20, get $2 free! برای دریافت نکردن پیشنهادها «پیامک تبلیغاتی نفرستید» را بفرستید.",
                _ => "Top up $20, get $2 free! Reply STOP OFFERS to get no more offers.",
            };
            Assert.Equal(expected, o.Body);
        }
        Assert.Equal(offers.Count, db.ExecuteScalar<long>(
            "SELECT COUNT(*) FROM outbound_messages WHERE reason = @reason AND purpose = 'offer' AND category = 'offers'", new { reason = $"campaign {id}" }));
    }

    [Fact]
    public async Task ResultsCountTheRepliesAndThePackBoughtAfterTheOffer()
    {
        var id = await CreateAsync(Segment.WouldSave, rate: 60);
        Assert.True(await Campaigns.StartAsync(id, [Claire], Now));
        Assert.Equal(1, await Run.RunAsync(Node, Now.AddMinutes(1)));

        _gateway.Clock.Advance(TimeSpan.FromHours(2));
        Assert.StartsWith("Buy data pack P1G", await _gateway.TextAsync(Claire, "BUY 1GB"));
        Assert.StartsWith("Done", await _gateway.TextAsync(Claire, "YES"));

        var results = await Campaigns.ResultsAsync(id, TimeSpan.FromDays(7));
        Assert.Equal((1, 1, 2, 1), (results.Recipients, results.Queued, results.Replies, results.Conversions));
        // A week and more later, what she does no longer counts for the campaign.
        _gateway.Clock.Advance(TimeSpan.FromDays(8));
        await _gateway.TextAsync(Claire, "BAL");
        Assert.Equal(2, (await Campaigns.ResultsAsync(id, TimeSpan.FromDays(7))).Replies);
    }

    [Fact]
    public async Task NoOfferIsQueuedInQuietHoursTheyAreQueuedInTheMorningAndOneOverTheDailyCapIsNotSent()
    {
        var id = await CreateAsync(Segment.FrequentTopUps, rate: 60);
        var members = await Audience.MembersAsync(Segment.FrequentTopUps, Now);
        Assert.Contains(members, m => m.Number == Claire);
        Assert.True(await Campaigns.StartAsync(id, [.. members.Select(m => m.Number)], Now));
        // Claire already has the day's three notices due tomorrow morning.
        var outgoing = _gateway.Services.GetRequiredService<IOutgoing>();
        var hall = _gateway.Services.GetRequiredService<Core.HallOptions>();
        var morning = new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
        foreach (var n in new[] { 1, 2, 3 })
            Assert.Equal(QueueResult.Queued, await outgoing.QueueAsync(new OutgoingMessage(Claire, "", Core.Channel.Sms,
                new Core.Replies.RenderedReply("notice", "en", $"notice {n}", Core.Replies.SmsEncoding.Gsm7, 1), Purpose.Notice, $"event {n}",
                AlertCategories.Bill, Now, morning), hall.CapOn(morning)));

        _gateway.Clock.Now = new DateTimeOffset(2026, 11, 22, 22, 0, 0, TimeSpan.Zero); // in the default quiet hours, 21:00-08:00
        Assert.Equal(0, await Run.RunAsync(Node, Now));
        Assert.Equal(0, (await Campaigns.ResultsAsync(id, TimeSpan.FromDays(7))).Queued);

        _gateway.Clock.Now = morning;
        await Run.RunAsync(Node, Now);
        using var db = _gateway.OpenDatabase();
        var due = db.Query<(string To, string Due)>("SELECT to_number, due_at FROM outbound_messages WHERE reason = @reason", new { reason = $"campaign {id}" }).ToList();
        Assert.Equal(members.Count - 1, due.Count);
        Assert.All(due, d => Assert.Equal(morning, DateTimeOffset.Parse(d.Due, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.DoesNotContain(Claire, due.Select(d => d.To));
        var results = await Campaigns.ResultsAsync(id, TimeSpan.FromDays(7));
        Assert.Equal((members.Count - 1, 1), (results.Queued, results.OverCap));
    }

    [Fact]
    public async Task TwoNodesSendEachOfferOnceWhileTheLeaseChangesHands()
    {
        var members = await Audience.MembersAsync(Segment.WouldSave, Now);
        var id = await CreateAsync(Segment.WouldSave, rate: 3);
        Assert.True(await Campaigns.StartAsync(id, [.. members.Select(m => m.Number)], Now));
        // Node B: its own storage container on the same file, as a second process would have.
        using var other = new ServiceCollection().AddSqliteStorage(_ => new SqliteStorageOptions(_gateway.DatabasePath)).BuildServiceProvider();
        var catalogue = _gateway.Services.GetRequiredService<Core.Catalogue.LiveCatalogue>();
        var (hall, twilio) = (_gateway.Services.GetRequiredService<Core.HallOptions>(),
            _gateway.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Twilio.TwilioOptions>>());
        var (a, b) = (new SenderNode(Node, Run, _gateway.Services), SenderNode.On("node-b", other, catalogue, hall, twilio));

        var (byA, byB) = await TwoSenders.SendAsync(id, a, b, catalogue.Catalogue, Now);

        var sent = Offers(id);
        Assert.Equal(members.Count, sent.Count);
        Assert.Equal(sent.Count, sent.Distinct().Count());
        Assert.Equal(members.Count, byA + byB);
        Assert.Equal(members.Count, (await Campaigns.ResultsAsync(id, TimeSpan.FromDays(7))).Queued);
    }

    private async Task<long> CreateAsync(Segment segment, int rate, Dictionary<string, string>? messages = null) =>
        await Campaigns.CreateAsync(new CampaignDraft($"{segment} test", segment, messages ?? new() { ["en"] = "A better plan for you: text RECOMMEND." },
            Now, rate, Now, "editor"));

    /// <summary>The numbers the campaign's offers were queued for, as the message log holds them.</summary>
    private List<string> Offers(long id)
    {
        using var db = _gateway.OpenDatabase();
        return db.Query<string>("SELECT to_number FROM outbound_messages WHERE purpose = 'offer' AND reason = @reason", new { reason = $"campaign {id}" }).ToList();
    }
}
