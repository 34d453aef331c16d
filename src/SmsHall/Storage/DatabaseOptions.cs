namespace SmsHall.Storage;

/// <summary>Which storage provider a node uses.</summary>
public enum StorageProvider
{
    /// <summary>One SQLite file (Database:Path): the embedded default, one node.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database (Database:ConnectionString): any number of nodes share it.</summary>
    Postgres,
}

/// <summary>Section "Database" of appsettings.json.</summary>
public sealed class DatabaseOptions
{
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>The SQLite file (Provider Sqlite).</summary>
    public string Path { get; set; } = "data/smshall.db";

    /// <summary>Npgsql's connection string (Provider Postgres). It may hold a password: it is never logged or shown.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// When set, the database file is not let grow past this many megabytes: a write that would grow it
    /// further fails as on a full disk, while the disk still has room for everything else (SQLite only).
    /// </summary>
    public int? MaxSizeMB { get; set; }

    /// <summary>While the database cannot be written, how often this node tries a small write to see whether it can again.</summary>
    public int ProbeSeconds { get; set; } = 5;

    public string? Problem() =>
        !Enum.IsDefined(Provider) ? "Database:Provider must be Sqlite or Postgres"
        : Provider == StorageProvider.Sqlite && string.IsNullOrWhiteSpace(Path) ? "Database:Path must name the SQLite file"
        : Provider == StorageProvider.Postgres && string.IsNullOrWhiteSpace(ConnectionString)
            ? "Database:ConnectionString must be set for Database:Provider=Postgres (Npgsql's format: Host=…;Database=…;Username=…)"
        : Provider == StorageProvider.Postgres && Postgres.PostgresDatabase.Problem(ConnectionString) is { } problem ? problem
        : MaxSizeMB is < 1 or > 1_000_000 ? "Database:MaxSizeMB must be a number of megabytes from 1 to 1000000 (or unset, for no limit)"
        : ProbeSeconds is < 1 or > 3600 ? "Database:ProbeSeconds must be a number of seconds from 1 to 3600"
        : null;
}
