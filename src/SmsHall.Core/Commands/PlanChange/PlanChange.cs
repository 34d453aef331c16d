using SmsHall.Core.Accounts;
using SmsHall.Core.Grammar;
using SmsHall.Core.Replies;

namespace SmsHall.Core.Handlers;

/// <summary>Offers a plan change; nothing changes until the subscriber confirms (see <see cref="ConfirmHandler"/>).</summary>
public sealed class PlanChangeHandler
{
    public const string Action = "plan.change";

    public async Task<Outcome> HandleAsync(Command.PlanChange command, HandlerContext ctx, CancellationToken ct)
    {
        var plans = await ctx.Accounts.PlansAsync(ct);
        var plan = plans.FirstOrDefault(p => p.Code == command.PlanCode);
        if (plan is null)
            return Outcome.Say("plan.change.unknown", ("plan", command.PlanCode), ("plans", string.Join(", ", plans.Select(p => p.Code))));
        if (plan.Code == ctx.Subscriber.PlanCode)
            return Outcome.Say("plan.change.same", ("plan", plan.Code));

        var window = TimeSpan.FromMinutes(ctx.Options.ConfirmationMinutes);
        var offer = new PendingAction(ctx.Message.Sid, Action, plan.Code, ctx.Now, ctx.Now + window);
        return Outcome.Say("plan.change",
                ("current", ctx.Subscriber.PlanCode),
                ("plan", plan.Code),
                ("price", new Money(plan.MonthlyFeeCents)),
                ("allowance", PlanHandler.Allowance(plan)),
                ("effective", ctx.Today),
                ("minutes", ctx.Options.ConfirmationMinutes))
            .With(new AccountChange.Offer(offer));
    }
}
