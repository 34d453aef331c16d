using System.Globalization;

namespace SmsHall.Core.Handlers;

public sealed class UsageHandler
{
    public async Task<Outcome> HandleAsync(HandlerContext ctx, CancellationToken ct)
    {
        var s = ctx.Subscriber;
        var usage = await ctx.Accounts.UsageAsync(s.Number, ct);
        var plan = (await ctx.Accounts.PlansAsync(ct)).FirstOrDefault(p => p.Code == s.PlanCode);
        if (usage is null || plan is null) return Outcome.Say("usage.none", ("plan", s.PlanCode));
        return Outcome.Say("usage",
            ("plan", plan.Code),
            ("cycle_start", usage.CycleStart),
            ("data_used", Data(usage.DataMbUsed)),
            ("data_allowance", Data(plan.DataMb)),
            ("minutes_used", usage.MinutesUsed),
            ("minutes_allowance", plan.Minutes),
            ("sms_used", usage.SmsUsed),
            ("sms_allowance", plan.Sms));
    }

    /// <summary>Megabytes as a subscriber reads them: "850 MB", "1.5 GB".</summary>
    public static string Data(int megabytes) =>
        megabytes < 1024
            ? $"{megabytes} MB"
            : (megabytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " GB";
}
