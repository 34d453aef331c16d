using System.Text.Json;

namespace SmsHall.Core.Ports;

/// <summary>
/// One line of <c>smshall log unmatched</c> and of the console's "not understood": a message as
/// normalised, how often it came, one as sent, the languages it came in and the commands it was
/// closest to (the suggestions it was given).
/// </summary>
public sealed record UnmatchedMessage(
    string Normalised, long Count, string Example, DateTimeOffset LastSeen, IReadOnlyList<string> Languages, IReadOnlyList<string> Suggestions);

/// <summary>An inbound message as the log holds it, for an operator looking one up.</summary>
/// <param name="Suggestions">The commands a message not understood was closest to, as a JSON array; null when none.</param>
public sealed record LoggedInbound(
    string Sid, string From, string To, string Body, DateTimeOffset ReceivedAt, string Status, string? Command, string? Args,
    string? Match, string? Keyword, string? Language, DateTimeOffset? HandledAt,
    string? Normalised = null, long? Distance = null, string? Suggestions = null, string Channel = "sms")
{
    public IReadOnlyList<string> SuggestionList => LoggedOutcome.Commands(Suggestions);
}

/// <summary>A reply as the log holds it, with what became of it.</summary>
public sealed record LoggedReply(
    string Body, string? Key, string? Language, string? Encoding, long Segments, string Status, string? TwilioSid,
    long? ErrorCode, string? ErrorMessage, DateTimeOffset CreatedAt, DateTimeOffset? UpdatedAt);

/// <summary>One status callback Twilio sent for a reply.</summary>
public sealed record DeliveryEvent(string Status, long? ErrorCode, DateTimeOffset At);

/// <summary>A message of the log in a list (search, live tail, a conversation), with its reply if it has one.</summary>
public sealed record LoggedMessage(
    string Sid, string From, string Body, DateTimeOffset ReceivedAt, string Outcome, string? Command, string? Match, string? Language,
    string? Reply, string? ReplyStatus);

/// <summary>A message with everything known of it: its record, its reply, Twilio's callbacks, and its number's messages around it.</summary>
public sealed record MessageTrace(LoggedInbound Inbound, LoggedReply? Reply, IReadOnlyList<DeliveryEvent> Events, IReadOnlyList<LoggedMessage> Conversation);

/// <summary>
/// What an operator looks for in the log; every part is optional. <see cref="From"/> is inclusive,
/// <see cref="To"/> exclusive; <see cref="After"/> (exclusive) is the live tail's "newer than what I have".
/// </summary>
public sealed record MessageFilter(
    string? Number = null, string? Text = null, string? Command = null, string? Outcome = null, string? Language = null,
    DateTimeOffset? From = null, DateTimeOffset? To = null, DateTimeOffset? After = null)
{
    /// <summary>The text as a LIKE pattern that finds it anywhere, with <c>\</c> escaping the wildcards typed in it.</summary>
    public string? TextPattern => Text is null ? null : "%" + Text.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%";
}

/// <summary>
/// What became of a message, as the console names it: understood (a command), clarified (not
/// understood, but close enough to a command to be asked "did you mean"), not understood, or
/// unhandled (recorded, never handled: the gateway failed part-way).
/// </summary>
public static class LoggedOutcome
{
    public const string Understood = "understood";
    public const string Clarified = "clarified";
    public const string NotUnderstood = "not_understood";
    public const string Unhandled = "unhandled";

    public static readonly IReadOnlyList<string> All = [Understood, Clarified, NotUnderstood, Unhandled];

