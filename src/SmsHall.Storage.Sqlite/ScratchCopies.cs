using Dapper;
using Microsoft.Data.Sqlite;

namespace SmsHall.Storage.Sqlite;

/// <summary>
/// Replay's private SQLite copies, whatever the live storage is: a start database made once, from a
/// snapshot or demo data, and a scratch copy of it per conversation.
/// </summary>
public static class ScratchCopies
{
    /// <summary>
    /// Writes the start database to <paramref name="path"/>: the snapshot as it was before
    /// <paramref name="first"/> (a snapshot taken after the traffic has those messages already, and they
    /// must be handled again, not looked up), or demo data dated <paramref name="demoToday"/>.
    /// Throws <see cref="SqliteException"/> when the snapshot is not an SQLite database.
    /// </summary>
    public static void CreateTemplate(string path, string? snapshot, DateTimeOffset first, DateOnly demoToday)
    {
        if (snapshot is not null)
        {
            using var source = new SqliteConnection($"Data Source={snapshot};Mode=ReadOnly;Pooling=False");
            using var target = new SqliteConnection($"Data Source={path};Pooling=False");
            source.Open();
            target.Open();
            source.BackupDatabase(target);
        }
        var db = new Database(path);
        db.Migrate();
        if (snapshot is null)
        {
            new SqliteSeeding(db).SeedDemo(demoToday);
        }
        else
        {
            using var c = db.Open();
            using var tx = c.BeginTransaction();
            c.Execute(
                """
                DELETE FROM outbox WHERE id IN (SELECT o.id FROM outbound_messages o JOIN inbound_messages i ON i.sid = o.inbound_sid WHERE i.received_at >= @at);
                DELETE FROM outbound_messages WHERE inbound_sid IN (SELECT sid FROM inbound_messages WHERE received_at >= @at);
                DELETE FROM inbound_messages WHERE received_at >= @at;
                """, new { at = Dates.Write(first) }, tx);
            tx.Commit();
        }
        db.CloseConnections();
        // One file to copy, with no write-ahead log beside it (leaving WAL needs the only connection).
        using var single = new SqliteConnection($"Data Source={path};Pooling=False");
        single.Open();
        single.Execute("PRAGMA journal_mode = DELETE");
    }

    /// <summary>A scratch copy of the start database at <paramref name="path"/> (see <see cref="Database"/>'s scratch mode).</summary>
    public static Database Copy(string template, string path)
    {
        File.Copy(template, path);
        var db = new Database(path, scratch: true);
        using (var c = db.Open()) c.Execute("PRAGMA journal_mode = WAL");
        return db;
    }
}
