using System.Globalization;

namespace SmsHall.Core.Ports;

/// <summary>A ticket's kinds: a complaint (FEEDBACK) or a request to talk to a person (AGENT).</summary>
public static class TicketKinds
{
    public const string Feedback = "feedback";
    public const string Agent = "agent";
}

/// <summary>Where a ticket stands in the queue.</summary>
public static class TicketStates
{
    public const string Open = "open";
    public const string Assigned = "assigned";
    public const string Answered = "answered";
    public const string Closed = "closed";

    public static readonly IReadOnlyList<string> All = [Open, Assigned, Answered, Closed];
}

/// <summary>
/// A ticket: a complaint or a callback request a subscriber opened by SMS. <see cref="Reference"/>
/// (T1042) is what the subscriber was told and may quote; <see cref="Number"/> is the subscriber's phone number.
/// </summary>
public sealed record Ticket(
    long Id, string Number, string Kind, string Text, string Language, string State, string? AssignedTo,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? AnsweredAt, string OpenedBySid)
{
    public string Reference => Tickets.Reference(Id);
}

/// <summary>One entry of a ticket: a message of the subscriber (<see cref="Author"/> null) or an operator's answer.</summary>
public sealed record TicketMessage(DateTimeOffset At, bool Outgoing, string? Author, string Text, string? Sid);

/// <summary>A message to or from a number, whatever it was (a reply, an answer, a notice, an offer), with why it was sent.</summary>
public sealed record NumberMessage(DateTimeOffset At, bool Outgoing, string Text, string? Command, string? Purpose, string? Reason, string? Status);

/// <summary>The ticket queue, as operators work it (the console, <c>smshall tickets</c>).</summary>
public interface ITickets
{
    /// <summary>Tickets in a state (null: all), the oldest change first for those waiting, newest first for the others.</summary>
    Task<IReadOnlyList<Ticket>> ListAsync(string? state, int take, CancellationToken ct = default);

    /// <summary>How many tickets each state holds (states with none are absent).</summary>
    Task<IReadOnlyDictionary<string, long>> CountsAsync(CancellationToken ct = default);

    Task<Ticket?> FindAsync(long id, CancellationToken ct = default);

    /// <summary>The ticket's messages, oldest first.</summary>
    Task<IReadOnlyList<TicketMessage>> MessagesAsync(long id, CancellationToken ct = default);

    /// <summary>The latest messages to and from a number, newest first: every purpose, with its reason.</summary>
    Task<IReadOnlyList<NumberMessage>> RecentAsync(string number, int take, CancellationToken ct = default);

    /// <summary>Assigns an open or assigned ticket to an operator; false when there is no such ticket or it is answered or closed.</summary>
    Task<bool> AssignAsync(long id, string operatorName, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>
    /// An operator's answer: queued for sending (through <see cref="IOutgoing"/>'s checks), recorded
    /// in the ticket and the ticket marked answered, all in one transaction, so the ticket shows
    /// exactly the answers that went. Null, with nothing done, when there is no such ticket or it is
    /// closed; otherwise what the queueing said (nothing is recorded unless it was queued).
    /// </summary>
    Task<QueueResult?> AnswerAsync(long id, string operatorName, OutgoingMessage answer, CancellationToken ct = default);

    /// <summary>Closes a ticket; false when there is no such ticket or it was closed already.</summary>
    Task<bool> CloseAsync(long id, DateTimeOffset at, CancellationToken ct = default);
}

/// <summary>Ticket references as subscribers and operators read them: T and the ticket's number.</summary>
public static class Tickets
{
    public static string Reference(long id) => "T" + id.ToString(CultureInfo.InvariantCulture);

    /// <summary>The ticket number a reference names ("T1042", "t1042", "1042"), or null if it names none.</summary>
    public static long? Parse(string? reference)
    {
        var text = reference?.Trim();
        if (string.IsNullOrEmpty(text)) return null;
        if (text[0] is 'T' or 't') text = text[1..];
        return text.Length is >= 1 and <= 18 && text.All(char.IsAsciiDigit) && long.Parse(text, CultureInfo.InvariantCulture) is var id and > 0
            ? id
            : null;
    }
}
