namespace SmsHall.Core.Ports;

/// <summary>
/// A reply taken from the outbox to be sent. <see cref="To"/> and <see cref="From"/> are bare numbers;
/// <see cref="Channel"/> is the channel the message came on, which the reply goes back on.
/// <see cref="InDoubt"/>: an earlier attempt may have reached Twilio. <see cref="NotBefore"/>: the
/// time it was held back to, from which its expiry counts. <see cref="LastWhatsApp"/>: on WhatsApp,
/// when the subscriber last wrote on it.
/// </summary>
public sealed record OutboxItem(
    long Id, string To, string From, string Body, string? ReplyKey, DateTimeOffset Created, int Attempts, bool InDoubt, bool OptedOut,
    Channel Channel = Channel.Sms, int Segments = 1, DateTimeOffset? NotBefore = null, int LookupFailures = 0,
    DateTimeOffset? LastWhatsApp = null)
{
    /// <summary>WhatsApp lets a business answer freely only within a day of the subscriber's last message.</summary>
    public static readonly TimeSpan WhatsAppWindow = TimeSpan.FromHours(24);

    /// <summary>When it was ready to go: its expiry counts from here.</summary>
    public DateTimeOffset Ready => NotBefore is { } notBefore && notBefore > Created ? notBefore : Created;
}

/// <summary>A reply parked for an operator: it may have reached Twilio, and Twilio could not be asked.</summary>
public sealed record HeldReply(long Id, string To, string Body, DateTimeOffset Created, int LookupFailures, string? LastError);

/// <summary>The outbox's counts, for operators.</summary>
public sealed record OutboxStats(
    long Pending, long Sending, long InDoubt, long Held, long ExpiredLastHour, DateTimeOffset? OldestDue, long FailedLastHour);

/// <summary>
/// The outbox: replies committed with their messages and waiting to be sent, and the record of what
/// Twilio made of each. Rows are taken a few at a time, oldest first and one per number and channel
/// at a time, so a subscriber's replies arrive in the order they were written on each channel. A row
/// that is waiting (for its retry, for its time) holds up only the later replies to its own number
/// on its channel; a row held back to a later time, or parked for an operator, holds up nothing.
/// Several nodes may claim at once: a row is never claimed by two of them while its lease runs.
/// </summary>
public interface IOutbox
{
    /// <summary>
    /// Takes up to <paramref name="max"/> replies that are due. A row another node took and never
    /// finished (it stopped) is taken again after <paramref name="lease"/>, marked in doubt.
    /// </summary>
    Task<IReadOnlyList<OutboxItem>> ClaimAsync(string node, DateTimeOffset now, TimeSpan lease, int max, CancellationToken ct = default);

    /// <summary>On start: what this node was sending when it stopped is sent again, after looking whether Twilio has it.</summary>
    Task<int> RecoverAsync(string node, CancellationToken ct = default);

    /// <summary>Twilio took the reply: its sid is kept, and any status Twilio already reported for it applied.</summary>
    Task SentAsync(long id, string sid, string status, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>The reply will not be sent: Twilio refused it, it ran out of attempts, or the number opted out meanwhile.</summary>
    Task GiveUpAsync(long id, string status, int? errorCode, string? error, bool optOut, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>
    /// Puts a reply back to be tried again later. <paramref name="charged"/> false: the round it was
    /// claimed for does not count (nothing was tried: Twilio's circuit was open).
    /// </summary>
    Task RetryLaterAsync(long id, DateTimeOffset at, bool inDoubt, string error, bool charged = true, CancellationToken ct = default);

    /// <summary>
    /// A look at Twilio's message list for an in-doubt reply failed. The reply waits until
    /// <paramref name="at"/> for another look (the round is not charged: nothing was sent), or, after
    /// <paramref name="maxFailures"/> failed looks, is parked for an operator. True when it was parked.
    /// </summary>
    Task<bool> LookupFailedAsync(long id, DateTimeOffset at, int maxFailures, string error, CancellationToken ct = default);

    /// <summary>The replies parked for an operator, oldest first.</summary>
    Task<IReadOnlyList<HeldReply>> HeldAsync(CancellationToken ct = default);

    /// <summary>
    /// An operator's decision on a parked reply: send it (as new, without looking at Twilio first:
    /// the operator has taken that risk) now. False when no such reply is parked.
    /// </summary>
    Task<bool> ResendHeldAsync(long id, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>An operator's decision on a parked reply: it is not sent (status 'dropped'). False when no such reply is parked.</summary>
    Task<bool> DropHeldAsync(long id, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>The sids Twilio gave earlier replies to this number: a lost answer is never mistaken for one of them.</summary>
    Task<IReadOnlySet<string>> KnownSidsAsync(string to, CancellationToken ct = default);

    /// <summary>
    /// Records a status callback and moves the reply's status on. Callbacks can arrive out of order;
    /// a status is never replaced by an earlier one (sent after delivered is ignored).
    /// </summary>
    Task RecordStatusAsync(string sid, string status, int? errorCode, DateTimeOffset now, CancellationToken ct = default);

    Task<OutboxStats> StatsAsync(DateTimeOffset now, CancellationToken ct = default);
}

/// <summary>Twilio's message statuses, in the order a message goes through them.</summary>
public static class DeliveryStatus
{
    public static readonly IReadOnlyDictionary<string, int> Ranks = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["accepted"] = 1,
        ["scheduled"] = 1,
        ["queued"] = 2,
        ["sending"] = 3,
        ["sent"] = 4,
        ["partially_delivered"] = 5,
        ["delivered"] = 6,
        ["undelivered"] = 6,
        ["failed"] = 6,
        ["canceled"] = 6,
        ["read"] = 7,
    };

    public static bool IsKnown(string status) => Ranks.ContainsKey(status);

    /// <summary>How far along a status is; our own statuses (pending, replied, …) count as 0.</summary>
    public static int Rank(string status) => Ranks.GetValueOrDefault(status);
}

/// <summary>The status of a reply in the message log, before Twilio's own statuses take over.</summary>
public static class OutboundStatus
{
    /// <summary>Answered inside the webhook's TwiML (or to the CLI).</summary>
    public const string Replied = "replied";

    /// <summary>In the outbox, not yet accepted by Twilio.</summary>
    public const string Pending = "pending";

    /// <summary>Not sent: the number has opted out.</summary>
    public const string Suppressed = "suppressed";

    /// <summary>Not sent: the number is over the rate limit and had its notice.</summary>
    public const string Limited = "limited";

    /// <summary>Twilio refused it, or it could not be sent; error_code says why.</summary>
    public const string Failed = "failed";

    /// <summary>Not sent: it could not go within Outbox:ExpireAfterSeconds, and news that late misleads.</summary>
    public const string Expired = "expired";

    /// <summary>Not sent: an operator dropped it while it was held (it may have reached Twilio, and Twilio could not be asked).</summary>
    public const string Dropped = "dropped";
}
