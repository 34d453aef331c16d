using SmsHall.Core.Accounts;
using SmsHall.Core.Grammar;
using SmsHall.Core.Replies;

namespace SmsHall.Core;

/// <summary>A message as a subscriber sent it, whatever carried it (Twilio webhook, CLI, replay).</summary>
public sealed record InboundMessage(string Sid, string From, string To, string Body, DateTimeOffset ReceivedAt);

public enum ReplyStatus
{
    /// <summary>Handed back to the transport to send (in TwiML mode, inside the webhook's answer).</summary>
    Replied,

    /// <summary>Not sent because the number has opted out.</summary>
    Suppressed,
}

/// <summary>A handled message with everything to commit for it at once.</summary>
public sealed record HandledMessage(
    InboundMessage Inbound,
    Understanding Understanding,
    IReadOnlyList<AccountChange> Changes,
    RenderedReply? Reply,
    ReplyStatus Status,
    DateTimeOffset HandledAt);

/// <summary>The reply a message has (or was given before); <see cref="Text"/> null means "say nothing".</summary>
public sealed record Answer(string? Text);

/// <summary>The message log: every inbound message is recorded before it is handled, every reply with it.</summary>
public interface IMessageLog
{
    /// <summary>
    /// Records a message as received. If the same sid was already handled, returns the answer it got
    /// then, so a redelivered message does its work once.
    /// </summary>
    Task<Answer?> RecordInboundAsync(InboundMessage message, CancellationToken ct = default);

    /// <summary>
    /// Commits, in one transaction, the account changes and the reply of a handled message. Returns
    /// the answer that stands: a concurrent delivery of the same sid may have committed first.
    /// Throws <see cref="Accounts.StaleAccountException"/>, having written nothing, when the account
    /// no longer holds what the handler read.
    /// </summary>
    Task<Answer> CommitAsync(HandledMessage handled, CancellationToken ct = default);
}
