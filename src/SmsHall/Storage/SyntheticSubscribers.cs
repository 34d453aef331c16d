using Microsoft.Data.Sqlite;
using SmsHall.Core.Accounts;

namespace SmsHall.Storage;

/// <summary>
/// <c>smshall db seed --subscribers N</c>: N made-up subscribers for load tests and benchmarks, so
/// traffic comes from many registered numbers as in real life. The i-th (from 0) is +15551000000 + i;
/// they are spread over the plans, languages and prepaid/postpaid, each with usage this cycle and
/// six closed months of bills. Deterministic: the same N and day give the same rows.
/// </summary>
public static class SyntheticSubscribers
{
    public const long FirstNumber = 15551000000;

    public static string Number(long i) => "+" + (FirstNumber + i);

    /// <summary>Adds the subscribers not there yet, in one transaction; returns how many were added.</summary>
    public static int Seed(Database db, int count, DateOnly today)
    {
        DemoData.Seed(db, today); // the plans they are on
        var plans = DemoData.Plans;
        string[] languages = ["en", "en", "en", "fr", "zh", "fa"];
        var cycleStart = Dates.Write(new DateOnly(today.Year, today.Month, 1));
        var validUntil = Dates.Write(today.AddDays(30));
        var thisMonth = YearMonth.Of(today);

        using var c = db.Open();
        using var tx = c.BeginTransaction();
        // Prepared once and reused: 100,000 subscribers are about 1.5 million rows.
        var subscriber = Command(c, tx,
            """
            INSERT OR IGNORE INTO subscribers (number, name, language, plan_code, postpaid, balance_cents, valid_until)
            VALUES ($number, $name, $language, $plan, $postpaid, $balance, $valid_until)
            """);
        var usage = Command(c, tx,
            """
            INSERT OR IGNORE INTO usage (number, cycle_start, data_mb_used, minutes_used, sms_used)
            VALUES ($number, $cycle_start, $data, $minutes, $sms)
            """);
        var bill = Command(c, tx,
            "INSERT INTO bills (number, period, total_cents, due_date, paid_on) VALUES ($number, $period, $total, $due, $paid_on) RETURNING id");
        var line = Command(c, tx, "INSERT INTO bill_lines (bill_id, position, description, amount_cents) VALUES ($bill, $position, $description, $amount)");

        var added = 0;
        for (var i = 0L; i < count; i++)
        {
            var number = Number(i);
            var plan = plans[(int)(i % plans.Count)];
            var postpaid = i % 3 == 0;
            if (Run(subscriber, ("$number", number), ("$name", $"Subscriber {i}"), ("$language", languages[i % languages.Length]),
                    ("$plan", plan.Code), ("$postpaid", postpaid ? 1 : 0), ("$balance", postpaid ? 0 : i * 37 % 5000),
                    ("$valid_until", postpaid ? DBNull.Value : validUntil)) == 0)
            {
                continue; // already there, with its usage and bills
            }
            added++;
            Run(usage, ("$number", number), ("$cycle_start", cycleStart), ("$data", i * 53 % plan.DataMb),
                ("$minutes", i * 7 % plan.Minutes), ("$sms", i * 3 % plan.Sms));
            for (var m = 1; m <= 6; m++)
            {
                var period = thisMonth.AddMonths(-m);
                var extra = (i + m) % 4 == 0 ? (i * m) % 2000 : 0;
                var due = period.AddMonths(1).FirstDay.AddDays(19);
                bill.Parameters["$number"].Value = number;
                bill.Parameters["$period"].Value = period.ToString();
                bill.Parameters["$total"].Value = plan.MonthlyFeeCents + extra;
                bill.Parameters["$due"].Value = Dates.Write(due);
                bill.Parameters["$paid_on"].Value = m == 1 && postpaid ? DBNull.Value : Dates.Write(due.AddDays(-3));
                var id = (long)bill.ExecuteScalar()!;
                Run(line, ("$bill", id), ("$position", 1), ("$description", $"Plan {plan.Code}"), ("$amount", plan.MonthlyFeeCents));
                if (extra > 0) Run(line, ("$bill", id), ("$position", 2), ("$description", "Roaming"), ("$amount", extra));
            }
        }
        tx.Commit();
        return added;
    }

    private static SqliteCommand Command(SqliteConnection c, SqliteTransaction tx, string sql)
    {
        var command = c.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (System.Text.RegularExpressions.Match name in System.Text.RegularExpressions.Regex.Matches(sql, @"\$[a-z_]+"))
        {
            if (!command.Parameters.Contains(name.Value)) command.Parameters.Add(new SqliteParameter(name.Value, null));
        }
        command.Prepare();
        return command;
    }

    private static int Run(SqliteCommand command, params (string Name, object Value)[] values)
    {
        foreach (var (name, value) in values) command.Parameters[name].Value = value;
        return command.ExecuteNonQuery();
    }
}
