namespace SmsHall.Core.Ports;

/// <summary>
/// One inbound message of the log with its reply, if it has one, as <c>smshall log export</c> writes
/// it.
/// </summary>
public sealed record ExportedMessage(
    string Sid, string From, string To, string Body, DateTimeOffset ReceivedAt, string Status, string? Normalised, string? Command,
    string? Args, string? Match, string? Keyword, string? Language, string Channel, long Media, ExportedReply? Reply);

public sealed record ExportedReply(
    string? Sid, string Body, string Status, string? Key, string? Language, string? Encoding, long Segments, DateTimeOffset At, long? ErrorCode);

/// <summary>The message log read back in order, for <c>smshall log export</c> (and so for replay).</summary>
public interface ILogExport
{
    /// <summary>
    /// The messages received in [since, until), from one number if given, oldest first. Streams:
    /// a month of traffic never sits in memory.
    /// </summary>
    IEnumerable<ExportedMessage> Read(DateTimeOffset? since, DateTimeOffset? until, string? number);
}
