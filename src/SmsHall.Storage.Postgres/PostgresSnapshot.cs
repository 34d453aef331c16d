using Dapper;
using SmsHall.Core.Ports;

namespace SmsHall.Storage.Postgres;

/// <summary>The shared database read as a snapshot, its values turned into what SQLite stores.</summary>
public sealed class PostgresSnapshot(PostgresDatabase db) : ISnapshotSource
{
    public IEnumerable<SnapshotTable> Read(DateTimeOffset? since, DateTimeOffset? until)
    {
        var window = new { since = since?.ToUniversalTime(), until = until?.ToUniversalTime() };
        const string InWindow = "(@since::timestamptz IS NULL OR received_at >= @since) AND (@until::timestamptz IS NULL OR received_at < @until)";
        foreach (var (table, columns) in SnapshotTables.All)
        {
            var where = table switch
            {
                SnapshotTables.Inbound => $" WHERE {InWindow}",
                SnapshotTables.Outbound => $" WHERE inbound_sid IN (SELECT sid FROM {SnapshotTables.Inbound} WHERE {InWindow})",
                _ => "",
            };
            yield return new SnapshotTable(table, columns, Rows($"SELECT {string.Join(", ", columns)} FROM {table}{where}", window));
        }
    }

    private IEnumerable<object?[]> Rows(string sql, object window)
    {
        using var c = db.Open();
        using var reader = c.ExecuteReader(sql, window);
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : AsSqlite(reader.GetValue(i));
            yield return row;
        }
    }

    private static object AsSqlite(object value) => value switch
    {
        DateTime at => SnapshotTables.Time(PostgresAccounts.Utc(at)),
        DateOnly day => SnapshotTables.Day(day),
        bool flag => flag ? 1L : 0L,
        int n => (long)n,
        _ => value,
    };
}
