namespace SmsHall.Core.Accounts;

/// <summary>What the handlers and the hall read about tickets (the console's side is <see cref="Ports.ITickets"/>).</summary>
public partial interface IAccounts
{
    /// <summary>
    /// Reserves the next ticket number, unique across nodes, before the message that opens the ticket
    /// is committed. A number reserved for a message handled again or never committed is skipped: gaps are fine.
    /// </summary>
    Task<long> ReserveTicketAsync(CancellationToken ct = default);

    /// <summary>
    /// The ticket of this number that an operator answered since <paramref name="since"/> and that
    /// is not closed (the latest answered, if several): a message the subscriber sends now joins it.
    /// </summary>
    Task<long?> AnsweredTicketAsync(string number, DateTimeOffset since, CancellationToken ct = default);

    /// <summary>This number's ticket of this kind still waiting for an operator (open or assigned), the oldest if several.</summary>
    Task<long?> WaitingTicketAsync(string number, string kind, CancellationToken ct = default);
}

public abstract partial record AccountChange
{
    /// <summary>
    /// Opens ticket <paramref name="Id"/> (reserved with <see cref="IAccounts.ReserveTicketAsync"/>)
    /// for the message's number, with the message as its first entry. A message opens one ticket
    /// however often it is delivered.
    /// </summary>
    public sealed record OpenTicket(long Id, string Kind, string Text, string Language) : AccountChange;

    /// <summary>Adds the message to ticket <paramref name="Id"/>, which goes back to the queue (open, or assigned if it was).</summary>
    public sealed record JoinTicket(long Id) : AccountChange;
}
