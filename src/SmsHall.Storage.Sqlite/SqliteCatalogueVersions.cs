using Dapper;
using Microsoft.Data.Sqlite;
using SmsHall.Core.Catalogue;
using SmsHall.Core.Ports;

namespace SmsHall.Storage.Sqlite;

/// <summary>The stored catalogue versions, in the catalogue_versions table.</summary>
public sealed class SqliteCatalogueVersions(Database db) : ICatalogueVersions, ICatalogueHistory, ICatalogueChanges
{
    private const string Columns = "number AS Number, hash AS Hash, text AS Text, source AS Source, loaded_at AS LoadedAt";

    public CatalogueVersion? Latest() => Read($"SELECT {Columns} FROM catalogue_versions ORDER BY number DESC LIMIT 1", null, null);

    public CatalogueVersion? LatestFrom(string source) =>
        Read($"SELECT {Columns} FROM catalogue_versions WHERE source = @source ORDER BY number DESC LIMIT 1", source, null);

    /// <summary>
    /// Stores a version, unless the newest from the same source is this very text: nodes sharing a
    /// file that start at the same moment store it once (the write transaction makes them take turns).
    /// </summary>
    public CatalogueVersion Store(string text, string source, DateTimeOffset at)
    {
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        var version = Newest(c, tx, source) is { } newest && newest.Hash == CatalogueVersion.HashOf(text) ? newest : Insert(c, tx, text, source, null, null, at);
        tx.Commit();
        return version;
    }

    private static CatalogueVersion? Newest(SqliteConnection c, SqliteTransaction tx, string source)
    {
        var row = c.QuerySingleOrDefault<Row>($"SELECT {Columns} FROM catalogue_versions WHERE source = @source ORDER BY number DESC LIMIT 1", new { source }, tx);
        return row is null ? null : new CatalogueVersion(row.Number, row.Hash, row.Text, row.Source, Dates.ReadTime(row.LoadedAt));
    }

    public CatalogueVersion Publish(string text, string source, string? by, string? note, DateTimeOffset at)
    {
        using var c = db.Open();
        return Insert(c, null, text, source, by, note, at);
    }

    private static CatalogueVersion Insert(SqliteConnection c, SqliteTransaction? tx, string text, string source, string? by, string? note, DateTimeOffset at)
    {
        var hash = CatalogueVersion.HashOf(text);
        var number = c.ExecuteScalar<long>(
            """
            INSERT INTO catalogue_versions (hash, source, text, loaded_at, published_by, note) VALUES (@hash, @source, @text, @at, @by, @note)
            RETURNING number
            """, new { hash, source, text, at = Dates.Write(at), by, note }, tx);
        return new CatalogueVersion(number, hash, text, source, at);
    }

    public IReadOnlyList<PublishedVersion> History()
    {
        using var c = db.Open();
        return c.Query<HistoryRow>(
            "SELECT number, hash, source, loaded_at AS LoadedAt, published_by AS PublishedBy, note FROM catalogue_versions ORDER BY number DESC")
            .Select(r => new PublishedVersion(r.Number, r.Hash, r.Source, Dates.ReadTime(r.LoadedAt), r.PublishedBy, r.Note)).ToList();
    }

    public CatalogueVersion? Find(long number) => Read($"SELECT {Columns} FROM catalogue_versions WHERE number = @number", null, number);

    // One node on one file: nothing to listen to, so the node looks again after the timeout (a cheap read).
    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => Task.Delay(timeout, ct);

    // A command that only reads (parse) may run where there is no database yet, or one from before
    // versions were stored: either simply has none.
    private CatalogueVersion? Read(string sql, string? source, long? number)
    {
        if (!File.Exists(db.Path)) return null;
        try
        {
            using var c = db.Open();
            var row = c.QuerySingleOrDefault<Row>(sql, new { source, number });
            return row is null ? null : new CatalogueVersion(row.Number, row.Hash, row.Text, row.Source, Dates.ReadTime(row.LoadedAt));
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 1 && e.Message.Contains("no such table", StringComparison.Ordinal))
        {
            return null;
        }
    }

    private sealed record Row(long Number, string Hash, string Text, string Source, string LoadedAt);

    private sealed class HistoryRow
    {
        public long Number { get; init; }
        public string Hash { get; init; } = "";
        public string Source { get; init; } = "";
        public string LoadedAt { get; init; } = "";
        public string? PublishedBy { get; init; }
        public string? Note { get; init; }
    }
}
