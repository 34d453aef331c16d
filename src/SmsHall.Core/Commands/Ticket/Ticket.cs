using SmsHall.Core.Accounts;
using SmsHall.Core.Ports;

namespace SmsHall.Core.Grammar
{
    public abstract partial record Command
    {
        /// <summary>
        /// A subscriber's reply to an operator's answer: it joins ticket <see cref="Id"/> instead of
        /// being read as a command (<see cref="MessageHall"/> decides). Nothing a subscriber writes means it.
        /// </summary>
        public sealed record TicketReply(long Id) : Command
        {
            public override string Name => "ticket";
            public override IReadOnlyDictionary<string, object?> Args => new Dictionary<string, object?> { ["ticket"] = Tickets.Reference(Id) };
        }
    }
}

namespace SmsHall.Core.Commands.Ticket
{
    using SmsHall.Core.Grammar;

    /// <summary>A reply to an operator's answer, added to its ticket; the subscriber is told where it went.</summary>
    public sealed class TicketCommand : CommandDefinition<Command.TicketReply>
    {
        public override string Name => "ticket";
        public override CommandKind Kind => CommandKind.NoKeywords;

        public override IReadOnlyDictionary<string, string[]> Replies { get; } = new Dictionary<string, string[]>
        {
            ["ticket"] = ["ref"],
        };

        // A ticket's reference as feedback, agent and this reply give it (T and up to 11 digits).
        public override IReadOnlyDictionary<string, int> Widths { get; } = new Dictionary<string, int> { ["ref"] = 12 };

        public override (Command? Command, int Distance) Read(Arguments arguments) => Exactly(null);

        protected override Task<Outcome> HandleAsync(Command.TicketReply command, HandlerContext ctx, CancellationToken ct) =>
            Task.FromResult(Outcome.Say("ticket", ("ref", Tickets.Reference(command.Id))).With(new AccountChange.JoinTicket(command.Id)));
    }
}
