using SmsHall.Core.Accounts;
using SmsHall.Core.Replies;

namespace SmsHall.Core.Handlers;

public sealed class PlanHandler
{
    public async Task<Outcome> HandleAsync(HandlerContext ctx, CancellationToken ct)
    {
        var plans = await ctx.Accounts.PlansAsync(ct);
        var current = plans.FirstOrDefault(p => p.Code == ctx.Subscriber.PlanCode);
        var others = string.Join(", ", plans.Where(p => p != current).Select(p => $"{p.Code} {Format.Money(p.MonthlyFeeCents, ctx.Options)}"));
        return Outcome.Say("plan",
            ("plan", ctx.Subscriber.PlanCode),
            ("price", new Money(current?.MonthlyFeeCents ?? 0)),
            ("allowance", current is null ? "-" : Allowance(current)),
            ("others", others));
    }

    /// <summary>A plan's monthly allowance in a few characters: "5 GB, 500 min, 200 SMS".</summary>
    public static string Allowance(Plan plan) =>
        $"{UsageHandler.Data(plan.DataMb)}, {plan.Minutes} min, {plan.Sms} SMS";
}
