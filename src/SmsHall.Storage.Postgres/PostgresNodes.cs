using Dapper;
using SmsHall.Core.Ports;

namespace SmsHall.Storage.Postgres;

/// <summary>The nodes' reports, on PostgreSQL.</summary>
public sealed class PostgresNodes(PostgresDatabase db) : INodes
{
    public async Task ReportAsync(NodeReport report, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO nodes (name, catalogue_version, last_seen, hour_messages, hour_p50_ms, hour_p99_ms, day_messages, day_p50_ms, day_p99_ms)
            VALUES (@Name, @CatalogueVersion, @at, @hourMessages, @hourP50, @hourP99, @dayMessages, @dayP50, @dayP99)
            ON CONFLICT (name) DO UPDATE SET catalogue_version = excluded.catalogue_version, last_seen = excluded.last_seen,
                hour_messages = excluded.hour_messages, hour_p50_ms = excluded.hour_p50_ms, hour_p99_ms = excluded.hour_p99_ms,
                day_messages = excluded.day_messages, day_p50_ms = excluded.day_p50_ms, day_p99_ms = excluded.day_p99_ms
            """, new
            {
                report.Name, report.CatalogueVersion, at = report.At.ToUniversalTime(),
                hourMessages = report.LastHour?.Messages, hourP50 = report.LastHour?.P50Ms, hourP99 = report.LastHour?.P99Ms,
                dayMessages = report.LastDay?.Messages, dayP50 = report.LastDay?.P50Ms, dayP99 = report.LastDay?.P99Ms,
            }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<NodeSeen>> SeenSinceAsync(DateTimeOffset since, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT name AS Name, catalogue_version AS Version, last_seen AS LastSeen, hour_messages AS HourMessages, hour_p50_ms AS HourP50,
                   hour_p99_ms AS HourP99, day_messages AS DayMessages, day_p50_ms AS DayP50, day_p99_ms AS DayP99
            FROM nodes WHERE last_seen >= @since ORDER BY name
            """, new { since = since.ToUniversalTime() }, cancellationToken: ct));
        return rows.Select(r => new NodeSeen(r.Name, r.Version, PostgresAccounts.Utc(r.LastSeen),
            Time(r.HourMessages, r.HourP50, r.HourP99), Time(r.DayMessages, r.DayP50, r.DayP99))).ToList();
    }

    private static HandlingTime? Time(long? messages, double? p50, double? p99) =>
        messages is { } n && p50 is { } a && p99 is { } b ? new HandlingTime(n, a, b) : null;

    private sealed class Row
    {
        public string Name { get; init; } = "";
        public long? Version { get; init; }
        public DateTime LastSeen { get; init; }
        public long? HourMessages { get; init; }
        public double? HourP50 { get; init; }
        public double? HourP99 { get; init; }
        public long? DayMessages { get; init; }
        public double? DayP50 { get; init; }
        public double? DayP99 { get; init; }
    }
}
