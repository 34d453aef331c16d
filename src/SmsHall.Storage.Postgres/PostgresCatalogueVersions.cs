using Dapper;
using Npgsql;
using SmsHall.Core.Catalogue;
using SmsHall.Core.Ports;

namespace SmsHall.Storage.Postgres;

/// <summary>
/// The stored catalogue versions, shared by every node. Storing one notifies the other nodes on the
/// <see cref="Channel"/> channel (LISTEN/NOTIFY), when it commits, so they switch to it at once.
/// </summary>
public sealed class PostgresCatalogueVersions(PostgresDatabase db) : ICatalogueVersions, ICatalogueHistory
{
    /// <summary>The LISTEN/NOTIFY channel that carries the number of each new version.</summary>
    public const string Channel = "smshall_catalogue";

    private const string Columns = "number AS Number, hash AS Hash, text AS Text, source AS Source, loaded_at AS LoadedAt";

    public CatalogueVersion? Latest() => Read($"SELECT {Columns} FROM catalogue_versions ORDER BY number DESC LIMIT 1", null, null);

    public CatalogueVersion? LatestFrom(string source) =>
        Read($"SELECT {Columns} FROM catalogue_versions WHERE source = @source ORDER BY number DESC LIMIT 1", source, null);

    /// <summary>
    /// Stores a version, unless the newest from the same source is this very text: nodes sharing a
    /// file that start at the same moment store it once (they take turns on an advisory lock).
    /// </summary>
    public CatalogueVersion Store(string text, string source, DateTimeOffset at)
    {
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        c.Execute("SELECT pg_advisory_xact_lock(@CatalogueLock, 0)", new { PostgresDatabase.CatalogueLock }, tx);
        var row = c.QuerySingleOrDefault<Row>(
            $"SELECT {Columns} FROM catalogue_versions WHERE source = @source ORDER BY number DESC LIMIT 1", new { source }, tx);
        var version = row is not null && row.Hash == CatalogueVersion.HashOf(text)
            ? new CatalogueVersion(row.Number, row.Hash, row.Text, row.Source, PostgresAccounts.Utc(row.LoadedAt))
            : Insert(c, tx, text, source, null, null, at);
        tx.Commit();
        return version;
    }

    public CatalogueVersion Publish(string text, string source, string? by, string? note, DateTimeOffset at)
    {
        using var c = db.Open();
        return Insert(c, null, text, source, by, note, at);
    }

    private static CatalogueVersion Insert(NpgsqlConnection c, NpgsqlTransaction? tx, string text, string source, string? by, string? note, DateTimeOffset at)
    {
        var hash = CatalogueVersion.HashOf(text);
        // One statement, so one transaction: the notification goes out when the version is committed.
        var number = c.ExecuteScalar<long>(
            $"""
            WITH stored AS (
                INSERT INTO catalogue_versions (hash, source, text, loaded_at, published_by, note) VALUES (@hash, @source, @text, @at, @by, @note)
                RETURNING number)
            SELECT number FROM stored, pg_notify('{Channel}', number::text)
            """, new { hash, source, text, at = at.ToUniversalTime(), by, note }, tx);
        return new CatalogueVersion(number, hash, text, source, at);
    }

    public IReadOnlyList<PublishedVersion> History()
    {
        using var c = db.Open();
        return c.Query<HistoryRow>(
            "SELECT number AS Number, hash AS Hash, source AS Source, loaded_at AS LoadedAt, published_by AS PublishedBy, note AS Note FROM catalogue_versions ORDER BY number DESC")
            .Select(r => new PublishedVersion(r.Number, r.Hash, r.Source, PostgresAccounts.Utc(r.LoadedAt), r.PublishedBy, r.Note)).ToList();
    }

    public CatalogueVersion? Find(long number) => Read($"SELECT {Columns} FROM catalogue_versions WHERE number = @number", null, number);

    // A command that only reads (parse) may run against a database not migrated yet: it simply has none.
    private CatalogueVersion? Read(string sql, string? source, long? number)
    {
        try
        {
            using var c = db.Open();
            var row = c.QuerySingleOrDefault<Row>(sql, new { source, number });
            return row is null ? null : new CatalogueVersion(row.Number, row.Hash, row.Text, row.Source, PostgresAccounts.Utc(row.LoadedAt));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return null;
        }
    }

    private sealed record Row(long Number, string Hash, string Text, string Source, DateTime LoadedAt);

    private sealed record HistoryRow(long Number, string Hash, string Source, DateTime LoadedAt, string? PublishedBy, string? Note);
}
