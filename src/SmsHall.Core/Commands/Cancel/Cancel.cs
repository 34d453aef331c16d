using SmsHall.Core.Accounts;
using SmsHall.Core.Grammar;

namespace SmsHall.Core.Handlers;

/// <summary>
/// NO: drops the pending offer. CANCEL, one of the standard opt-out words, does the same while an
/// offer is waiting, and otherwise opts the number out.
/// </summary>
public sealed class CancelHandler
{
    public async Task<Outcome> HandleAsync(Command.Cancel command, HandlerContext ctx, CancellationToken ct)
    {
        var pending = await ctx.Accounts.PendingAsync(ctx.Subscriber.Number, ct);
        var sentAfterOffer = pending is not null && pending.OfferedAt <= ctx.Message.ReceivedAt;
        var waiting = sentAfterOffer && ctx.Now < pending!.ExpiresAt;
        if (waiting)
            return Outcome.Say(pending!.Action == TopUpHandler.Action ? "cancel.topup" : "cancel", ("plan", ctx.Subscriber.PlanCode))
                .With(new AccountChange.TakeOffer(pending.Id));

        var outcome = command.OrOptOut ? StopHandler.OptOut() : Outcome.Say("cancel.nothing");
        return sentAfterOffer ? outcome.With(new AccountChange.TakeOffer(pending!.Id)) : outcome;
    }
}
