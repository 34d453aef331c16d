using SmsHall.Core.Accounts;

namespace SmsHall.Core.Handlers;

/// <summary>YES: applies the pending offer if there is one and it has not expired.</summary>
public sealed class ConfirmHandler
{
    public async Task<Outcome> HandleAsync(HandlerContext ctx, CancellationToken ct)
    {
        var pending = await ctx.Accounts.PendingAsync(ctx.Subscriber.Number, ct);
        // An offer made after this YES was sent is not what the subscriber said yes to.
        if (pending is null || pending.OfferedAt > ctx.Message.ReceivedAt) return Outcome.Say("confirm.nothing");

        var take = new AccountChange.TakeOffer(pending.Id);
        if (ctx.Now >= pending.ExpiresAt)
            return (pending.Action == TopUpHandler.Action
                ? Outcome.Say("confirm.expired.topup", ("voucher", pending.Argument))
                : Outcome.Say("confirm.expired", ("plan", pending.Argument))).With(take);

        return pending.Action switch
        {
            PlanChangeHandler.Action => Outcome.Say("confirm.plan", ("plan", pending.Argument), ("effective", ctx.Options.Today(pending.OfferedAt)))
                .With(take, new AccountChange.ChangePlan(pending.Argument)),
            TopUpHandler.Action => (await TopUpHandler.RedeemAsync(pending.Argument, ctx, ct)).With(take),
            // An offer this version does not know how to apply is dropped, never guessed at.
            _ => Outcome.Say("confirm.nothing").With(take),
        };
    }
}
