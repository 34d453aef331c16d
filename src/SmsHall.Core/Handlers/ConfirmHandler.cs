using SmsHall.Core.Accounts;

namespace SmsHall.Core.Handlers;

/// <summary>YES: applies the pending offer if there is one and it has not expired.</summary>
public sealed class ConfirmHandler
{
    public async Task<Outcome> HandleAsync(HandlerContext ctx, CancellationToken ct)
    {
        var pending = await ctx.Accounts.PendingAsync(ctx.Subscriber.Number, ct);
        if (pending is null) return Outcome.Say("confirm.nothing");
        if (ctx.Now >= pending.ExpiresAt)
            return Outcome.Say("confirm.expired", ("plan", pending.Argument)).With(new AccountChange.ClearOffer());

        return pending.Action switch
        {
            PlanChangeHandler.Action => Outcome.Say("confirm.plan", ("plan", pending.Argument), ("effective", ctx.Today))
                .With(new AccountChange.ChangePlan(pending.Argument), new AccountChange.ClearOffer()),
            // An offer this version does not know how to apply is dropped, never guessed at.
            _ => Outcome.Say("confirm.nothing").With(new AccountChange.ClearOffer()),
        };
    }
}
