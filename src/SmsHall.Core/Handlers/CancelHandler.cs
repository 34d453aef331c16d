using SmsHall.Core.Accounts;

namespace SmsHall.Core.Handlers;

/// <summary>NO: drops the pending offer.</summary>
public sealed class CancelHandler
{
    public async Task<Outcome> HandleAsync(HandlerContext ctx, CancellationToken ct)
    {
        var pending = await ctx.Accounts.PendingAsync(ctx.Subscriber.Number, ct);
        if (pending is null || pending.OfferedAt > ctx.Message.ReceivedAt) return Outcome.Say("cancel.nothing");
        var outcome = ctx.Now >= pending.ExpiresAt
            ? Outcome.Say("cancel.nothing")
            : Outcome.Say("cancel", ("plan", ctx.Subscriber.PlanCode));
        return outcome.With(new AccountChange.TakeOffer(pending.Id));
    }
}
