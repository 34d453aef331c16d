using SmsHall.Core;
using SmsHall.Core.Accounts;
using SmsHall.Core.Ports;
using static SmsHall.Storage.Tests.Messages;

namespace SmsHall.Storage.Tests;

/// <summary>Campaigns of offers and their recipients, on every provider and across nodes.</summary>
public abstract partial class StorageContract
{
    private const string Claire = "+15550000004";
    private const string Dariush = "+15550000005";

    private static CampaignDraft Draft(string name = "Save on data", int rate = 10, DateTimeOffset? start = null) =>
        new(name, Segment.HeavyData, new Dictionary<string, string> { ["en"] = "Get 1 GB for $5: text PACK P1G.", ["fr"] = "1 Go pour 5 $ : PACK P1G." },
            start ?? Now, rate, Now, "editor");

    private static OutgoingMessage OfferTo(string to, long campaign, DateTimeOffset at) =>
        new(to, ShortCode, Channel.Sms, Reply("offer", "offer"), Purpose.Offer, $"campaign {campaign}", AlertCategories.Offers, at);

    [Fact]
    public async Task ACampaignReadsBackAsDrawnUpOnAnyNode()
    {
        var first = await A.Campaigns.CreateAsync(Draft("First"));
        var second = await A.Campaigns.CreateAsync(Draft("Second", rate: 30, start: Now.AddHours(2)));

        var read = (await B.Campaigns.FindAsync(second))!;
        Assert.Equal(new Campaign(second, read.Draft, CampaignState.Draft, null, 0, 0, 0, 0), read);
        Assert.Equal(("Second", Segment.HeavyData, 30, Now.AddHours(2), Now, "editor"),
            (read.Draft.Name, read.Draft.Segment, read.Draft.RatePerMinute, read.Draft.StartAt, read.Draft.CreatedAt, read.Draft.CreatedBy));
        Assert.Equal(Draft().Messages.OrderBy(m => m.Key), read.Draft.Messages.OrderBy(m => m.Key));
        Assert.Equal($"campaign {second}", read.Reason);
        var all = await B.Campaigns.ListAsync();
        Assert.Equal([second, first], all.Select(c => c.Id));
        Assert.All(all, c => Assert.Equal(Draft().Messages.OrderBy(m => m.Key), c.Draft.Messages.OrderBy(m => m.Key)));
        Assert.Null(await B.Campaigns.FindAsync(second + 100));
    }

    [Fact]
    public async Task ProspectsLeaveOutWhoOptedOutOrRefusedOffersAndCountRecentTopUps()
    {
        await A.HandleAsync(Handled(Inbound("SM-NO-OFFERS", Alice, "stop offers"), "ok", [new AccountChange.SetAlerts([AlertCategories.Offers], On: false)]));
        await A.HandleAsync(Handled(Inbound("SM-NO-DATA", Chen, "alerts off data"), "ok", [new AccountChange.SetAlerts([AlertCategories.Data], On: false)]));
        await A.HandleAsync(Handled(Inbound("SM-STOP", Dariush, "STOP"), "bye", [new AccountChange.SetOptedOut(true)]));
        await A.HandleAsync(Handled(Inbound("SM-PACK", Claire, "PACK P1G"), "ok", [new AccountChange.AddData("pack", "P1G", 1024, Today.AddDays(30))]));

        var prospects = await B.Campaigns.ProspectsAsync(Now.AddDays(-90), Today.AddDays(-90));

        Assert.Equal([Bob, Chen, Claire], prospects.Select(p => p.Number)); // Alice refused offers, Dariush opted out; Chen refused only data
        var claire = prospects[2];
        Assert.Equal(new Prospect(Claire, "en", "FAMILY", false, 50 * 1024, 31000, new DateOnly(2026, 11, 1), Now, 3), claire);
        Assert.Equal((true, (DateTimeOffset?)null), (prospects[0].Postpaid, prospects[0].LastPackAt));
        Assert.Equal(2, prospects[1].TopUps);
        // A voucher counts as a top-up too, from the instant asked about.
        await A.HandleAsync(Handled(Inbound("SM-TOPUP", Chen, "TOPUP"), "ok",
            [new AccountChange.RedeemVoucher("111122223333", 1000, 375, new TopUpFailuresSeen(Now.AddHours(-1), 0))]));
        Assert.Equal(3, (await A.Campaigns.ProspectsAsync(Now.AddDays(-90), Today.AddDays(-90)))[1].TopUps);
        Assert.Equal(0, (await A.Campaigns.ProspectsAsync(Now.AddMinutes(1), Today.AddDays(1)))[1].TopUps);
    }

