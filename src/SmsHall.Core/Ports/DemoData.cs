using SmsHall.Core.Accounts;

namespace SmsHall.Core.Ports;

/// <summary>
/// A subscriber to seed, with this cycle's usage and closed months of bills; and for the self-service
/// commands, points, payments, itemised records and the paid extras they have (code, since when).
/// </summary>
public sealed record SeedSubscriber(
    string Number, string Name, string Language, string PlanCode, bool Postpaid, long BalanceCents, DateOnly? ValidUntil,
    Usage Usage, IReadOnlyList<Bill> Bills)
{
    public IReadOnlyList<PointLot> Points { get; init; } = [];
    public IReadOnlyList<Payment> Payments { get; init; } = [];
    public IReadOnlyList<UsageRecord> Records { get; init; } = [];
    public IReadOnlyList<(string Code, DateOnly Since)> Extras { get; init; } = [];
}

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

    /// <summary>What points buy (operators change them with <c>smshall db rewards</c>).</summary>
    public static readonly IReadOnlyList<Reward> Rewards =
    [
        new("R500M", 300, RewardKind.Data, 500),
        new("R1G", 500, RewardKind.Data, 1024),
        new("C5", 800, RewardKind.Credit, 500),
    ];

    /// <summary>The data packs on sale (<c>smshall db packs</c>).</summary>
    public static readonly IReadOnlyList<DataPack> Packs =
    [
        new("P500M", 500, 200, 7),
        new("P1G", 1024, 500, 30),
        new("P5G", 5 * 1024, 1500, 30),
        new("P20G", 20 * 1024, 3500, 30),
    ];

    /// <summary>
    /// The paid extras (<c>smshall db extras</c>), each with its names in every language: the first of
    /// a language is what replies call it; all of them, and the code, name it in CANCEL.
    /// </summary>
    public static readonly IReadOnlyList<Extra> Extras =
    [
        new("RBT", 200, Names(("en", "Ringback tone"), ("en", "ringtone"), ("en", "caller tune"), ("zh", "彩铃"), ("fr", "Sonnerie"), ("fa", "آهنگ پیشواز"), ("fa", "پیشواز"))),
        new("NEWS", 150, Names(("en", "News alerts"), ("en", "news"), ("zh", "新闻早晚报"), ("zh", "新闻"), ("fr", "Alertes infos"), ("fr", "infos"), ("fr", "actualites"), ("fa", "اخبار"))),
        new("GAMES", 300, Names(("en", "Games club"), ("en", "games"), ("zh", "游戏包"), ("zh", "游戏"), ("fr", "Club jeux"), ("fr", "jeux"), ("fa", "باشگاه بازی"), ("fa", "بازی"))),
        new("TRAVEL", 500, Names(("en", "Travel pass"), ("zh", "出境包"), ("fr", "Pass voyage"), ("fa", "سفر"))),
    ];

    private static ExtraName[] Names(params (string Language, string Name)[] names) => [.. names.Select(n => new ExtraName(n.Language, n.Name))];

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
        return rows.Select((s, i) =>
        {
            var bills = s.Number == PostpaidNumber ? PostpaidBills(today) : [];
            var self = SelfService[i];
            return new SeedSubscriber(
                s.Number, s.Name, "en", s.Plan, s.Postpaid, s.Balance, s.Postpaid ? null : validUntil,
                new Usage(cycleStart, s.Data, s.Minutes, s.Sms), bills)
            {
                Points = [.. self.Points.Select(p => new PointLot(p.Points, today.AddDays(p.LapsesIn)))],
                // A postpaid subscriber pays bills (each paid one, by card); prepaid ones top up.
                Payments = s.Postpaid
                    ? [.. bills.Where(b => b.PaidOn is not null).Select(b => new Payment(b.PaidOn!.Value, b.TotalCents, PaymentChannels.Card))]
                    : [.. self.TopUps.Select((t, n) => new Payment(today.AddDays(-t.DaysAgo), t.Cents, PaymentChannels.All[n % PaymentChannels.All.Count]))],
                Records = Records(today, self.Month, i),
                Extras = [.. self.Extras.Select((code, n) => (code, today.AddMonths(-4 - n)))],
            };
        }).ToList();
    }

    /// <summary>A month's usage the itemised records add up to: data (MB), call minutes, SMS.</summary>
    public sealed record MonthProfile(int DataMb, int Minutes, int Sms);

    // Per demo subscriber, in the order above: points lots (points, lapsing in days), top-ups, what a
    // month looks like, and the extras they have. Alice and Bob are on the right plan; Chen's data
    // outgrew BASIC (SILVER is advised); Claire pays for FAMILY but fits GOLD; Dariush has no history.
    private static readonly (
        (int Points, int LapsesIn)[] Points, (int DaysAgo, long Cents)[] TopUps, MonthProfile? Month, string[] Extras)[] SelfService =
    [
        ([(320, 20), (900, 200)], [(3, 1000), (18, 2000), (33, 1000), (47, 500), (64, 2000), (80, 1000), (95, 500)], new(2200, 90, 30), ["RBT", "NEWS"]),
        ([(2500, 300)], [], new(12000, 500, 40), ["GAMES"]),
        ([(150, 10)], [(6, 500), (40, 1000)], new(1500, 80, 20), ["RBT"]),
        ([(600, 45), (3400, 330)], [(2, 5000), (31, 5000), (62, 5000)], new(15000, 700, 30), ["NEWS", "GAMES", "RBT", "TRAVEL"]),
        ([], [], null, []),
    ];

    /// <summary>
    /// Itemised records adding up to <paramref name="month"/> in each of the three closed months and
    /// the days of this one so far: calls, SMS and data sessions spread over each month, newest last.
    /// </summary>
    /// <param name="pieces">How many calls and data sessions a month is spread over (SMS are one a record).</param>
    public static IReadOnlyList<UsageRecord> Records(DateOnly today, MonthProfile? month, long seed, int pieces = 6)
    {
        if (month is null) return [];
        var records = new List<UsageRecord>();
        var thisMonth = YearMonth.Of(today);
        for (var back = 3; back >= 0; back--)
        {
            var period = thisMonth.AddMonths(-back);
            // This month so far: the days before today, in proportion.
            var days = back == 0 ? today.Day - 1 : DateTime.DaysInMonth(period.Year, period.Month);
            if (days <= 0) continue;
            var share = back == 0 ? (double)days / DateTime.DaysInMonth(period.Year, period.Month) : 1;
            Spread(records, period, days, RecordKinds.Calls, (long)(month.Minutes * share) * 60, pieces, n => Other(seed, n), cost: n => n % 5 == 4 ? 45 : 0);
            Spread(records, period, days, RecordKinds.Sms, (long)(month.Sms * share), (int)(month.Sms * share), n => Other(seed, n + 7), cost: _ => 0);
            Spread(records, period, days, RecordKinds.Data, (long)(month.DataMb * share), pieces, _ => null, cost: _ => 0);
        }
        return records;
    }

    // Splits a month's total of one kind into pieces spread over its days (SMS one a record).
    private static void Spread(
        List<UsageRecord> records, YearMonth period, int days, string kind, long total, int pieces, Func<int, string?> other, Func<int, long> cost)
    {
        if (total <= 0 || pieces <= 0) return;
        var start = new DateTimeOffset(period.FirstDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        for (var n = 0; n < pieces; n++)
        {
            var quantity = total / pieces + (n < total % pieces ? 1 : 0);
            var at = start.AddDays(n * days / pieces).AddHours(8 + (n * 5 + kind.Length) % 13).AddMinutes(n * 7 % 60);
            records.Add(new UsageRecord(at, kind, other(n), quantity, cost(n)));
        }
    }

    private static string Other(long seed, int n) => "+1555" + (2000000 + (seed * 7919 + n * 104729) % 8000000).ToString("D7", System.Globalization.CultureInfo.InvariantCulture);

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
/// they are spread over the plans, languages and prepaid/postpaid, each with usage this cycle, six
/// closed months of bills, points, payments, three months of itemised records (every fifth using
/// a fraction of its plan) and some paid extras. Deterministic: the same N and day give the same rows.
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
        // Every fifth uses a fraction of its plan, so a cheaper one would do (unless it is on the cheapest).
        var use = i % 5 == 0 ? 0.15 : 0.6 + i % 3 * 0.1;
        var month = new DemoData.MonthProfile((int)(plan.DataMb * use), (int)(plan.Minutes * use), (int)(i % 3));
        return new SeedSubscriber(
            Number(i), $"Subscriber {i}", Languages[i % Languages.Length], plan.Code, postpaid, postpaid ? 0 : i * 37 % 5000,
            postpaid ? null : today.AddDays(30),
            new Usage(new DateOnly(today.Year, today.Month, 1), (int)(i * 53 % plan.DataMb), (int)(i * 7 % plan.Minutes), (int)(i * 3 % plan.Sms)),
            bills)
        {
            Points = [new PointLot((int)(i * 13 % 3000) + 50, today.AddDays(5 + (int)(i % 90))), new PointLot((int)(i * 7 % 2000), today.AddDays(200))],
            Payments = postpaid
                ? [.. bills.Where(b => b.PaidOn is not null).Take(3).Select(b => new Payment(b.PaidOn!.Value, b.TotalCents, PaymentChannels.Card))]
                : [new Payment(today.AddDays(-(int)(i % 20) - 1), 1000, PaymentChannels.All[(int)(i % 4)]), new Payment(today.AddDays(-35), 2000, PaymentChannels.Voucher)],
            Records = DemoData.Records(today, month, i, pieces: 2),
            Extras = [.. DemoData.Extras.Where((_, n) => (i + n) % 3 == 0).Take(2).Select(e => (e.Code, today.AddMonths(-3)))],
        };
    }
}
