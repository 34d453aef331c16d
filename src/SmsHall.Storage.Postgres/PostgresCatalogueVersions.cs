using Dapper;
using Npgsql;
using SmsHall.Core.Catalogue;

namespace SmsHall.Storage.Postgres;

/// <summary>The stored catalogue versions, shared by every node.</summary>
public sealed class PostgresCatalogueVersions(PostgresDatabase db) : ICatalogueVersions
{
    private const string Columns = "number AS Number, hash AS Hash, text AS Text, source AS Source, loaded_at AS LoadedAt";

    public CatalogueVersion? Latest() => Read($"SELECT {Columns} FROM catalogue_versions ORDER BY number DESC LIMIT 1", null);

    public CatalogueVersion? LatestFrom(string source) =>
        Read($"SELECT {Columns} FROM catalogue_versions WHERE source = @source ORDER BY number DESC LIMIT 1", source);

    public CatalogueVersion Store(string text, string source, DateTimeOffset at)
    {
        using var c = db.Open();
        var hash = CatalogueVersion.HashOf(text);
        var number = c.ExecuteScalar<long>(
            """
            INSERT INTO catalogue_versions (hash, source, text, loaded_at) VALUES (@hash, @source, @text, @at)
            RETURNING number
            """, new { hash, source, text, at = at.ToUniversalTime() });
        return new CatalogueVersion(number, hash, text, source, at);
    }

    // A command that only reads (parse) may run against a database not migrated yet: it simply has none.
    private CatalogueVersion? Read(string sql, string? source)
    {
        try
        {
            using var c = db.Open();
            var row = c.QuerySingleOrDefault<Row>(sql, new { source });
            return row is null ? null : new CatalogueVersion(row.Number, row.Hash, row.Text, row.Source, PostgresAccounts.Utc(row.LoadedAt));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return null;
        }
    }

    private sealed record Row(long Number, string Hash, string Text, string Source, DateTime LoadedAt);
}
