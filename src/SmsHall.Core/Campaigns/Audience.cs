using SmsHall.Core.Accounts;
using SmsHall.Core.Commands.Recommend;
using SmsHall.Core.Ports;

namespace SmsHall.Core.Campaigns;

/// <summary>
/// Who each segment reaches now. Only subscribers an offer may go to are looked at (not opted out,
/// offers not refused); each segment's rule is a plain one on their account.
/// </summary>
public sealed class Audience(ICampaigns campaigns, IAccounts accounts, HallOptions options)
{
    /// <summary>A heavy data user has used at least this share of the plan's data this cycle.</summary>
    public const int HeavyDataPercent = 80;

    /// <summary>A frequent top-up has at least this many top-ups or payments within <see cref="TopUpDays"/>.</summary>
    public const int FrequentTopUps = 3;

    public const int TopUpDays = 90;

    /// <summary>What each segment means, in the console's words.</summary>
    public static string Describe(Segment segment) => segment switch
    {
        Segment.WouldSave => "would save money on another plan (what RECOMMEND tells them)",
        Segment.HeavyData => $"used {HeavyDataPercent} % or more of their plan's data this cycle, no data pack bought in it",
        _ => $"prepaid, {FrequentTopUps} or more top-ups or payments in the last {TopUpDays} days",
    };

    /// <summary>The segment's members at <paramref name="now"/>, in number order.</summary>
    public async Task<IReadOnlyList<Prospect>> MembersAsync(Segment segment, DateTimeOffset now, CancellationToken ct = default)
    {
        var since = now.AddDays(-TopUpDays);
        var prospects = await campaigns.ProspectsAsync(since, options.Today(since), ct);
        switch (segment)
        {
            case Segment.HeavyData:
                return prospects.Where(HeavyWithoutPack).ToList();
            case Segment.FrequentTopUps:
                return prospects.Where(p => !p.Postpaid && p.TopUps >= FrequentTopUps).ToList();
            default:
                // The same advice RECOMMEND gives, so an offer never promises what RECOMMEND would not say.
                var plans = await accounts.PlansAsync(ct);
                var today = options.Today(now);
                var members = new List<Prospect>();
                foreach (var p in prospects)
                    if ((await PlanAdvice.ForAsync(accounts, plans, p.Number, p.PlanCode, today, options, ct)).RecommendsCheaper)
                        members.Add(p);
                return members;
        }
    }

    private bool HeavyWithoutPack(Prospect p) =>
        p is { DataMbUsed: { } used, CycleStart: { } cycle, PlanDataMb: > 0 }
        && used * 100L >= HeavyDataPercent * (long)p.PlanDataMb
        && !(p.LastPackAt >= StartOf(cycle));

    // Midnight of the cycle's first day in the hall's time zone: a pack bought from then on is this cycle's.
    private DateTimeOffset StartOf(DateOnly day)
    {
        var midnight = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(midnight, options.TimeZoneInfo.GetUtcOffset(midnight));
    }
}
