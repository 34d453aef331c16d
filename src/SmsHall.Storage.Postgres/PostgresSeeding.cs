using Dapper;
using Npgsql;
using SmsHall.Core.Accounts;
using SmsHall.Core.Ports;

namespace SmsHall.Storage.Postgres;

/// <summary>Writes the demo data and synthetic subscribers (<see cref="DemoData"/>, <see cref="SyntheticSubscribers"/>) to PostgreSQL.</summary>
public sealed class PostgresSeeding(PostgresDatabase db) : ISeeding
{
    public bool IsEmpty()
    {
        using var c = db.Open();
        return !c.ExecuteScalar<bool>("SELECT EXISTS (SELECT 1 FROM subscribers)");
    }

    public int SeedDemo(DateOnly today) => Seed(DemoData.Subscribers(today));

    public int SeedSynthetic(int count, DateOnly today) =>
        Seed(Enumerable.Range(0, count).Select(i => SyntheticSubscribers.Make(i, today)));

    private int Seed(IEnumerable<SeedSubscriber> subscribers)
    {
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        // Every statement planned for the tables as they are now: a plan kept from the first
        // subscribers, made for empty tables, looked for a subscriber's payments by reading every
        // payment, and 100,000 subscribers took minutes (4.7 ms each) rather than seconds.
        c.Execute("SET LOCAL plan_cache_mode = force_custom_plan", transaction: tx);
        foreach (var p in DemoData.Plans)
        {
            c.Execute(
                """
                INSERT INTO plans (code, name, monthly_fee_cents, data_mb, minutes, sms)
                VALUES (@Code, @Name, @MonthlyFeeCents, @DataMb, @Minutes, @Sms) ON CONFLICT DO NOTHING
                """, p, tx);
        }
        foreach (var (code, amount) in DemoData.Vouchers)
            c.Execute("INSERT INTO vouchers (code, amount_cents) VALUES (@code, @amount) ON CONFLICT DO NOTHING", new { code, amount }, tx);
        foreach (var r in DemoData.Rewards)
        {
            c.Execute("INSERT INTO rewards (code, points, kind, amount) VALUES (@Code, @Points, @kind, @Amount) ON CONFLICT DO NOTHING",
                new { r.Code, r.Points, kind = r.Kind == RewardKind.Data ? "data" : "credit", r.Amount }, tx);
        }
        foreach (var p in DemoData.Packs)
        {
            c.Execute("INSERT INTO data_packs (code, data_mb, price_cents, valid_days) VALUES (@Code, @DataMb, @PriceCents, @ValidDays) ON CONFLICT DO NOTHING", p, tx);
        }
        foreach (var e in DemoData.Extras) SaveExtra(c, tx, e, replace: false);

        var added = 0;
        foreach (var s in subscribers)
        {
            if (Add(c, tx, s)) added++;
        }
        tx.Commit();
        return added;
    }

    /// <summary>
    /// A subscriber with its usage, bills and bill lines in one round trip: the statements go as one
    /// batch (prepared after a few uses by Npgsql's automatic preparation), and 100,000 subscribers do
    /// not mean a million round trips.
    /// </summary>
    private static bool Add(NpgsqlConnection c, NpgsqlTransaction tx, SeedSubscriber s)
    {
        using var batch = new NpgsqlBatch(c, tx);
        batch.BatchCommands.Add(Command(
            """
            INSERT INTO subscribers (number, name, language, plan_code, postpaid, balance_cents, valid_until)
            VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING
            """, s.Number, s.Name, s.Language, s.PlanCode, s.Postpaid, s.BalanceCents, (object?)s.ValidUntil ?? DBNull.Value));
        // Rows already there are kept: a subscriber seeded before keeps its usage, and its bills (and so their lines).
        batch.BatchCommands.Add(Command(
            """
            INSERT INTO usage (number, cycle_start, data_mb_used, minutes_used, sms_used)
            VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING
            """, s.Number, s.Usage.CycleStart, s.Usage.DataMbUsed, s.Usage.MinutesUsed, s.Usage.SmsUsed));
        foreach (var bill in s.Bills)
        {
            batch.BatchCommands.Add(Command(
                """
                WITH bill AS (
                    INSERT INTO bills (number, period, total_cents, due_date, paid_on)
                    VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING id)
                INSERT INTO bill_lines (bill_id, position, description, amount_cents)
                SELECT bill.id, line.position, line.description, line.amount
                FROM bill, unnest($6::text[], $7::bigint[]) WITH ORDINALITY AS line (description, amount, position)
                """, s.Number, bill.Period.ToString(), bill.TotalCents, bill.Due, (object?)bill.PaidOn ?? DBNull.Value,
                bill.Lines.Select(l => l.Description).ToArray(), bill.Lines.Select(l => l.AmountCents).ToArray()));
        }
        AddSelfService(batch, s);
        batch.ExecuteNonQuery();
        return batch.BatchCommands[0].RecordsAffected == 1;
    }

