using Dapper;
using SmsHall.Core.Ports;

namespace SmsHall.Storage.Postgres;

/// <summary>The nodes' reports, on PostgreSQL.</summary>
public sealed class PostgresNodes(PostgresDatabase db) : INodes
{
    public async Task ReportAsync(string name, long? catalogueVersion, DateTimeOffset at, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO nodes (name, catalogue_version, last_seen) VALUES (@name, @catalogueVersion, @at)
            ON CONFLICT (name) DO UPDATE SET catalogue_version = excluded.catalogue_version, last_seen = excluded.last_seen
            """, new { name, catalogueVersion, at = at.ToUniversalTime() }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<NodeSeen>> SeenSinceAsync(DateTimeOffset since, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(string Name, long? Version, DateTime LastSeen)>(new CommandDefinition(
            "SELECT name, catalogue_version, last_seen FROM nodes WHERE last_seen >= @since ORDER BY name",
            new { since = since.ToUniversalTime() }, cancellationToken: ct));
        return rows.Select(r => new NodeSeen(r.Name, r.Version, PostgresAccounts.Utc(r.LastSeen))).ToList();
    }
}
