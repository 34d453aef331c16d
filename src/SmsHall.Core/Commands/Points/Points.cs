using SmsHall.Core.Replies;

namespace SmsHall.Core.Grammar
{
    public abstract partial record Command
    {
        public sealed record Points : Command { public override string Name => "points"; }
    }
}

namespace SmsHall.Core.Commands.Points
{
    using SmsHall.Core.Grammar;

    /// <summary>POINTS: the loyalty points balance, the points lapsing within 60 days and from when, and how to redeem.</summary>
    public sealed class PointsCommand : BareCommand<Command.Points>
    {
        /// <summary>Points lapsing within this many days are named in the reply.</summary>
        public const int ExpiringWithinDays = 60;

        public override string Name => "points";
        public override CommandKind Kind => CommandKind.Reads;

        // Its words are everyday words ("more", "history", "points", "services", "buy"): chatter holding them gets no "Did you mean".
        public override bool Suggested => false;

        public override IReadOnlyDictionary<string, string[]> Replies { get; } = new Dictionary<string, string[]>
        {
            ["points"] = ["points", "expiring", "expires"],
            ["points.later"] = ["points"],
            ["points.none"] = [],
        };


        protected override async Task<Outcome> HandleAsync(Command.Points command, HandlerContext ctx, CancellationToken ct)
        {
            var lots = await ctx.Accounts.PointsAsync(ctx.Subscriber.Number, ctx.Today, ct);
            var total = lots.Sum(l => l.Points);
            if (total == 0) return Outcome.Say("points.none");
            var soon = lots.Where(l => l.ExpiresOn <= ctx.Today.AddDays(ExpiringWithinDays)).ToList();
            return soon.Count == 0
                ? Outcome.Say("points.later", ("points", total))
                : Outcome.Say("points", ("points", total), ("expiring", soon.Sum(l => l.Points)), ("expires", soon.Min(l => l.ExpiresOn)));
        }
    }
}
