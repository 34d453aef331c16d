namespace SmsHall.Core.Ports;

/// <summary>One line of <c>smshall log unmatched</c>: a message as normalised, how often it came, and one as sent.</summary>
public sealed record UnmatchedMessage(string Normalised, long Count, string Example, DateTimeOffset LastSeen);

/// <summary>An inbound message as the log holds it, for an operator looking one up.</summary>
public sealed record LoggedInbound(
    string Sid, string From, string To, string Body, DateTimeOffset ReceivedAt, string Status, string? Command, string? Args,
    string? Match, string? Keyword, string? Language, DateTimeOffset? HandledAt);

/// <summary>A reply as the log holds it, with what became of it.</summary>
public sealed record LoggedReply(
    string Body, string? Key, string? Language, string? Encoding, long Segments, string Status, string? TwilioSid,
    long? ErrorCode, string? ErrorMessage, DateTimeOffset CreatedAt, DateTimeOffset? UpdatedAt);

/// <summary>What operators ask of the message log (the outbox's own questions are on <see cref="IOutbox"/>).</summary>
public interface IOperatorQueries
{
    /// <summary>A message and its reply (null until it has one); null when no message has that sid.</summary>
    Task<(LoggedInbound Inbound, LoggedReply? Reply)?> MessageAsync(string sid, CancellationToken ct = default);

    /// <summary>The most frequent messages received since then that were not understood, most frequent first.</summary>
    Task<IReadOnlyList<UnmatchedMessage>> UnmatchedAsync(DateTimeOffset? since, int top, CancellationToken ct = default);
}