    /// <summary>
    /// The subscriber's points, payments, itemised records and extras, each kind in one statement
    /// (arrays unnested); a kind the subscriber already has rows of is left as it is.
    /// </summary>
    private static void AddSelfService(NpgsqlBatch batch, SeedSubscriber s)
    {
        batch.BatchCommands.Add(Command(
            """
            INSERT INTO point_lots (number, points, points_left, expires_on)
            SELECT $1, p, p, e FROM unnest($2::int[], $3::date[]) AS lot (p, e)
            WHERE p > 0 AND NOT EXISTS (SELECT 1 FROM point_lots WHERE number = $1)
            """, s.Number, s.Points.Select(p => p.Points).ToArray(), s.Points.Select(p => p.ExpiresOn).ToArray()));
        batch.BatchCommands.Add(Command(
            """
            INSERT INTO payments (number, paid_on, amount_cents, channel)
            SELECT $1, d, a, ch FROM unnest($2::date[], $3::bigint[], $4::text[]) AS p (d, a, ch)
            WHERE NOT EXISTS (SELECT 1 FROM payments WHERE number = $1)
            """, s.Number, s.Payments.Select(p => p.On).ToArray(), s.Payments.Select(p => p.AmountCents).ToArray(), s.Payments.Select(p => p.Channel).ToArray()));
        batch.BatchCommands.Add(Command(
            """
            INSERT INTO usage_records (number, at, kind, counterpart, quantity, cost_cents)
            SELECT $1, t, k, o, q, c FROM unnest($2::timestamptz[], $3::text[], $4::text[], $5::bigint[], $6::bigint[]) AS r (t, k, o, q, c)
            WHERE NOT EXISTS (SELECT 1 FROM usage_records WHERE number = $1)
            """, s.Number, s.Records.Select(r => r.At.UtcDateTime).ToArray(), s.Records.Select(r => r.Kind).ToArray(),
            s.Records.Select(r => r.Counterpart).ToArray(), s.Records.Select(r => r.Quantity).ToArray(), s.Records.Select(r => r.CostCents).ToArray()));
        batch.BatchCommands.Add(Command(
            """
            INSERT INTO subscriptions (number, extra_code, since)
            SELECT $1, x, d FROM unnest($2::text[], $3::date[]) AS e (x, d) ON CONFLICT DO NOTHING
            """, s.Number, s.Extras.Select(e => e.Code).ToArray(), s.Extras.Select(e => e.Since).ToArray()));
    }

    /// <summary>An extra and its names; with <paramref name="replace"/>, over one with its code (names and all). True when it is new.</summary>
    internal static bool SaveExtra(NpgsqlConnection c, NpgsqlTransaction tx, Extra e, bool replace)
    {
        var saved = c.Query<bool>(
            replace
                ? "INSERT INTO extras (code, monthly_fee_cents) VALUES (@Code, @MonthlyFeeCents) ON CONFLICT (code) DO UPDATE SET monthly_fee_cents = excluded.monthly_fee_cents RETURNING xmax = 0"
                : "INSERT INTO extras (code, monthly_fee_cents) VALUES (@Code, @MonthlyFeeCents) ON CONFLICT DO NOTHING RETURNING true",
            new { e.Code, e.MonthlyFeeCents }, tx).ToList();
        if (saved.Count == 0) return false;
        c.Execute("DELETE FROM extra_names WHERE code = @Code", new { e.Code }, tx);
        c.Execute(
            """
            INSERT INTO extra_names (code, position, language, name)
            SELECT @Code, n.position, n.language, n.name FROM unnest(@languages::text[], @names::text[]) WITH ORDINALITY AS n (language, name, position)
            """, new { e.Code, languages = e.Names.Select(n => n.Language).ToArray(), names = e.Names.Select(n => n.Name).ToArray() }, tx);
        return saved[0];
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return command;
    }
}
