using Dapper;
using SmsHall.Core.Ports;

namespace SmsHall.Storage.Postgres;

/// <summary>The PostgreSQL database as a whole: where it is (never with its password), its migrations, and the storage probe's write.</summary>
public sealed class PostgresStorageAdmin(PostgresDatabase db) : IStorageAdmin
{
    public string Provider => "Postgres";

    public string Location => db.Location;

    public string? LocalFile => null;

    public bool Exists() => db.Exists();

    public int Migrate() => db.Migrate();

    public void Probe(string node, DateTimeOffset at)
    {
        try
        {
            using var c = db.Open();
            c.Execute("INSERT INTO node_heartbeat (node, at) VALUES (@node, @at) ON CONFLICT (node) DO UPDATE SET at = excluded.at",
                new { node, at = at.ToUniversalTime() });
        }
        catch (Exception e) when (PostgresErrors.CannotWrite(e))
        {
            throw PostgresErrors.Translate(e);
        }
    }
}