    /// <summary>The command names of a JSON array as the log keeps suggestions; empty for null or anything else.</summary>
    public static IReadOnlyList<string> Commands(string? json)
    {
        if (string.IsNullOrEmpty(json)) return [];
        try
        {
            return JsonSerializer.Deserialize<string[]>(json) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}

/// <summary>Messages of a window counted by command, match kind, language and outcome together.</summary>
public sealed record MessageCount(string? Command, string? Match, string? Language, string Outcome, long Count);

/// <summary>A count of something named: a reply status, a language, a command.</summary>
public sealed record NamedCount(string Name, long Count);

/// <summary>
/// The log over a window, for the overview. <see cref="PerBucket"/> counts the messages received in
/// each <see cref="Bucket"/> from <see cref="From"/>. (Handling times are each node's own, in
/// <see cref="INodes"/>: the log keeps when a message was received and when its handling began, not
/// when its reply was committed.)
/// </summary>
public sealed record LogSummary(
    DateTimeOffset From, DateTimeOffset To, TimeSpan Bucket, IReadOnlyList<MessageCount> Counts, IReadOnlyList<long> PerBucket,
    IReadOnlyList<NamedCount> ReplyStatuses)
{
    public long Total => Counts.Sum(c => c.Count);

    public long Typo => Counts.Where(c => c.Match == "fuzzy").Sum(c => c.Count);

    public long Outcome(string outcome) => Counts.Where(c => c.Outcome == outcome).Sum(c => c.Count);

    public IReadOnlyList<NamedCount> ByLanguage => By(c => c.Language);

    public IReadOnlyList<NamedCount> ByCommand => By(c => c.Command);

    /// <summary>Counts per bucket from (bucket number, count) pairs, every bucket of the window present, empty ones as 0.</summary>
    public static IReadOnlyList<long> PerBucketOf(DateTimeOffset from, DateTimeOffset to, TimeSpan bucket, IEnumerable<(long Bucket, long Count)> rows)
    {
        var counts = new long[Math.Max(1, (int)Math.Ceiling((to - from) / bucket))];
        foreach (var (b, count) in rows)
            if (b >= 0 && b < counts.Length) counts[b] += count;
        return counts;
    }

    private List<NamedCount> By(Func<MessageCount, string?> key) =>
        Counts.GroupBy(c => key(c) ?? "—").Select(g => new NamedCount(g.Key, g.Sum(c => c.Count)))
            .OrderByDescending(n => n.Count).ThenBy(n => n.Name, StringComparer.Ordinal).ToList();
}

/// <summary>A reply waiting in the outbox.</summary>
public sealed record PendingReply(
    long Id, string InboundSid, string To, string Body, string State, long Attempts, bool InDoubt, DateTimeOffset NextAttempt, string? LastError);

/// <summary>A reply that did not reach its subscriber.</summary>
public sealed record FailedReply(
    string InboundSid, string To, string Body, string Status, long? ErrorCode, string? ErrorMessage, DateTimeOffset At);

/// <summary>How often Twilio gave an error code, when last, and what it said.</summary>
public sealed record ErrorCount(long Code, long Count, DateTimeOffset LastSeen, string? Message);

/// <summary>The console's delivery page: the outbox, failures since an instant, errors by code, opted-out numbers.</summary>
public sealed record DeliveryReport(
    IReadOnlyList<PendingReply> Pending, IReadOnlyList<FailedReply> Failed, IReadOnlyList<ErrorCount> Errors, IReadOnlyList<string> OptedOut,
    long OptedOutCount);

/// <summary>What operators ask of the message log (the outbox's own questions are on <see cref="IOutbox"/>).</summary>
public interface IOperatorQueries
{
    /// <summary>A message and its reply (null until it has one); null when no message has that sid.</summary>
    Task<(LoggedInbound Inbound, LoggedReply? Reply)?> MessageAsync(string sid, CancellationToken ct = default);

    /// <summary>
    /// The most frequent messages received since then that were not understood (clarified or not),
    /// most frequent first.
    /// </summary>
    Task<IReadOnlyList<UnmatchedMessage>> UnmatchedAsync(DateTimeOffset? since, int top, CancellationToken ct = default);

    /// <summary>Messages matching the filter, newest first, <paramref name="skip"/> of them left out.</summary>
    Task<IReadOnlyList<LoggedMessage>> SearchAsync(MessageFilter filter, int skip, int take, CancellationToken ct = default);

    /// <summary>
    /// A message with its reply, the status callbacks of that reply, and up to <paramref name="around"/>
    /// messages of its number before and after it; null when no message has that sid.
    /// </summary>
    Task<MessageTrace?> TraceAsync(string sid, int around, CancellationToken ct = default);

    /// <summary>The messages received from <paramref name="from"/> (inclusive) to <paramref name="to"/>, counted.</summary>
    Task<LogSummary> SummaryAsync(DateTimeOffset from, DateTimeOffset to, TimeSpan bucket, CancellationToken ct = default);

    /// <summary>The outbox, the replies to messages received since <paramref name="since"/> that failed, and opted-out numbers; at most <paramref name="top"/> of each.</summary>
    Task<DeliveryReport> DeliveryAsync(DateTimeOffset since, int top, CancellationToken ct = default);
}
