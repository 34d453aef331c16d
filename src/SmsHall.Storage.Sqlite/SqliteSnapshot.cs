using Dapper;
using Microsoft.Data.Sqlite;
using SmsHall.Core.Ports;

namespace SmsHall.Storage.Sqlite;

/// <summary>The live SQLite file read as a snapshot, and any provider's snapshot written as an SQLite file.</summary>
public sealed class SqliteSnapshot(Database db) : ISnapshotSource
{
    public IEnumerable<SnapshotTable> Read(DateTimeOffset? since, DateTimeOffset? until)
    {
        var window = new
        {
            since = since is { } s ? Dates.Write(s) : "",
            until = until is { } u ? Dates.Write(u) : "~", // sorts after every ISO date
        };
        foreach (var (table, columns) in SnapshotTables.All)
        {
            var where = table switch
            {
                SnapshotTables.Inbound => " WHERE received_at >= @since AND received_at < @until",
                SnapshotTables.Outbound => $" WHERE inbound_sid IN (SELECT sid FROM {SnapshotTables.Inbound} WHERE received_at >= @since AND received_at < @until)",
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
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            yield return row;
        }
    }

    /// <summary>
    /// Writes <paramref name="tables"/> as a new SQLite database at <paramref name="path"/> (which must
    /// not exist yet), migrated like any other, as one file with no write-ahead log beside it.
    /// </summary>
    public static void Write(string path, IEnumerable<SnapshotTable> tables)
    {
        var snapshot = new Database(path);
        snapshot.Migrate();
        using (var c = snapshot.Open())
        {
            using var tx = c.BeginTransaction();
            foreach (var table in tables)
            {
                using var insert = c.CreateCommand();
                insert.Transaction = tx;
                insert.CommandText =
                    $"INSERT INTO {table.Name} ({string.Join(", ", table.Columns)}) VALUES ({string.Join(", ", table.Columns.Select((_, i) => $"$p{i}"))})";
                var parameters = table.Columns.Select((_, i) => insert.Parameters.Add(new SqliteParameter($"$p{i}", null))).ToArray();
                insert.Prepare();
                foreach (var row in table.Rows)
                {
                    for (var i = 0; i < parameters.Length; i++) parameters[i].Value = row[i] ?? DBNull.Value;
                    insert.ExecuteNonQuery();
                }
            }
            tx.Commit();
        }
        snapshot.CloseConnections();
        using var single = new SqliteConnection($"Data Source={path};Pooling=False");
        single.Open();
        single.Execute("PRAGMA journal_mode = DELETE");
    }
}
