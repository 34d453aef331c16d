using Dapper;
using Npgsql;
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
        batch.ExecuteNonQuery();
        return batch.BatchCommands[0].RecordsAffected == 1;
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return command;
    }
}
