using SmsHall.Core.Replies;

namespace SmsHall.Core.Grammar
{
    public abstract partial record Command
    {
        /// <summary>The current plan and the others; <see cref="Asked"/> is a plan asked for that does not exist.</summary>
        public sealed record Plan(string? Asked = null) : Command
        {

            public override string Name => "plan";
            public override IReadOnlyDictionary<string, object?> Args =>
                Asked is null ? NoArgs : new Dictionary<string, object?> { ["asked"] = Asked };
        }
    }
}

namespace SmsHall.Core.Commands.Plan
{
    using SmsHall.Core.Accounts;
    using SmsHall.Core.Commands.Recommend;
    using SmsHall.Core.Commands.Usage;
    using SmsHall.Core.Grammar;

    /// <summary>
    /// PLAN: the current plan and the others. PLAN GOLD asks to change to GOLD (a plan change);
    /// PLAN with a name that is no plan ("PLAN PLATINUM") is told the plans there are.
    /// </summary>
    public sealed class PlanCommand : CommandDefinition<Command.Plan>
    {
        public override string Name => "plan";
        public override CommandKind Kind => CommandKind.Reads;

        public override IReadOnlyDictionary<string, string[]> Replies { get; } = new Dictionary<string, string[]>
        {
            ["plan"] = ["plan", "price", "allowance", "others"],
            ["plan.unknown"] = ["plan", "plans"],
            // The same, when the last three months fit a cheaper plan.
            ["plan.cheaper"] = ["plan", "price", "allowance", "others", "better", "saving"],
        };

        public override (Command? Command, int Distance) Read(Arguments arguments)
        {
            if (arguments.None) return Exactly(new Command.Plan());
            if (arguments.Words.Count != 1) return Exactly(null);
            var word = arguments.Words[0];
            if (PlanNames.Known(word, arguments) is var (plan, distance)) return (new Command.PlanChange(plan), distance);
            // A real word after PLAN is chatter ("plan tonight"), not a plan asked for.
            return Exactly(PlanNames.CouldBeACode(word) && !arguments.IsWord(word) ? new Command.Plan(word.ToUpperInvariant()) : null);
        }

        protected override async Task<Outcome> HandleAsync(Command.Plan command, HandlerContext ctx, CancellationToken ct)
        {
            var plans = await ctx.Accounts.PlansAsync(ct);
            if (command.Asked is not null)
                return Outcome.Say("plan.unknown", ("plan", command.Asked), ("plans", string.Join(", ", plans.Select(p => p.Code))));
            var current = plans.FirstOrDefault(p => p.Code == ctx.Subscriber.PlanCode);
            var others = string.Join(", ", plans.Where(p => p != current).Select(p => $"{p.Code} {Format.Money(p.MonthlyFeeCents, ctx.Options)}"));
            (string, object)[] values =
            [
                ("plan", ctx.Subscriber.PlanCode),
                ("price", new Money(current?.MonthlyFeeCents ?? 0)),
                ("allowance", current is null ? "-" : Allowance(current)),
                ("others", others),
            ];
            var advice = await PlanAdvice.ForAsync(ctx, ct);
            return advice.WouldSave
                ? Outcome.Say("plan.cheaper", [.. values, ("better", advice.Best!.Code), ("saving", new Money(advice.Current!.MonthlyFeeCents - advice.Best.MonthlyFeeCents))])
                : Outcome.Say("plan", values);
        }

        /// <summary>A plan's monthly allowance in a few characters: "5 GB, 500 min, 200 SMS".</summary>
        public static string Allowance(Accounts.Plan plan) =>
            $"{UsageCommand.Data(plan.DataMb)}, {plan.Minutes} min, {plan.Sms} SMS";
    }
}
