using Microsoft.Data.Sqlite;
using SmsHall.Core;

namespace SmsHall.Storage.Sqlite;

/// <summary>Which SQLite errors mean "the database cannot be written", as opposed to a mistake in what was written.</summary>
public static class StorageErrors
{
    /// <summary>
    /// SQLITE_FULL (a full disk, or Database:MaxSizeMB reached), SQLITE_IOERR, SQLITE_READONLY,
    /// SQLITE_CANTOPEN (the file or its folder gone or not permitted), SQLITE_BUSY (another process
    /// held the write lock past the 30 s timeout), SQLITE_CORRUPT and SQLITE_NOTADB (the file is damaged
    /// or not a database). Constraint violations and SQL mistakes are not among them: those are bugs.
    /// </summary>
    public static bool CannotWrite(SqliteException e) =>
        (e.SqliteErrorCode & 0xFF) is 5 or 8 or 10 or 11 or 13 or 14 or 26;

    /// <summary>The exception the core understands for those errors; any other is left as it is.</summary>
    public static Exception Translate(Exception e) =>
        e is SqliteException s && CannotWrite(s) ? new StorageUnavailableException($"The database cannot be written: {s.Message}", s) : e;
}
