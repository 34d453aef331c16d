using SmsHall.Core.Ports;

namespace SmsHall.Core.Grammar
{
    public abstract partial record Command
    {
        public sealed record Agent : Command { public override string Name => "agent"; }
    }
}

namespace SmsHall.Core.Commands.Agent
{
    using SmsHall.Core.Grammar;

    /// <summary>
    /// "talk to a human", "call me back", "人工服务": a callback request ticket in the operators'
    /// queue; the reply says it is queued, with its reference and the care number.
    /// </summary>
    public sealed class AgentCommand : BareCommand<Command.Agent>
    {
        public override string Name => "agent";

        public override CommandKind Kind => CommandKind.Changes;

        public override bool Suggested => false;

        // "call u back" between friends is not a request to be called.
        public override bool PhrasesAsWritten => true;

        public override IReadOnlyDictionary<string, string[]> Replies { get; } = new Dictionary<string, string[]>
        {
            ["agent"] = ["ref", "care"],
            ["agent.waiting"] = ["ref", "care"],
        };

        // A second "call me back" while the first still waits is the same request: it is told so, not queued twice.
        protected override async Task<Outcome> HandleAsync(Command.Agent command, HandlerContext ctx, CancellationToken ct) =>
            await ctx.Accounts.WaitingTicketAsync(ctx.Subscriber.Number, TicketKinds.Agent, ct) is { } waiting
                ? Outcome.Say("agent.waiting", ("ref", Tickets.Reference(waiting)), ("care", ctx.Options.CareNumber))
                : await NewTicket.OpenAsync(ctx, TicketKinds.Agent, ("care", ctx.Options.CareNumber), ct);
    }
}
