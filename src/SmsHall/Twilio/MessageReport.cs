using System.Diagnostics;
using SmsHall.Core;
using SmsHall.Core.Diagnostics;
using SmsHall.Core.Ports;
using SmsHall.Hosting;

namespace SmsHall.Twilio;

/// <summary>
/// What the webhook tells of each message: one log line at Information (category
/// <see cref="Category"/>) and the hall's metrics, timed from the signed request to the committed reply.
/// </summary>
public sealed partial class MessageReport(HallMetrics metrics, HandlingTimes times, ILoggerFactory logs)
{
    /// <summary>The per-message lines' category: Logging:LogLevel:SmsHall.Messages=Warning silences them.</summary>
    public const string Category = "SmsHall.Messages";

    private readonly ILogger _log = logs.CreateLogger(Category);

    /// <summary>A message answered: its line, its count and duration, and its reply's first status.</summary>
    public void Answered(string sid, string from, Answer answer, bool outbox, long startedAt)
    {
        var elapsed = Stopwatch.GetElapsedTime(startedAt);
        var outcome = answer.Outcome ?? MessageOutcome.Duplicate;
        metrics.Message(outcome, elapsed);
        times.Record(elapsed);
        // A redelivery's reply was counted when it was first committed.
        if (outcome != MessageOutcome.Duplicate) metrics.Reply(FirstStatus(answer.Status, outbox));
        if (_log.IsEnabled(LogLevel.Information))
            Handled(_log, sid, PhoneMask.Mask(from), outcome.Command, outcome.Match, outcome.Language, outcome.Outcome, elapsed.TotalMilliseconds);
    }

    /// <summary>A message not answered (failed, refused): counted; its own log lines say why.</summary>
    public void NotAnswered(MessageOutcome outcome, long startedAt) => metrics.Message(outcome, Stopwatch.GetElapsedTime(startedAt));

    /// <summary>The status its reply is committed with, as the message log records it.</summary>
    private static string FirstStatus(ReplyStatus status, bool outbox) => status switch
    {
        ReplyStatus.Suppressed => OutboundStatus.Suppressed,
        ReplyStatus.Limited => OutboundStatus.Limited,
        _ => outbox ? OutboundStatus.Pending : OutboundStatus.Replied,
    };

    [LoggerMessage(EventId = 100, Level = LogLevel.Information,
        Message = "Message {Sid} from {Number}: {Command} ({Match}, {Language}) {Outcome} in {Milliseconds:0.0} ms")]
    private static partial void Handled(ILogger log, string sid, string number, string command, string match, string language, string outcome, double milliseconds);
}
