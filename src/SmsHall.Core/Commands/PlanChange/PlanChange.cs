using SmsHall.Core.Accounts;
using SmsHall.Core.Replies;

namespace SmsHall.Core.Grammar
{
    public abstract partial record Command
    {
        /// <summary>A change to a plan; no plan when the subscriber asked to change without naming one.</summary>
        public sealed record PlanChange(string? PlanCode) : Command
        {
            public override string Name => "plan.change";
            public override IReadOnlyDictionary<string, object?> Args => new Dictionary<string, object?> { ["plan"] = PlanCode };
        }
    }
}

namespace SmsHall.Core.Commands.PlanChange
{
    using SmsHall.Core.Commands.Plan;
    using SmsHall.Core.Grammar;

    /// <summary>
    /// CHANGE PLAN GOLD, SWITCH TO GOLD: offers a plan change; nothing changes until the subscriber
    /// confirms (see Confirm). A verb of moving (switch to, upgrade, go to) means a change only with
    /// an existing plan named; CHANGE PLAN alone asks which plan.
    /// </summary>
    public sealed class PlanChangeCommand : CommandDefinition<Command.PlanChange>, IOffering
    {
        public const string Action = "plan.change";

        string IOffering.Action => Action;

        public Task<Outcome> ConfirmAsync(PendingAction offer, HandlerContext ctx, CancellationToken ct) =>
            Task.FromResult(Outcome.Say("confirm.plan", ("plan", offer.Argument), ("effective", ctx.Options.Today(offer.OfferedAt)))
                .With(new AccountChange.ChangePlan(offer.Argument)));

        public Reply Expired(PendingAction offer) => Reply.Of("confirm.expired", ("plan", offer.Argument));

        public Reply Cancelled(PendingAction offer, HandlerContext ctx) => Reply.Of("cancel", ("plan", ctx.Subscriber.PlanCode));

        public Reply Waiting(PendingAction offer) => Reply.Of("unknown.waiting", ("plan", offer.Argument));

        public override string Name => "plan.change";
        public override CommandKind Kind => CommandKind.Changes;

        // "switch to gold plan", "upgrade my plan to silver": the plan word only names what is changed.
        public override IReadOnlyCollection<string> Absorbs { get; } = ["plan"];

        public override IReadOnlyDictionary<string, string[]> Replies { get; } = new Dictionary<string, string[]>
        {
            ["plan.change"] = ["current", "plan", "price", "allowance", "effective", "minutes"],
            ["plan.change.same"] = ["plan"],
            ["plan.change.which"] = ["plans"],
        };

        public override (Command? Command, int Distance) Read(Arguments arguments)
        {
            if (arguments.None) return Exactly(arguments.NeedsArgument ? null : new Command.PlanChange(null));
            // "switch from silver to gold": two plans named, the change is to the second.
            if (arguments.Words.Count == 2 && arguments.Words.Select(w => PlanNames.Known(w, arguments)).ToList() is [{ } from, { } to] && from.Plan != to.Plan)
                return (new Command.PlanChange(to.Plan), Math.Max(from.Distance, to.Distance));
            if (arguments.Words.Count != 1) return Exactly(null);
            var word = arguments.Words[0];
            if (PlanNames.Known(word, arguments) is var (plan, distance)) return (new Command.PlanChange(plan), distance);
            // "go to school" asks for nothing; "change plan to platinum" asks for a plan there is
            // not (plan codes are Latin letters and digits); "换个套餐" asks to change, to which plan it does not say.
            if (arguments.NeedsArgument) return Exactly(null);
            return Exactly(PlanNames.CouldBeACode(word) ? new Command.Plan(word.ToUpperInvariant()) : new Command.PlanChange(null));
        }

        protected override async Task<Outcome> HandleAsync(Command.PlanChange command, HandlerContext ctx, CancellationToken ct)
        {
            var plans = await ctx.Accounts.PlansAsync(ct);
            var plan = plans.FirstOrDefault(p => p.Code == command.PlanCode);
            if (plan is null)
                return Outcome.Say("plan.change.which", ("plans", string.Join(", ", plans.Where(p => p.Code != ctx.Subscriber.PlanCode).Select(p => p.Code))));
            if (plan.Code == ctx.Subscriber.PlanCode)
                return Outcome.Say("plan.change.same", ("plan", plan.Code));

            var window = TimeSpan.FromMinutes(ctx.Options.ConfirmationMinutes);
            var offer = new PendingAction(ctx.Message.Sid, Action, plan.Code, ctx.Now, ctx.Now + window);
            return Outcome.Say("plan.change",
                    ("current", ctx.Subscriber.PlanCode),
                    ("plan", plan.Code),
                    ("price", new Money(plan.MonthlyFeeCents)),
                    ("allowance", PlanCommand.Allowance(plan)),
                    ("effective", ctx.Today),
                    ("minutes", ctx.Options.ConfirmationMinutes))
                .With(new AccountChange.Offer(offer));
        }
    }
}
