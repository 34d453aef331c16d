using SmsHall.Core.Accounts;
using SmsHall.Core.Grammar;
using SmsHall.Core.Replies;

namespace SmsHall.Core;

/// <summary>
/// A message as a subscriber sent it, whatever carried it (Twilio webhook, CLI, replay).
/// <see cref="ReplyBy"/> says how its reply travels. <see cref="From"/> and <see cref="To"/> are
/// bare numbers whatever the <see cref="Channel"/>: the subscriber is the number, on any channel.
/// <see cref="Media"/> counts the pictures and other media that came with it.
/// </summary>
public sealed record InboundMessage(
    string Sid, string From, string To, string Body, DateTimeOffset ReceivedAt, ReplyBy ReplyBy = ReplyBy.Answer,
    Channel Channel = Channel.Sms, int Media = 0)
{
    /// <summary>Media with no text: there is nothing to read, so nothing to understand.</summary>
    public bool MediaOnly => Media > 0 && string.IsNullOrWhiteSpace(Body);
}

/// <summary>
/// What carried a message. Its reply goes back on the same one; the account behind the number is
/// the same on each.
/// </summary>
public enum Channel
{
    Sms,
    WhatsApp,
}

public enum ReplyBy
{
    /// <summary>The reply is given back to the caller (TwiML in the webhook's answer, the CLI, replay).</summary>
    Answer,

    /// <summary>The reply is put in the outbox, in the same transaction as the message, and sent later.</summary>
    Outbox,
}

public enum ReplyStatus
{
    /// <summary>Handed back to the transport to send (in TwiML mode, inside the webhook's answer).</summary>
    Replied,

    /// <summary>Not sent because the number has opted out.</summary>
    Suppressed,

    /// <summary>Not sent because the number is over the rate limit and has had its notice.</summary>
    Limited,
}

/// <summary>
/// The rate limit a message is held to: at most <see cref="Messages"/> of its number's messages
/// handled since <see cref="Since"/> are answered; past that the number gets <see cref="Notice"/>
/// once, then silence.
/// </summary>
public sealed record RateLimit(DateTimeOffset Since, int Messages, RenderedReply Notice);

/// <summary>A handled message with everything to commit for it at once.</summary>
/// <param name="Limit">The rate limit the commit applies; null for messages that always get through (STOP, START).</param>
public sealed record HandledMessage(
    InboundMessage Inbound,
    Understanding Understanding,
    IReadOnlyList<AccountChange> Changes,
    RenderedReply? Reply,
    ReplyStatus Status,
    DateTimeOffset HandledAt,
    RateLimit? Limit = null);

/// <summary>
/// The reply a message has (or was given before); <see cref="Text"/> null means "say nothing", and
/// <see cref="Status"/> says why.
/// </summary>
public sealed record Answer(string? Text, ReplyStatus Status = ReplyStatus.Replied)
{
    /// <summary>What became of the message, set by <see cref="MessageHall"/> (storage leaves it null).</summary>
    public Diagnostics.MessageOutcome? Outcome { get; init; }
}

/// <summary>The message log: every inbound message is recorded before it is handled, every reply with it.</summary>
public interface IMessageLog
{
    /// <summary>
    /// Records a message as received, before it is handled (and durably by the time it is answered:
    /// <see cref="CommitAsync"/> commits it with its reply). If the same sid was already handled,
    /// returns the answer it got then, so a redelivered message does its work once.
    /// </summary>
    Task<Answer?> RecordInboundAsync(InboundMessage message, CancellationToken ct = default);

    /// <summary>
    /// Commits, in one transaction, the account changes and the reply of a handled message. Returns
    /// the answer that stands: a concurrent delivery of the same sid may have committed first.
    /// Throws <see cref="Accounts.StaleAccountException"/>, having written nothing, when the account
    /// no longer holds what the handler read.
    /// The rate limit is decided here, atomically with the record it counts, whatever other
    /// messages of the number are committing at the same moment on any node: the message is counted
    /// with its number's messages handled since <see cref="RateLimit.Since"/>; past
    /// <see cref="RateLimit.Messages"/> its account changes are not applied, and its reply is the
    /// notice if none was given since then, else nothing (<see cref="ReplyStatus.Limited"/>).
    /// </summary>
    Task<Answer> CommitAsync(HandledMessage handled, CancellationToken ct = default);
}

/// <summary>
/// A message sid that is already recorded for another sender or recipient: not a redelivery (which
/// would carry the same numbers), so neither handled nor answered with the other message's reply.
/// </summary>
public sealed class SidConflictException(string sid)
    : Exception($"message {sid} is already recorded with another From or To");

/// <summary>
/// The storage cannot take writes now (a full disk, a read-only or vanished file, I/O errors, a lock
/// held too long): nothing of the write is recorded. The node is at fault, not the message, so the
/// caller says "not now" (the webhook answers 503) rather than answering as if it were handled.
/// </summary>
public sealed class StorageUnavailableException(string message, Exception inner) : Exception(message, inner);
