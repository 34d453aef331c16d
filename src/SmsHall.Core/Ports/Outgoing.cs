using SmsHall.Core.Replies;

namespace SmsHall.Core.Ports;

/// <summary>Why a message went out: the message log keeps it with every outgoing message.</summary>
public enum Purpose
{
    /// <summary>The reply to a message the subscriber sent (written with that message, never through <see cref="IOutgoing"/>).</summary>
    Reply,

    /// <summary>An operator's answer to the subscriber's ticket: something they asked for, so never held back nor capped.</summary>
    Answer,

    /// <summary>A notice from the account (bill ready, balance low, …), which the subscriber may refuse by category.</summary>
    Notice,

    /// <summary>A marketing offer from a campaign, which the subscriber may refuse (category <c>offers</c>).</summary>
    Offer,
}

/// <summary>The kinds of notice and offer a subscriber may refuse with ALERTS OFF (and have again with ALERTS ON).</summary>
public static class AlertCategories
{
    public const string Bill = "bill";
    public const string Balance = "balance";
    public const string Data = "data";
    public const string Points = "points";
    public const string Offers = "offers";

    public static readonly IReadOnlyList<string> All = [Bill, Balance, Data, Points, Offers];
}

/// <summary>
/// A message the gateway sends of its own accord, not as the reply to one it was sent.
/// <see cref="Reason"/> says why in the message log (<c>bill-ready 2026-11</c>, <c>campaign 4</c>,
/// <c>ticket T12</c>); for a notice or an offer it is also the event it is about: each goes to a
/// number at most once. <see cref="Category"/> is what the subscriber may have refused (null for an
/// answer). <see cref="NotBefore"/> holds it back (quiet hours); its expiry counts from then.
/// </summary>
public sealed record OutgoingMessage(
    string To,
    string From,
    Channel Channel,
    RenderedReply Text,
    Purpose Purpose,
    string Reason,
    string? Category,
    DateTimeOffset Created,
    DateTimeOffset? NotBefore = null)
{
    /// <summary>When it may go: its day is the one the daily cap counts it in.</summary>
    public DateTimeOffset Due => NotBefore is { } notBefore && notBefore > Created ? notBefore : Created;
}

/// <summary>At most <see cref="Max"/> notices and offers due from <see cref="DayStart"/> to <see cref="DayEnd"/> (one day in the hall's time zone).</summary>
public sealed record DailyCap(int Max, DateTimeOffset DayStart, DateTimeOffset DayEnd);

/// <summary>What became of a message handed to <see cref="IOutgoing.QueueAsync"/>.</summary>
public enum QueueResult
{
    /// <summary>In the outbox, to be sent when due.</summary>
    Queued,

    /// <summary>Not queued: the number has opted out (STOP), or is no subscriber.</summary>
    OptedOut,

    /// <summary>Not queued: the subscriber refused this category (ALERTS OFF).</summary>
    Refused,

    /// <summary>Not queued: the subscriber already has the day's most notices and offers.</summary>
    OverDailyCap,

    /// <summary>Not queued: this number already had it (the same <see cref="OutgoingMessage.Reason"/>).</summary>
    AlreadySent,
}

/// <summary>
/// Messages the gateway sends of its own accord: put in the outbox and the message log together,
/// after checking, in the same transaction, everything that may forbid it — so two nodes queueing at
/// once never send a notice twice nor go past the cap.
/// </summary>
public interface IOutgoing
{
    /// <summary>
    /// Queues a message unless the number opted out, refused its category, already had it (notices
    /// and offers), or would go past <paramref name="cap"/>: the notices and offers due on the
    /// message's day. Answers are never refused nor counted.
    /// </summary>
    Task<QueueResult> QueueAsync(OutgoingMessage message, DailyCap cap, CancellationToken ct = default);

    /// <summary>The categories this number has refused.</summary>
    Task<IReadOnlySet<string>> RefusedAsync(string number, CancellationToken ct = default);
}

/// <summary>
/// A lease on a job that must run on one node at a time (the notice run, a campaign's sending):
/// whoever holds it runs the job; if its holder stops, another node takes it over once it lapses.
/// </summary>
public interface ILeases
{
    /// <summary>
    /// Takes or renews the lease <paramref name="name"/> for <paramref name="holder"/> until
    /// <paramref name="now"/> + <paramref name="length"/>. True when the holder has it; false when
    /// another holder's lease runs.
    /// </summary>
    Task<bool> TryTakeAsync(string name, string holder, DateTimeOffset now, TimeSpan length, CancellationToken ct = default);

    /// <summary>Gives the lease up, if this holder has it.</summary>
    Task ReleaseAsync(string name, string holder, CancellationToken ct = default);
}

/// <summary>How a purpose is written in storage, and the outbox lane it goes in.</summary>
public static class Purposes
{
    public static string Write(Purpose purpose) => purpose switch
    {
        Purpose.Answer => "answer",
        Purpose.Notice => "notice",
        Purpose.Offer => "offer",
        _ => "reply",
    };

    public static Purpose Read(string? name) => name switch
    {
        "answer" => Purpose.Answer,
        "notice" => Purpose.Notice,
        "offer" => Purpose.Offer,
        _ => Purpose.Reply,
    };

    /// <summary>
    /// Replies and answers go in the <c>reply</c> lane, notices and offers in the <c>notice</c> lane:
    /// a number's messages go in order within a lane, and the reply lane is served first.
    /// </summary>
    public static string Lane(Purpose purpose) => purpose is Purpose.Notice or Purpose.Offer ? "notice" : "reply";

    /// <summary>
    /// Whether a message may be queued, from what storage read in the queueing's transaction:
    /// <paramref name="optedOut"/> null when the number is no subscriber.
    /// </summary>
    public static QueueResult Decide(OutgoingMessage message, bool? optedOut, bool refused, bool sent, long dueThatDay, DailyCap cap) =>
        optedOut is null or true ? QueueResult.OptedOut
        : message.Purpose is not (Purpose.Notice or Purpose.Offer) ? QueueResult.Queued
        : refused ? QueueResult.Refused
        : sent ? QueueResult.AlreadySent
        : dueThatDay >= cap.Max ? QueueResult.OverDailyCap
        : QueueResult.Queued;
}
