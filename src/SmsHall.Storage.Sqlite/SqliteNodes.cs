using Dapper;
using SmsHall.Core.Ports;

namespace SmsHall.Storage.Sqlite;

/// <summary>The nodes' reports, on SQLite.</summary>
public sealed class SqliteNodes(Database db) : INodes
{
    public async Task ReportAsync(string name, long? catalogueVersion, DateTimeOffset at, CancellationToken ct = default)
    {
        using var c = db.Open();
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO nodes (name, catalogue_version, last_seen) VALUES (@name, @catalogueVersion, @at)
            ON CONFLICT (name) DO UPDATE SET catalogue_version = excluded.catalogue_version, last_seen = excluded.last_seen
            """, new { name, catalogueVersion, at = Dates.Write(at) }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<NodeSeen>> SeenSinceAsync(DateTimeOffset since, CancellationToken ct = default)
    {
        using var c = db.Open();
        var rows = await c.QueryAsync<(string Name, long? Version, string LastSeen)>(new CommandDefinition(
            "SELECT name, catalogue_version, last_seen FROM nodes WHERE last_seen >= @since ORDER BY name",
            new { since = Dates.Write(since) }, cancellationToken: ct));
        return rows.Select(r => new NodeSeen(r.Name, r.Version, Dates.ReadTime(r.LastSeen))).ToList();
    }
}
