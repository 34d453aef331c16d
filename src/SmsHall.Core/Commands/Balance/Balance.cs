using SmsHall.Core.Replies;

namespace SmsHall.Core.Grammar
{
    public abstract partial record Command
    {
        public sealed record Balance : Command { public override string Name => "balance"; }
    }
}

namespace SmsHall.Core.Commands.Balance
{
    using SmsHall.Core.Grammar;

    /// <summary>BAL: the prepaid balance and how long it is valid; what a postpaid subscriber owes.</summary>
    public sealed class BalanceCommand : BareCommand<Command.Balance>
    {
        public override string Name => "balance";
        public override CommandKind Kind => CommandKind.Reads;

        public override IReadOnlyDictionary<string, string[]> Replies { get; } = new Dictionary<string, string[]>
        {
            ["balance"] = ["balance", "valid_until", "plan"],
            ["balance.postpaid"] = ["plan", "unpaid"],
        };

        protected override async Task<Outcome> HandleAsync(Command.Balance command, HandlerContext ctx, CancellationToken ct)
        {
            var s = ctx.Subscriber;
            if (s.Postpaid)
            {
                var unpaid = await ctx.Accounts.UnpaidCentsAsync(s.Number, ct);
                return Outcome.Say("balance.postpaid", ("plan", s.PlanCode), ("unpaid", new Money(unpaid)));
            }
            return Outcome.Say("balance",
                ("balance", new Money(s.BalanceCents)),
                ("valid_until", (object?)s.ValidUntil ?? "-"),
                ("plan", s.PlanCode));
        }
    }
}