    [Fact]
    public async Task StartingFixesTheRecipientsOnceAndPacingCountsFromEachStart()
    {
        var id = await A.Campaigns.CreateAsync(Draft(start: Now.AddMinutes(30)));
        Assert.True(await B.Campaigns.StartAsync(id, [Chen, Alice], Now));
        Assert.False(await A.Campaigns.StartAsync(id, [Chen], Now)); // already running

        var running = Assert.Single(await A.Campaigns.RunningAsync());
        Assert.Equal(running, (await B.Campaigns.FindAsync(id))! with { Draft = running.Draft });
        Assert.Equal((CampaignState.Running, Now.AddMinutes(30), 0, 2, 2, 0),
            (running.State, running.PacedFrom, running.PacedBase, running.Recipients, running.Waiting, running.Queued));
        Assert.Equal([new Recipient(Alice, "en")], await B.Campaigns.WaitingAsync(id, 1));

        Assert.Equal(QueueResult.Queued, await A.Outgoing.QueueAsync(OfferTo(Alice, id, Now), Cap));
        await A.Campaigns.RecordAsync(id, Alice, RecipientOutcome.Queued, Now);
        await B.Campaigns.RecordAsync(id, Alice, RecipientOutcome.OverCap, Now); // decided once: the first outcome stays
        Assert.Equal((1, 0), (await B.Campaigns.QueuedSinceAsync(id, Now.AddSeconds(-1)), await B.Campaigns.QueuedSinceAsync(id, Now)));
        Assert.True(await B.Campaigns.PauseAsync(id));
        Assert.False(await B.Campaigns.PauseAsync(id));
        Assert.Equal(CampaignState.Paused, (await A.Campaigns.FindAsync(id))!.State);
        Assert.Empty(await A.Campaigns.RunningAsync());

        // Resumed later: the recipients stay as they were; pacing starts again with what was queued.
        Assert.True(await A.Campaigns.StartAsync(id, [Bob, Claire], Now.AddHours(1)));
        var resumed = (await B.Campaigns.FindAsync(id))!;
        Assert.Equal((Now.AddHours(1), 1, 2, 1, 1), (resumed.PacedFrom, resumed.PacedBase, resumed.Recipients, resumed.Waiting, resumed.Queued));
        Assert.Equal([new Recipient(Chen, "en")], await A.Campaigns.WaitingAsync(id, 10));
        var results = await A.Campaigns.ResultsAsync(id, TimeSpan.FromDays(7));
        Assert.Equal((2, 1, 1, 0), (results.Recipients, results.Waiting, results.Queued, results.OverCap));
    }

    [Fact]
    public async Task TwoNodesStartingACampaignAtOnceStartItOnce()
    {
        for (var round = 0; round < 5; round++)
        {
            var id = await A.Campaigns.CreateAsync(Draft($"Round {round}"));
            var started = await Task.WhenAll(
                Task.Run(() => A.Campaigns.StartAsync(id, [Alice, Chen], Now)),
                Task.Run(() => B.Campaigns.StartAsync(id, [Bob], Now)));
            Assert.Single(started, s => s);
            var recipients = (await A.Campaigns.FindAsync(id))!.Recipients;
            Assert.Equal(started[0] ? 2 : 1, recipients);
        }
    }

    [Fact]
    public async Task ResultsCountSentDeliveredRepliesAndConversionsWithinTheWindow()
    {
        var id = await A.Campaigns.CreateAsync(Draft());
        await A.Campaigns.StartAsync(id, [Alice, Chen, Claire, Dariush], Now);
        foreach (var number in new[] { Alice, Chen, Claire })
        {
            Assert.Equal(QueueResult.Queued, await A.Outgoing.QueueAsync(OfferTo(number, id, Now), Cap));
            await A.Campaigns.RecordAsync(id, number, RecipientOutcome.Queued, Now);
        }
        await A.Campaigns.RecordAsync(id, Dariush, RecipientOutcome.Refused, Now);
        // Another campaign's offer and its recipient's answers count for that campaign only.
        Assert.Equal(QueueResult.Queued, await A.Outgoing.QueueAsync(OfferTo(Bob, id + 1, Now), Cap));

        var sent = await B.Outbox.ClaimAsync("b", Now, TimeSpan.FromMinutes(2), 10);
        Assert.Equal(4, sent.Count);
        foreach (var item in sent) await B.Outbox.SentAsync(item.Id, $"SMOFFER{item.Id:D6}", "queued", Now.AddSeconds(1));
        var delivered = sent.Where(i => i.To is Alice or Chen).ToList();
        foreach (var item in delivered) await A.Outbox.RecordStatusAsync($"SMOFFER{item.Id:D6}", "delivered", null, Now.AddSeconds(5));

        // Alice replies twice and buys a pack; Chen changes plan after the window; Claire replies before the offer (not a reply).
        await A.HandleAsync(Handled(Inbound("SM-EARLY", Claire, "BAL", at: Now.AddMinutes(-5)), "ok"));
        await A.HandleAsync(Handled(Inbound("SM-R1", Alice, "PACK", at: Now.AddMinutes(3)), "ok"));
        await A.HandleAsync(Handled(Inbound("SM-R2", Alice, "YES", at: Now.AddMinutes(4)), "ok",
            [new AccountChange.AddData("pack", "P1G", 1024, Today.AddDays(30))]));
        await A.HandleAsync(Handled(Inbound("SM-R3", Chen, "PLAN GOLD", at: Now.AddDays(8)), "ok", [new AccountChange.ChangePlan("GOLD")]));
        Assert.Equal("GOLD", (await B.Accounts.FindSubscriberAsync(Chen))!.PlanCode);
        await A.HandleAsync(Handled(Inbound("SM-R4", Bob, "BAL", at: Now.AddMinutes(3)), "ok"));

        Assert.Equal(new CampaignResults(4, 0, 3, 1, 0, 0, 3, 2, 2, 1), await B.Campaigns.ResultsAsync(id, TimeSpan.FromDays(7)));
        // With a longer window, Chen's message and plan change count too.
        var longer = await A.Campaigns.ResultsAsync(id, TimeSpan.FromDays(9));
        Assert.Equal((3, 2), (longer.Replies, longer.Conversions));
    }
}
