using SmsHall.Core.Accounts;

namespace SmsHall.Core.Ports;

/// <summary>A subscriber to seed, with this cycle's usage and closed months of bills.</summary>
public sealed record SeedSubscriber(
    string Number, string Name, string Language, string PlanCode, bool Postpaid, long BalanceCents, DateOnly? ValidUntil,
    Usage Usage, IReadOnlyList<Bill> Bills);

/// <summary>
/// The demo data a new gateway starts with: four plans, five subscribers and six top-up vouchers, dated from today so a
/// fresh install always has a current cycle and six closed months of bills. Each storage provider writes it.
/// </summary>
public static class DemoData
{
    public static readonly IReadOnlyList<Plan> Plans =
    [
        new("BASIC", "Basic", 1000, 1024, 100, 100),
        new("SILVER", "Silver", 2000, 5 * 1024, 300, 300),
        new("GOLD", "Gold", 4500, 20 * 1024, 1000, 1000),
        new("FAMILY", "Family", 6000, 50 * 1024, 2000, 2000),
    ];

    /// <summary>The number with six months of bills.</summary>
    public const string PostpaidNumber = "+15550000002";

    /// <summary>Demo top-up vouchers, each good once: TOPUP 1111-2222-3333 adds $10.00.</summary>
    public static readonly IReadOnlyList<(string Code, long AmountCents)> Vouchers =
    [
        ("111122223333", 1000),
        ("222233334444", 1000),
        ("333344445555", 2000),
        ("444455556666", 2000),
        ("555566667777", 5000),
        ("666677778888", 5000),
    ];

    public static IReadOnlyList<SeedSubscriber> Subscribers(DateOnly today)
    {
        var validUntil = today.AddDays(30);
        var cycleStart = new DateOnly(today.Year, today.Month, 1);
        (string Number, string Name, string Plan, bool Postpaid, long Balance, int Data, int Minutes, int Sms)[] rows =
        [
            ("+15550000001", "Alice Martin", "SILVER", false, 1250, 2150, 87, 40),
            (PostpaidNumber, "Bob Okafor", "GOLD", true, 0, 12800, 512, 230),
            ("+15550000003", "Chen Wei", "BASIC", false, 375, 900, 95, 12),
            ("+15550000004", "Claire Dubois", "FAMILY", false, 6000, 31000, 1200, 800),
            ("+15550000005", "Dariush Karimi", "BASIC", false, 0, 0, 0, 0),
        ];
        return rows.Select(s => new SeedSubscriber(
            s.Number, s.Name, "en", s.Plan, s.Postpaid, s.Balance, s.Postpaid ? null : validUntil,
            new Usage(cycleStart, s.Data, s.Minutes, s.Sms),
            s.Number == PostpaidNumber ? PostpaidBills(today) : [])).ToList();
    }

    // Six closed months of bills for the postpaid subscriber; only the latest is still unpaid.
    private static List<Bill> PostpaidBills(DateOnly today)
    {
        var thisMonth = YearMonth.Of(today);
        long[] extras = [0, 320, 1275, 0, 890, 150];
        var bills = new List<Bill>();
        for (var i = 1; i <= 6; i++)
        {
            var period = thisMonth.AddMonths(-i);
            var extra = extras[i - 1];
            var due = period.AddMonths(1).FirstDay.AddDays(19);
            List<BillLine> lines = [new("Plan GOLD", 4500)];
            if (extra > 0) lines.Add(new("Roaming", extra));
            bills.Add(new Bill(period, 4500 + extra, due, i == 1 ? null : due.AddDays(-5), lines));
        }
        return bills;
    }
}

/// <summary>
/// <c>smshall db seed --subscribers N</c>: N made-up subscribers for load tests and benchmarks, so
/// traffic comes from many registered numbers as in real life. The i-th (from 0) is +15551000000 + i;
/// they are spread over the plans, languages and prepaid/postpaid, each with usage this cycle and
/// six closed months of bills. Deterministic: the same N and day give the same rows.
/// </summary>
public static class SyntheticSubscribers
{
    public const long FirstNumber = 15551000000;

    private static readonly string[] Languages = ["en", "en", "en", "fr", "zh", "fa"];

    public static string Number(long i) => "+" + (FirstNumber + i);

    /// <summary>The i-th synthetic subscriber as of <paramref name="today"/>.</summary>
    public static SeedSubscriber Make(long i, DateOnly today)
    {
        var plan = DemoData.Plans[(int)(i % DemoData.Plans.Count)];
        var postpaid = i % 3 == 0;
        var thisMonth = YearMonth.Of(today);
        var bills = new List<Bill>();
        for (var m = 1; m <= 6; m++)
        {
            var period = thisMonth.AddMonths(-m);
            var extra = (i + m) % 4 == 0 ? (i * m) % 2000 : 0;
            var due = period.AddMonths(1).FirstDay.AddDays(19);
            List<BillLine> lines = [new($"Plan {plan.Code}", plan.MonthlyFeeCents)];
            if (extra > 0) lines.Add(new("Roaming", extra));
            bills.Add(new Bill(period, plan.MonthlyFeeCents + extra, due, m == 1 && postpaid ? null : due.AddDays(-3), lines));
        }
        return new SeedSubscriber(
            Number(i), $"Subscriber {i}", Languages[i % Languages.Length], plan.Code, postpaid, postpaid ? 0 : i * 37 % 5000,
            postpaid ? null : today.AddDays(30),
            new Usage(new DateOnly(today.Year, today.Month, 1), (int)(i * 53 % plan.DataMb), (int)(i * 7 % plan.Minutes), (int)(i * 3 % plan.Sms)),
            bills);
    }
}
