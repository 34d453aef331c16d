namespace SmsHall.Core.Grammar
{
    public abstract partial record Command
    {
        /// <summary>
        /// Nothing a subscriber writes: the <c>offer</c> section holds what every campaign's offer
        /// ends with (how to refuse offers), which campaigns send of the gateway's own accord.
        /// </summary>
        public sealed record Offer : Command
        {
            public override string Name => "offer";
        }
    }
}

namespace SmsHall.Core.Commands.Offer
{
    using SmsHall.Core.Grammar;

    /// <summary>The line every offer ends with: how to refuse offers, in the subscriber's language.</summary>
    public sealed class OfferCommand : CommandDefinition<Command.Offer>
    {
        public override string Name => "offer";
        public override CommandKind Kind => CommandKind.NoKeywords;

        public override IReadOnlyDictionary<string, string[]> Replies { get; } = new Dictionary<string, string[]>
        {
            ["offer.refuse"] = [],
        };

        public override (Command? Command, int Distance) Read(Arguments arguments) => Exactly(null);

        protected override Task<Outcome> HandleAsync(Command.Offer command, HandlerContext ctx, CancellationToken ct) =>
            Task.FromResult(Outcome.Say("offer.refuse"));
    }
}
