using Dapper;
using SmsHall.Core.Accounts;
using SmsHall.Core.Ports;

namespace SmsHall.Storage.Sqlite;

/// <summary>What the notice run may tell subscribers about, on SQLite: one read per kind of notice.</summary>
public sealed class SqliteNoticeSources(Database db) : INoticeSources
{
    // Subscribers still listening to a category: not opted out, and not refused it.
    private const string Listening =
        "s.opted_out = 0 AND NOT EXISTS (SELECT 1 FROM alert_refusals r WHERE r.number = s.number AND r.category = @category)";

    public async Task<IReadOnlyList<UnpaidBill>> UnpaidBillsAsync(CancellationToken ct = default)
    {
        using var c = db.Open();
        var rows = await c.QueryAsync<(string Number, string Language, string Period, long TotalCents, string Due)>(new CommandDefinition(
            $"""
            SELECT s.number, s.language, b.period, b.total_cents, b.due_date
            FROM subscribers s JOIN bills b ON b.number = s.number
            WHERE s.postpaid = 1 AND b.paid_on IS NULL AND {Listening}
              AND b.period = (SELECT MAX(period) FROM bills l WHERE l.number = s.number)
            ORDER BY s.number
            """, new { category = AlertCategories.Bill }, cancellationToken: ct));
        return [.. rows.Select(r => new UnpaidBill(r.Number, r.Language, YearMonth.Parse(r.Period), r.TotalCents, Dates.ReadDate(r.Due)))];
    }

    public async Task<IReadOnlyList<LowBalance>> LowBalancesAsync(long belowCents, CancellationToken ct = default)
    {
        using var c = db.Open();
        var rows = await c.QueryAsync<(string Number, string Language, long BalanceCents, string? LastTopUp)>(new CommandDefinition(
            $"""
            SELECT s.number, s.language, s.balance_cents,
                   (SELECT MAX(day) FROM (SELECT paid_on AS day FROM payments p WHERE p.number = s.number
                                          UNION ALL
                                          SELECT substr(redeemed_at, 1, 10) FROM vouchers v WHERE v.redeemed_by = s.number))
            FROM subscribers s
            WHERE s.postpaid = 0 AND s.balance_cents < @belowCents AND {Listening}
            ORDER BY s.number
            """, new { belowCents, category = AlertCategories.Balance }, cancellationToken: ct));
        return [.. rows.Select(r => new LowBalance(r.Number, r.Language, r.BalanceCents, Dates.ReadDateOrNull(r.LastTopUp)))];
    }

    public async Task<IReadOnlyList<DataUse>> DataUseAsync(int percent, CancellationToken ct = default)
    {
        using var c = db.Open();
        var rows = await c.QueryAsync<(string Number, string Language, string CycleStart, long UsedMb, long AllowanceMb)>(new CommandDefinition(
            $"""
            SELECT * FROM (
                SELECT s.number, s.language, u.cycle_start, u.data_mb_used AS used,
                       p.data_mb + COALESCE((SELECT SUM(d.data_mb) FROM data_added d
                                             WHERE d.number = s.number AND substr(d.added_at, 1, 10) >= u.cycle_start), 0) AS allowance
                FROM subscribers s JOIN usage u ON u.number = s.number JOIN plans p ON p.code = s.plan_code
                WHERE {Listening})
            WHERE allowance > 0 AND used * 100 >= @percent * allowance
            ORDER BY number
            """, new { percent, category = AlertCategories.Data }, cancellationToken: ct));
        return [.. rows.Select(r => new DataUse(r.Number, r.Language, Dates.ReadDate(r.CycleStart), (int)r.UsedMb, (int)r.AllowanceMb))];
    }

    public async Task<IReadOnlyList<ExpiringPoints>> ExpiringPointsAsync(DateOnly from, DateOnly until, CancellationToken ct = default)
    {
        using var c = db.Open();
        var rows = await c.QueryAsync<(string Number, string Language, string ExpiresOn, long Points)>(new CommandDefinition(
            $"""
            SELECT s.number, s.language, l.expires_on, SUM(l.points_left)
            FROM point_lots l JOIN subscribers s ON s.number = l.number
            WHERE l.points_left > 0 AND l.expires_on >= @from AND l.expires_on <= @until AND {Listening}
              AND l.expires_on = (SELECT MIN(m.expires_on) FROM point_lots m WHERE m.number = l.number AND m.points_left > 0 AND m.expires_on >= @from)
            GROUP BY s.number, s.language, l.expires_on
            ORDER BY s.number
            """, new { from = Dates.Write(from), until = Dates.Write(until), category = AlertCategories.Points }, cancellationToken: ct));
        return [.. rows.Select(r => new ExpiringPoints(r.Number, r.Language, Dates.ReadDate(r.ExpiresOn), r.Points))];
    }

    public async Task<IReadOnlySet<(string Number, string Reason)>> NoticesSentAsync(DateTimeOffset since, CancellationToken ct = default)
    {
        using var c = db.Open();
        var rows = await c.QueryAsync<(string Number, string Reason)>(new CommandDefinition(
            "SELECT to_number, reason FROM outbound_messages WHERE purpose = 'notice' AND created_at >= @since",
            new { since = Dates.Write(since) }, cancellationToken: ct));
        return rows.ToHashSet();
    }
}
