using System.Globalization;
using SmsHall.Core.Catalogue;
using SmsHall.Core.Commands.Usage;
using SmsHall.Core.Ports;
using SmsHall.Core.Replies;

namespace SmsHall.Core.Notices;

/// <summary>
/// A notice decided from the account: its catalogue reply, the category a subscriber may refuse, and
/// <see cref="Reason"/>, the event it is about ("bill-ready 2026-10", "data-80 2026-11-01"): the
/// outbox sends a number one message per reason, so each event is told once however often the run looks.
/// </summary>
public sealed record Notice(string Number, string Language, Reply Reply, string Category, string Reason);

/// <summary>What each kind of notice says, and when: decided here, from what storage read.</summary>
public static class NoticeKinds
{
    /// <summary>A bill due within this many days gets its reminder.</summary>
    public const int DueSoonDays = 3;

    /// <summary>
    /// The one notice a bill is worth today: overdue once its day has passed, a reminder within
    /// <see cref="DueSoonDays"/> of it, else that it is ready. A bill first seen late is told only
    /// what is true now (an overdue bill is not announced as ready).
    /// </summary>
    public static Notice Bill(UnpaidBill bill, DateOnly today)
    {
        var daysLeft = bill.Due.DayNumber - today.DayNumber;
        var (kind, extra) = daysLeft switch
        {
            < 0 => ("bill-overdue", new (string, object)[] { ("days", -daysLeft) }),
            <= DueSoonDays => ("bill-due", []),
            _ => ("bill-ready", []),
        };
        var reply = Reply.Of("notice." + kind, [("period", bill.Period), ("total", new Money(bill.TotalCents)), ("due", bill.Due), .. extra]);
        return new Notice(bill.Number, bill.Language, reply, AlertCategories.Bill, $"{kind} {bill.Period}");
    }

    /// <summary>Balance low: once until the next top-up (the event is the balance since the latest one).</summary>
    public static Notice Balance(LowBalance low) =>
        new(low.Number, low.Language, Reply.Of("notice.balance-low", ("balance", new Money(low.BalanceCents))), AlertCategories.Balance,
            $"balance-low since {(low.LastTopUp is { } day ? Day(day) : "start")}");

    /// <summary>Data at 80 % or all used: once each per cycle; past 100 % only the latter is told.</summary>
    public static Notice? Data(DataUse use)
    {
        if (use.AllowanceMb <= 0) return null;
        var percent = use.UsedMb * 100L / use.AllowanceMb;
        var cycle = Day(use.CycleStart);
        return percent switch
        {
            >= 100 => new Notice(use.Number, use.Language, Reply.Of("notice.data-100", ("data_allowance", UsageCommand.Data(use.AllowanceMb))),
                AlertCategories.Data, $"data-100 {cycle}"),
            >= 80 => new Notice(use.Number, use.Language,
                Reply.Of("notice.data-80", ("data_used", UsageCommand.Data(use.UsedMb)), ("data_allowance", UsageCommand.Data(use.AllowanceMb))),
                AlertCategories.Data, $"data-80 {cycle}"),
            _ => null,
        };
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Points lapsing soon: once per day they lapse on.</summary>
    public static Notice Points(ExpiringPoints points) =>
        new(points.Number, points.Language, Reply.Of("notice.points-expiring", ("points", points.Points), ("expires", points.ExpiresOn)),
            AlertCategories.Points, $"points-expiring {Day(points.ExpiresOn)}");
}

/// <summary>What one notice pass did: how many notices came to each end (queued, over the cap, …).</summary>
public sealed record NoticePass(IReadOnlyDictionary<QueueResult, int> Results)
{
    public int Queued => Results.GetValueOrDefault(QueueResult.Queued);
}

/// <summary>
/// One pass over the accounts: every notice due now, each queued unless the subscriber refused its
/// kind, opted out, already had it, or has had the day's most. Notices written in quiet hours wait
/// for the morning. Run by one node at a time (the host holds a lease), but safe on two: the outbox
/// decides in one transaction per notice.
/// </summary>
public sealed class NoticeRun(INoticeSources sources, IOutgoing outgoing, HallOptions options)
{
    /// <summary>How far back notices already queued are looked up, to skip them without a write.</summary>
    private static readonly TimeSpan Remembered = TimeSpan.FromDays(92);

    public async Task<IReadOnlyList<Notice>> DueAsync(DateTimeOffset now, CancellationToken ct)
    {
        var today = options.Today(now);
        var notices = new List<Notice>();
        notices.AddRange((await sources.UnpaidBillsAsync(ct)).Select(b => NoticeKinds.Bill(b, today)));
        notices.AddRange((await sources.LowBalancesAsync(options.LowBalanceCents, ct)).Select(NoticeKinds.Balance));
        notices.AddRange((await sources.DataUseAsync(80, ct)).Select(NoticeKinds.Data).OfType<Notice>());
        notices.AddRange((await sources.ExpiringPointsAsync(today, today.AddDays(options.PointsExpiringDays), ct)).Select(NoticeKinds.Points));
        var sent = await sources.NoticesSentAsync(now - Remembered, ct);
        return [.. notices.Where(n => !sent.Contains((n.Number, n.Reason)))];
    }

    /// <summary>
    /// Queues the notices due, at most <paramref name="max"/> of them: the rest wait for the next
    /// pass, so a backlog (the first pass over a whole subscriber base) goes out at the pace the
    /// outbox sends it rather than expiring in its queue.
    /// </summary>
    public async Task<NoticePass> RunAsync(CommandCatalogue catalogue, string from, DateTimeOffset now, int max, CancellationToken ct)
    {
        var results = new Dictionary<QueueResult, int>();
        var notBefore = options.HeldUntil(now);
        foreach (var notice in await DueAsync(now, ct))
        {
            if (results.GetValueOrDefault(QueueResult.Queued) >= max) break;
            var text = ReplyRenderer.Render(notice.Reply, notice.Language, catalogue, options);
            var message = new OutgoingMessage(notice.Number, from, Channel.Sms, text, Purpose.Notice, notice.Reason, notice.Category, now, notBefore);
            var result = await outgoing.QueueAsync(message, options.CapOn(message.Due), ct);
            results[result] = results.GetValueOrDefault(result) + 1;
        }
        return new NoticePass(results);
    }
}
