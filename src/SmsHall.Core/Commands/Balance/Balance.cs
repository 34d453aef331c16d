using SmsHall.Core.Replies;

namespace SmsHall.Core.Handlers;

public sealed class BalanceHandler
{
    public async Task<Outcome> HandleAsync(HandlerContext ctx, CancellationToken ct)
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
