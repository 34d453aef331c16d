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
        SeedProducts(c, tx);
        using var writer = new SubscriberWriter(c, tx);
        var added = DemoData.Subscribers(today).Count(writer.Add);
        tx.Commit();
        return added;
    }

    public int SeedSynthetic(int count, DateOnly today)
    {
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        SeedProducts(c, tx); // the plans and extras they have
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

    private static void SeedProducts(SqliteConnection c, SqliteTransaction tx)
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
        foreach (var r in DemoData.Rewards)
        {
            c.Execute("INSERT OR IGNORE INTO rewards (code, points, kind, amount) VALUES (@Code, @Points, @kind, @Amount)",
                new { r.Code, r.Points, kind = SelfServiceRows.Kind(r.Kind), r.Amount }, tx);
        }
        foreach (var p in DemoData.Packs)
        {
            c.Execute("INSERT OR IGNORE INTO data_packs (code, data_mb, price_cents, valid_days) VALUES (@Code, @DataMb, @PriceCents, @ValidDays)", p, tx);
        }
        foreach (var e in DemoData.Extras) SaveExtra(c, tx, e, replace: false);
    }

    /// <summary>An extra and its names; with <paramref name="replace"/>, over one with its code (names and all).</summary>
    internal static void SaveExtra(SqliteConnection c, SqliteTransaction tx, Core.Accounts.Extra e, bool replace)
    {
        var added = c.Execute(
            replace
                ? "INSERT INTO extras (code, monthly_fee_cents) VALUES (@Code, @MonthlyFeeCents) ON CONFLICT (code) DO UPDATE SET monthly_fee_cents = excluded.monthly_fee_cents"
                : "INSERT OR IGNORE INTO extras (code, monthly_fee_cents) VALUES (@Code, @MonthlyFeeCents)",
            new { e.Code, e.MonthlyFeeCents }, tx);
        if (added == 0) return;
        c.Execute("DELETE FROM extra_names WHERE code = @Code", new { e.Code }, tx);
        for (var i = 0; i < e.Names.Count; i++)
        {
            c.Execute("INSERT INTO extra_names (code, position, language, name) VALUES (@code, @i, @Language, @Name)",
                new { code = e.Code, i, e.Names[i].Language, e.Names[i].Name }, tx);
        }
    }

    /// <summary>A subscriber with usage, bills and the self-service rows, through statements prepared once.</summary>
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
        private readonly SqliteCommand _points = Command(c, tx,
            "INSERT INTO point_lots (number, points, points_left, expires_on) VALUES ($number, $points, $points, $expires)");
        private readonly SqliteCommand _payment = Command(c, tx,
            "INSERT INTO payments (number, paid_on, amount_cents, channel) VALUES ($number, $paid_on, $amount, $channel)");
        private readonly SqliteCommand _record = Command(c, tx,
            "INSERT INTO usage_records (number, at, kind, counterpart, quantity, cost_cents) VALUES ($number, $at, $kind, $counterpart, $quantity, $cost)");
        private readonly SqliteCommand _extra = Command(c, tx,
            "INSERT OR IGNORE INTO subscriptions (number, extra_code, since) VALUES ($number, $code, $since)");

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
            foreach (var lot in s.Points.Where(l => l.Points > 0))
                Run(_points, ("$number", s.Number), ("$points", lot.Points), ("$expires", Dates.Write(lot.ExpiresOn)));
            foreach (var p in s.Payments)
                Run(_payment, ("$number", s.Number), ("$paid_on", Dates.Write(p.On)), ("$amount", p.AmountCents), ("$channel", p.Channel));
            foreach (var r in s.Records)
            {
                Run(_record, ("$number", s.Number), ("$at", Dates.Write(r.At)), ("$kind", r.Kind), ("$counterpart", (object?)r.Counterpart ?? DBNull.Value),
                    ("$quantity", r.Quantity), ("$cost", r.CostCents));
            }
            foreach (var (code, since) in s.Extras) Run(_extra, ("$number", s.Number), ("$code", code), ("$since", Dates.Write(since)));
            return true;
        }

        public void Dispose()
        {
            _subscriber.Dispose();
            _usage.Dispose();
            _bill.Dispose();
            _line.Dispose();
            _points.Dispose();
            _payment.Dispose();
            _record.Dispose();
            _extra.Dispose();
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
