using SmsHall.Core;
using SmsHall.Core.Accounts;
using SmsHall.Core.Ports;
using static SmsHall.Storage.Tests.Messages;

namespace SmsHall.Storage.Tests;

/// <summary>Notices, offers and answers sent of the gateway's own accord, and one-node leases, on every provider and across nodes.</summary>
public abstract partial class StorageContract
{
    private static readonly DailyCap Cap = new(3, Now.Date, Now.Date.AddDays(1));

    private static OutgoingMessage Notice(string to, string reason, string category = AlertCategories.Bill, DateTimeOffset? notBefore = null, Purpose purpose = Purpose.Notice) =>
        new(to, ShortCode, Channel.Sms, Reply($"notice {reason}", "notice"), purpose, reason, purpose == Purpose.Answer ? null : category, Now, notBefore);

    [Fact]
    public async Task ANoticeQueuedByTwoNodesAtOnceIsQueuedOnce()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            Task.Run(() => (i % 2 == 0 ? A : B).Outgoing.QueueAsync(Notice(Alice, "bill-ready 2026-11"), Cap))));
        Assert.Single(results, r => r == QueueResult.Queued);
        Assert.All(results.Where(r => r != QueueResult.Queued), r => Assert.Equal(QueueResult.AlreadySent, r));
        Assert.Equal(1, (await A.Outbox.StatsAsync(Now)).Pending);
    }

    [Fact]
    public async Task TheDailyCapHoldsAcrossNodesAndCountsTheDayANoticeIsDue()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => (i % 2 == 0 ? A : B).Outgoing.QueueAsync(Notice(Alice, $"event {i}"), Cap))));
        Assert.Equal(3, results.Count(r => r == QueueResult.Queued));
        Assert.Equal(5, results.Count(r => r == QueueResult.OverDailyCap));

        // Held to tomorrow morning, it counts on tomorrow's cap, not today's.
        var tomorrow = new DailyCap(3, Cap.DayEnd, Cap.DayEnd.AddDays(1));
        Assert.Equal(QueueResult.Queued, await A.Outgoing.QueueAsync(Notice(Alice, "late", notBefore: Cap.DayEnd.AddHours(8)), tomorrow));
        // Another number has a cap of its own; answers are never counted nor capped.
        Assert.Equal(QueueResult.Queued, await B.Outgoing.QueueAsync(Notice(Chen, "event 0"), Cap));
        Assert.Equal(QueueResult.Queued, await B.Outgoing.QueueAsync(Notice(Alice, "ticket T1", purpose: Purpose.Answer), Cap));
    }

    [Fact]
    public async Task RefusedCategoriesAndOptedOutNumbersGetNothingButAnAnswerStillGoesToWhoRefused()
    {
        await A.HandleAsync(Handled(Inbound("SM-OFF", Alice, "alerts off offers"), "ok",
            [new AccountChange.SetAlerts([AlertCategories.Offers, AlertCategories.Data], On: false)]));
        Assert.Equal(new HashSet<string> { "offers", "data" }, await B.Outgoing.RefusedAsync(Alice));

        Assert.Equal(QueueResult.Refused, await B.Outgoing.QueueAsync(Notice(Alice, "campaign 1", AlertCategories.Offers, purpose: Purpose.Offer), Cap));
        Assert.Equal(QueueResult.Queued, await B.Outgoing.QueueAsync(Notice(Alice, "bill-ready", AlertCategories.Bill), Cap));
        Assert.Equal(QueueResult.Queued, await B.Outgoing.QueueAsync(Notice(Alice, "ticket T2", purpose: Purpose.Answer), Cap));

        await A.HandleAsync(Handled(Inbound("SM-ON", Alice, "alerts on offers"), "ok", [new AccountChange.SetAlerts([AlertCategories.Offers], On: true)]));
        Assert.Equal(new HashSet<string> { "data" }, await A.Outgoing.RefusedAsync(Alice));
        Assert.Equal(QueueResult.Queued, await B.Outgoing.QueueAsync(Notice(Alice, "campaign 1", AlertCategories.Offers, purpose: Purpose.Offer), Cap));

        await A.HandleAsync(Handled(Inbound("SM-STOP", Chen, "STOP"), "bye", [new AccountChange.SetOptedOut(true)]));
        Assert.Equal(QueueResult.OptedOut, await A.Outgoing.QueueAsync(Notice(Chen, "bill-ready"), Cap));
        Assert.Equal(QueueResult.OptedOut, await A.Outgoing.QueueAsync(Notice(Chen, "ticket T3", purpose: Purpose.Answer), Cap));
        Assert.Equal(QueueResult.OptedOut, await A.Outgoing.QueueAsync(Notice("+15559999999", "bill-ready"), Cap));
    }

    [Fact]
    public async Task ANoticeHeldOrWaitingNeverHoldsUpAReplyAndRepliesAreClaimedFirst()
    {
        await A.Outgoing.QueueAsync(Notice(Alice, "held", notBefore: Now.AddHours(8)), Cap);
        await A.Outgoing.QueueAsync(Notice(Alice, "due now", AlertCategories.Balance), Cap);
        await A.HandleAsync(Handled(Inbound("SM-1", Alice, by: ReplyBy.Outbox), "your balance"));

        var claimed = await B.Outbox.ClaimAsync("b", Now, TimeSpan.FromMinutes(2), 10);
        Assert.Equal(["your balance", "notice due now"], claimed.Select(i => i.Body));
        foreach (var item in claimed) await B.Outbox.SentAsync(item.Id, $"SMTW{item.Id:D6}", "queued", Now);
        Assert.Empty(await A.Outbox.ClaimAsync("a", Now.AddHours(7), TimeSpan.FromMinutes(2), 10));

        // A notice of the number left unsent (retrying) does not hold up the next reply either.
        await A.Outgoing.QueueAsync(Notice(Alice, "another", AlertCategories.Points), Cap);
        var notice = Assert.Single(await A.Outbox.ClaimAsync("a", Now.AddMinutes(1), TimeSpan.FromMinutes(2), 10));
        await A.Outbox.RetryLaterAsync(notice.Id, Now.AddMinutes(30), inDoubt: false, "503");
        await A.HandleAsync(Handled(Inbound("SM-2", Alice, by: ReplyBy.Outbox, at: Now.AddMinutes(2)), "your usage"));
        var usage = Assert.Single(await B.Outbox.ClaimAsync("b", Now.AddMinutes(2), TimeSpan.FromMinutes(2), 10));
        Assert.Equal("your usage", usage.Body);
        await B.Outbox.SentAsync(usage.Id, "SMTWUSAGE", "queued", Now.AddMinutes(2));

        var morning = await A.Outbox.ClaimAsync("a", Now.AddHours(8), TimeSpan.FromMinutes(2), 10);
        Assert.Equal(["notice held"], morning.Select(i => i.Body)); // the retried one waits behind it, in its lane
        var held = morning[0];
        Assert.Equal(Now.AddHours(8), held.Ready); // its expiry counts from the morning
    }

    [Fact]
    public async Task ANoticeRefusedAfterItWasQueuedIsClaimedAsNotToBeSent()
    {
        await A.Outgoing.QueueAsync(Notice(Alice, "bill-ready", notBefore: Now.AddHours(1)), Cap);
        await A.HandleAsync(Handled(Inbound("SM-OFF", Alice, "alerts off bill"), "ok", [new AccountChange.SetAlerts([AlertCategories.Bill], On: false)]));
        var item = Assert.Single(await B.Outbox.ClaimAsync("b", Now.AddHours(1), TimeSpan.FromMinutes(2), 10));
        Assert.True(item.OptedOut);
    }

    [Fact]
    public async Task ALeaseHasOneHolderAtATimeAndLapsesToAnother()
    {
        var length = TimeSpan.FromSeconds(30);
        var taken = await Task.WhenAll(
            Task.Run(() => A.Leases.TryTakeAsync("notices", "node-a", Now, length)),
            Task.Run(() => B.Leases.TryTakeAsync("notices", "node-b", Now, length)));
        Assert.Single(taken, t => t);
        var (holder, other) = taken[0] ? ("node-a", "node-b") : ("node-b", "node-a");

        Assert.True(await A.Leases.TryTakeAsync("notices", holder, Now.AddSeconds(20), length)); // renewed to 50 s
        Assert.False(await B.Leases.TryTakeAsync("notices", other, Now.AddSeconds(40), length));
        Assert.True(await B.Leases.TryTakeAsync("campaigns", other, Now.AddSeconds(40), length)); // another job's lease
        Assert.True(await B.Leases.TryTakeAsync("notices", other, Now.AddSeconds(51), length)); // lapsed: taken over
        Assert.False(await A.Leases.TryTakeAsync("notices", holder, Now.AddSeconds(52), length));

        await A.Leases.ReleaseAsync("notices", holder); // not its lease any more: changes nothing
        Assert.False(await A.Leases.TryTakeAsync("notices", holder, Now.AddSeconds(53), length));
        await B.Leases.ReleaseAsync("notices", other);
        Assert.True(await A.Leases.TryTakeAsync("notices", holder, Now.AddSeconds(53), length));
    }
}
