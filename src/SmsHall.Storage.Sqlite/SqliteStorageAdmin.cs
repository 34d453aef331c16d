using Dapper;
using Microsoft.Data.Sqlite;
using SmsHall.Core;
using SmsHall.Core.Ports;

namespace SmsHall.Storage.Sqlite;

/// <summary>The SQLite file as a whole: where it is, its migrations, and the storage probe's write.</summary>
public sealed class SqliteStorageAdmin(Database db) : IStorageAdmin
{
    // The room the probe's write needs beyond what it frees: a few dozen messages' worth.
    private const int Room = 64 * 1024;

    public string Provider => "Sqlite";

    public string Location => db.Path;

    public string? LocalFile => db.Path;

    public bool Exists() => File.Exists(db.Path);

    public int Migrate() => db.Migrate();

    public void Probe(string node, DateTimeOffset at)
    {
        try
        {
            using var c = db.Open();
            using var tx = c.BeginTransaction();
            // The new row first, then the previous one deleted: the write needs Room more than the
            // file has in use, as new messages would (see migration 005).
            c.Execute("INSERT INTO node_heartbeat (node, at, room) VALUES (@node, @at, zeroblob(@room))",
                new { node, at = Dates.Write(at), room = Room }, tx);
            c.Execute("DELETE FROM node_heartbeat WHERE node = @node AND id <> last_insert_rowid()", new { node }, tx);
            tx.Commit();
        }
        catch (SqliteException e) when (StorageErrors.CannotWrite(e))
        {
            throw (StorageUnavailableException)StorageErrors.Translate(e);
        }
    }
}
