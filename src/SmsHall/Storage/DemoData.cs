using Dapper;
using SmsHall.Core.Accounts;

namespace SmsHall.Storage;

/// <summary>
/// The demo data a new gateway starts with: four plans, five subscribers and six top-up vouchers, dated from today so a
/// fresh install always has a current cycle and six closed months of bills.
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

    public static bool IsEmpty(Database db)
    {
        using var c = db.Open();
        return c.ExecuteScalar<long>("SELECT COUNT(*) FROM subscribers") == 0;
    }

    /// <summary>Adds the demo plans and subscribers; rows that already exist are left alone.</summary>
    public static int Seed(Database db, DateOnly today)
    {
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        foreach (var p in Plans)
        {
            c.Execute(
                """
                INSERT OR IGNORE INTO plans (code, name, monthly_fee_cents, data_mb, minutes, sms)
                VALUES (@Code, @Name, @MonthlyFeeCents, @DataMb, @Minutes, @Sms)
                """, p, tx);
        }

        var validUntil = Dates.Write(today.AddDays(30));
        var cycleStart = Dates.Write(new DateOnly(today.Year, today.Month, 1));
        (string Number, string Name, string Plan, bool Postpaid, long Balance, int Data, int Minutes, int Sms)[] subscribers =
        [
            ("+15550000001", "Alice Martin", "SILVER", false, 1250, 2150, 87, 40),
            (PostpaidNumber, "Bob Okafor", "GOLD", true, 0, 12800, 512, 230),
            ("+15550000003", "Chen Wei", "BASIC", false, 375, 900, 95, 12),
            ("+15550000004", "Claire Dubois", "FAMILY", false, 6000, 31000, 1200, 800),
            ("+15550000005", "Dariush Karimi", "BASIC", false, 0, 0, 0, 0),
        ];
        var added = 0;
        foreach (var s in subscribers)
        {
            added += c.Execute(
                """
                INSERT OR IGNORE INTO subscribers (number, name, language, plan_code, postpaid, balance_cents, valid_until)
                VALUES (@Number, @Name, 'en', @Plan, @Postpaid, @Balance, @ValidUntil)
                """, new { s.Number, s.Name, s.Plan, s.Postpaid, s.Balance, ValidUntil = s.Postpaid ? null : validUntil }, tx);
            c.Execute(
                """
                INSERT OR IGNORE INTO usage (number, cycle_start, data_mb_used, minutes_used, sms_used)
                VALUES (@Number, @cycleStart, @Data, @Minutes, @Sms)
                """, new { s.Number, cycleStart, s.Data, s.Minutes, s.Sms }, tx);
        }

        foreach (var (code, amount) in Vouchers)
            c.Execute("INSERT OR IGNORE INTO vouchers (code, amount_cents) VALUES (@code, @amount)", new { code, amount }, tx);

        // Six closed months of bills for the postpaid subscriber; only the latest is still unpaid.
        var thisMonth = YearMonth.Of(today);
        long[] extras = [0, 320, 1275, 0, 890, 150];
        for (var i = 1; i <= 6; i++)
        {
            var period = thisMonth.AddMonths(-i);
            var extra = extras[i - 1];
            var due = period.AddMonths(1).FirstDay.AddDays(19);
            var billId = c.ExecuteScalar<long?>(
                """
                INSERT OR IGNORE INTO bills (number, period, total_cents, due_date, paid_on)
                VALUES (@number, @period, @total, @due, @paidOn)
                RETURNING id
                """,
                new
                {
                    number = PostpaidNumber,
                    period = period.ToString(),
                    total = 4500 + extra,
                    due = Dates.Write(due),
                    paidOn = i == 1 ? null : Dates.Write(due.AddDays(-5)),
                }, tx);
            if (billId is null) continue;
            c.Execute("INSERT INTO bill_lines VALUES (@billId, 1, 'Plan GOLD', 4500)", new { billId }, tx);
            if (extra > 0)
                c.Execute("INSERT INTO bill_lines VALUES (@billId, 2, 'Roaming', @extra)", new { billId, extra }, tx);
        }
        tx.Commit();
        return added;
    }
}
