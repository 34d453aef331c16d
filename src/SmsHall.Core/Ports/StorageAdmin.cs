namespace SmsHall.Core.Ports;

/// <summary>The database as a whole: its schema, whether it is there and whether it can be written.</summary>
public interface IStorageAdmin
{
    /// <summary>"Sqlite" or "Postgres".</summary>
    string Provider { get; }

    /// <summary>Where the database is, safe to show in a log line or on /health: a path, or host, port and database — never a password.</summary>
    string Location { get; }

    /// <summary>The SQLite file a command must never write over; null for a database on a server.</summary>
    string? LocalFile { get; }

    /// <summary>Whether there is a database to read, without creating one.</summary>
    bool Exists();

    /// <summary>Creates the database or schema if needed and applies every migration it has not had yet; returns how many ran.</summary>
    int Migrate();

    /// <summary>
    /// The storage probe's small write. Throws <see cref="StorageUnavailableException"/> while the
    /// database cannot be written; any other exception is a bug.
    /// </summary>
    void Probe(string node, DateTimeOffset at);
}
