namespace SmsHall.Storage;

/// <summary>Section "Database" of appsettings.json, beyond its Path.</summary>
public sealed class DatabaseOptions
{
    /// <summary>
    /// When set, the database file is not let grow past this many megabytes: a write that would grow it
    /// further fails as on a full disk, while the disk still has room for everything else.
    /// </summary>
    public int? MaxSizeMB { get; set; }

    /// <summary>While the database cannot be written, how often this node tries a small write to see whether it can again.</summary>
    public int ProbeSeconds { get; set; } = 5;

    public string? Problem() =>
        MaxSizeMB is < 1 or > 1_000_000 ? "Database:MaxSizeMB must be a number of megabytes from 1 to 1000000 (or unset, for no limit)"
        : ProbeSeconds is < 1 or > 3600 ? "Database:ProbeSeconds must be a number of seconds from 1 to 3600"
        : null;
}
