using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Data.Sqlite;
using SmsHall.Core.Ports;

namespace SmsHall.Storage.Sqlite;

/// <summary>Writes the demo data and synthetic subscribers (<see cref="DemoData"/>, <see cref="SyntheticSubscribers"/>) to SQLite.</summary>
public sealed partial class SqliteSeeding(Database db) : ISeeding
{
    public bool IsEmpty()
    {
        using var c = db.Open();
        return c.ExecuteScalar<long>("SELECT COUNT(*) FROM subscribers") == 0;
    }

    public int SeedDemo(DateOnly today)
    {
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        SeedPlansAndVouchers(c, tx);
        using var writer = new SubscriberWriter(c, tx);
        var added = DemoData.Subscribers(today).Count(writer.Add);
        tx.Commit();
        return added;
    }

    public int SeedSynthetic(int count, DateOnly today)
    {
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        SeedPlansAndVouchers(c, tx); // the plans they are on
        // Prepared once and reused: 100,000 subscribers are about 1.5 million rows.
        using var writer = new SubscriberWriter(c, tx);
        var added = 0;
        for (var i = 0L; i < count; i++)
        {
            if (writer.Add(SyntheticSubscribers.Make(i, today))) added++;
        }
        tx.Commit();
        return added;
    }

    private static void SeedPlansAndVouchers(SqliteConnection c, SqliteTransaction tx)
    {
        foreach (var p in DemoData.Plans)
        {
            c.Execute(
                """
                INSERT OR IGNORE INTO plans (code, name, monthly_fee_cents, data_mb, minutes, sms)
                VALUES (@Code, @Name, @MonthlyFeeCents, @DataMb, @Minutes, @Sms)
                """, p, tx);
        }
        foreach (var (code, amount) in DemoData.Vouchers)
            c.Execute("INSERT OR IGNORE INTO vouchers (code, amount_cents) VALUES (@code, @amount)", new { code, amount }, tx);
    }

    /// <summary>A subscriber with usage and bills, through statements prepared once.</summary>
    private sealed class SubscriberWriter(SqliteConnection c, SqliteTransaction tx) : IDisposable
    {
        private readonly SqliteCommand _subscriber = Command(c, tx,
            """
            INSERT OR IGNORE INTO subscribers (number, name, language, plan_code, postpaid, balance_cents, valid_until)
            VALUES ($number, $name, $language, $plan, $postpaid, $balance, $valid_until)
            """);
        private readonly SqliteCommand _usage = Command(c, tx,
            """
            INSERT OR IGNORE INTO usage (number, cycle_start, data_mb_used, minutes_used, sms_used)
            VALUES ($number, $cycle_start, $data, $minutes, $sms)
            """);
        private readonly SqliteCommand _bill = Command(c, tx,
            "INSERT OR IGNORE INTO bills (number, period, total_cents, due_date, paid_on) VALUES ($number, $period, $total, $due, $paid_on) RETURNING id");
        private readonly SqliteCommand _line = Command(c, tx,
            "INSERT INTO bill_lines (bill_id, position, description, amount_cents) VALUES ($bill, $position, $description, $amount)");

        /// <summary>Adds the subscriber unless its number is there already (with its usage and bills); true when added.</summary>
        public bool Add(SeedSubscriber s)
        {
            if (Run(_subscriber, ("$number", s.Number), ("$name", s.Name), ("$language", s.Language), ("$plan", s.PlanCode),
                    ("$postpaid", s.Postpaid ? 1 : 0), ("$balance", s.BalanceCents),
                    ("$valid_until", s.ValidUntil is { } v ? Dates.Write(v) : DBNull.Value)) == 0)
            {
                return false;
            }
            Run(_usage, ("$number", s.Number), ("$cycle_start", Dates.Write(s.Usage.CycleStart)), ("$data", s.Usage.DataMbUsed),
                ("$minutes", s.Usage.MinutesUsed), ("$sms", s.Usage.SmsUsed));
            foreach (var bill in s.Bills)
            {
                Set(_bill, ("$number", s.Number), ("$period", bill.Period.ToString()), ("$total", bill.TotalCents), ("$due", Dates.Write(bill.Due)),
                    ("$paid_on", bill.PaidOn is { } paid ? Dates.Write(paid) : DBNull.Value));
                if (_bill.ExecuteScalar() is not long id) continue;
                var position = 1;
                foreach (var line in bill.Lines)
                    Run(_line, ("$bill", id), ("$position", position++), ("$description", line.Description), ("$amount", line.AmountCents));
            }
            return true;
        }

        public void Dispose()
        {
            _subscriber.Dispose();
            _usage.Dispose();
            _bill.Dispose();
            _line.Dispose();
        }
    }

    private static SqliteCommand Command(SqliteConnection c, SqliteTransaction tx, string sql)
    {
        var command = c.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (Match name in ParameterName().Matches(sql))
        {
            if (!command.Parameters.Contains(name.Value)) command.Parameters.Add(new SqliteParameter(name.Value, null));
        }
        command.Prepare();
        return command;
    }

    private static void Set(SqliteCommand command, params (string Name, object Value)[] values)
    {
        foreach (var (name, value) in values) command.Parameters[name].Value = value;
    }

    private static int Run(SqliteCommand command, params (string Name, object Value)[] values)
    {
        Set(command, values);
        return command.ExecuteNonQuery();
    }

    [GeneratedRegex(@"\$[a-z_]+")]
    private static partial Regex ParameterName();
}
