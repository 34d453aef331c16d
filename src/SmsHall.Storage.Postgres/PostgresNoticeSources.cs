using Dapper;
using SmsHall.Core.Accounts;
using SmsHall.Core.Ports;

namespace SmsHall.Storage.Postgres;

/// <summary>What the notice run may tell subscribers about, on PostgreSQL: one read per kind of notice.</summary>
public sealed class PostgresNoticeSources(PostgresDatabase db) : INoticeSources
{
    // Subscribers still listening to a category: not opted out, and not refused it.
    private const string Listening =
        "NOT s.opted_out AND NOT EXISTS (SELECT 1 FROM alert_refusals r WHERE r.number = s.number AND r.category = @category)";

    public async Task<IReadOnlyList<UnpaidBill>> UnpaidBillsAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(string Number, string Language, string Period, long TotalCents, DateOnly Due)>(new CommandDefinition(
            $"""
            SELECT s.number, s.language, b.period, b.total_cents, b.due_date
            FROM subscribers s JOIN bills b ON b.number = s.number
            WHERE s.postpaid AND b.paid_on IS NULL AND {Listening}
              AND b.period = (SELECT max(period) FROM bills l WHERE l.number = s.number)
            ORDER BY s.number
            """, new { category = AlertCategories.Bill }, cancellationToken: ct));
        return [.. rows.Select(r => new UnpaidBill(r.Number, r.Language, YearMonth.Parse(r.Period), r.TotalCents, r.Due))];
    }

    public async Task<IReadOnlyList<LowBalance>> LowBalancesAsync(long belowCents, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(string Number, string Language, long BalanceCents, DateOnly? LastTopUp)>(new CommandDefinition(
            $"""
            SELECT s.number, s.language, s.balance_cents,
                   (SELECT max(day) FROM (SELECT paid_on AS day FROM payments p WHERE p.number = s.number
                                          UNION ALL
                                          SELECT (redeemed_at AT TIME ZONE 'UTC')::date FROM vouchers v WHERE v.redeemed_by = s.number) days)
            FROM subscribers s
            WHERE NOT s.postpaid AND s.balance_cents < @belowCents AND {Listening}
            ORDER BY s.number
            """, new { belowCents, category = AlertCategories.Balance }, cancellationToken: ct));
        return [.. rows.Select(r => new LowBalance(r.Number, r.Language, r.BalanceCents, r.LastTopUp))];
    }

    public async Task<IReadOnlyList<DataUse>> DataUseAsync(int percent, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(string Number, string Language, DateOnly CycleStart, long UsedMb, long AllowanceMb)>(new CommandDefinition(
            $"""
            SELECT * FROM (
                SELECT s.number, s.language, u.cycle_start, u.data_mb_used::bigint AS used,
                       p.data_mb + COALESCE((SELECT sum(d.data_mb) FROM data_added d
                                             WHERE d.number = s.number AND (d.added_at AT TIME ZONE 'UTC')::date >= u.cycle_start), 0)::bigint AS allowance
                FROM subscribers s JOIN usage u ON u.number = s.number JOIN plans p ON p.code = s.plan_code
                WHERE {Listening}) uses
            WHERE allowance > 0 AND used * 100 >= @percent * allowance
            ORDER BY number
            """, new { percent, category = AlertCategories.Data }, cancellationToken: ct));
        return [.. rows.Select(r => new DataUse(r.Number, r.Language, r.CycleStart, (int)r.UsedMb, (int)r.AllowanceMb))];
    }

    public async Task<IReadOnlyList<ExpiringPoints>> ExpiringPointsAsync(DateOnly from, DateOnly until, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(string Number, string Language, DateOnly ExpiresOn, long Points)>(new CommandDefinition(
            $"""
            SELECT s.number, s.language, l.expires_on, sum(l.points_left)::bigint
            FROM point_lots l JOIN subscribers s ON s.number = l.number
            WHERE l.points_left > 0 AND l.expires_on >= @from AND l.expires_on <= @until AND {Listening}
              AND l.expires_on = (SELECT min(m.expires_on) FROM point_lots m WHERE m.number = l.number AND m.points_left > 0 AND m.expires_on >= @from)
            GROUP BY s.number, s.language, l.expires_on
            ORDER BY s.number
            """, new { from, until, category = AlertCategories.Points }, cancellationToken: ct));
        return [.. rows.Select(r => new ExpiringPoints(r.Number, r.Language, r.ExpiresOn, r.Points))];
    }

    public async Task<IReadOnlySet<(string Number, string Reason)>> NoticesSentAsync(DateTimeOffset since, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(string Number, string Reason)>(new CommandDefinition(
            "SELECT to_number, reason FROM outbound_messages WHERE purpose = 'notice' AND created_at >= @since",
            new { since = since.ToUniversalTime() }, cancellationToken: ct));
        return rows.ToHashSet();
    }
}
