using System.Runtime.CompilerServices;
using SQLitePCL;

namespace SmsHall.Storage.Sqlite;

/// <summary>
/// SQLite's process-wide settings. They only take effect before the library opens its first
/// connection, so they are made when this assembly loads, before any of its code runs.
/// </summary>
internal static class SqliteLibrary
{
#pragma warning disable CA2255 // a library's module initializer: the one moment before any connection opens
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Configure()
    {
        Batteries_V2.Init();
        // Memory statistics take one process-wide mutex around every allocation and free SQLite makes:
        // 6 % of replay's samples were that mutex (docs/performance.md). Nothing reads them (they feed
        // sqlite3_memory_used and the soft heap limit, neither of which SmsHall uses). Refused, with
        // SQLITE_MISUSE, when another assembly opened a connection first; SQLite then keeps counting,
        // which is only slower.
        raw.sqlite3_config(raw.SQLITE_CONFIG_MEMSTATUS, 0);
    }
}
