using System.Reflection;
using Dapper;
using Npgsql;
using SmsHall.Core;

namespace SmsHall.Storage.Postgres;

/// <summary>
/// The PostgreSQL database: a pool of connections (an <see cref="NpgsqlDataSource"/>) and the numbered
/// migrations in Migrations/. The connection string may hold a password: only <see cref="Location"/>
/// (host, port and database) is ever shown.
/// </summary>
public sealed class PostgresDatabase : IDisposable
{
    // pg_advisory_xact_lock(class, key): the classes keep SmsHall's locks apart from anyone else's.
    internal const int MigrationLock = 0x534d5301;
    internal const int NumberLock = 0x534d5302;
    internal const int SidLock = 0x534d5303;
    internal const int CatalogueLock = 0x534d5304;
    internal const int OperatorsLock = 0x534d5305;

    private readonly NpgsqlDataSource _source;
    private readonly NpgsqlDataSource _records;

    public PostgresDatabase(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        // A pooled connection is reset when it goes back to the pool: seven statements (RESET ALL,
        // DISCARD TEMP, UNLISTEN * …) that bench/webhook.sh counted three times a message, more
        // than half of all statements. SmsHall leaves no session state behind (no SET, no temporary
        // tables, only transaction-scoped locks; the LISTEN connection says UNLISTEN before it goes back), so no reset.
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        // Statements used again and again (every message's) are prepared once per connection, unless the operator says otherwise.
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0) builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
        Location = $"{builder.ConnectionStringBuilder.Host}:{builder.ConnectionStringBuilder.Port}/{builder.ConnectionStringBuilder.Database}";
        _source = builder.Build();
        builder.ConnectionStringBuilder.Options = $"{builder.ConnectionStringBuilder.Options} -c synchronous_commit=off".Trim();
        _records = builder.Build();
    }

    /// <summary>Host, port and database: safe to show anywhere.</summary>
    public string Location { get; }

    /// <summary>Why a connection string cannot be used, without quoting it (it may hold a password); null when it can.</summary>
    public static string? Problem(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return string.IsNullOrWhiteSpace(builder.Host) ? "Database:ConnectionString must name a Host" : null;
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            // Npgsql names the keyword it did not take, never the values.
            return $"Database:ConnectionString is not an Npgsql connection string: {e.Message}";
        }
    }

    public NpgsqlConnection Open()
    {
        try
        {
            return _source.OpenConnection();
        }
        catch (Exception e) when (PostgresErrors.CannotWrite(e))
        {
            throw PostgresErrors.Translate(e);
        }
    }

    public Task<NpgsqlConnection> OpenAsync(CancellationToken ct) => OpenAsync(_source, ct);

    /// <summary>
    /// A connection whose commits do not wait for the disk (synchronous_commit off), for recording
    /// messages as they arrive. The record is committed, so every node sees it at once, and it is on
    /// disk by the time its reply is: the reply's commit waits for the log up to itself, and the
    /// record's commit comes before it in the log. If the database server itself stopped before
    /// that, the message was not answered either, and Twilio sends it again.
    /// </summary>
    public Task<NpgsqlConnection> OpenForRecordsAsync(CancellationToken ct) => OpenAsync(_records, ct);

    private static async Task<NpgsqlConnection> OpenAsync(NpgsqlDataSource source, CancellationToken ct)
    {
        try
        {
            return await source.OpenConnectionAsync(ct);
        }
        catch (Exception e) when (PostgresErrors.CannotWrite(e))
        {
            throw PostgresErrors.Translate(e);
        }
    }

    /// <summary>
    /// Closes a connection that LISTENed. Pooled connections are not reset (see the constructor): it
    /// stops listening before it goes back, or the next user of the connection would be woken for
    /// nothing. A broken connection is not pooled again, so it needs nothing.
    /// </summary>
    internal static async ValueTask CloseListenerAsync(NpgsqlConnection listener)
    {
        if (listener.FullState == System.Data.ConnectionState.Open)
        {
            try
            {
                await using var unlisten = new NpgsqlCommand("UNLISTEN *", listener);
                await unlisten.ExecuteNonQueryAsync();
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                // Broken meanwhile: not pooled again either.
            }
        }
        await listener.DisposeAsync();
    }

    /// <summary>
    /// Applies every migration the database has not had yet, in one transaction. Several nodes
    /// starting at once against an empty database: one takes the advisory lock and migrates, the
    /// others wait for it, then find nothing to do. Returns how many ran.
    /// </summary>
    public int Migrate()
    {
        using var c = Open();
        using var tx = c.BeginTransaction();
        c.Execute("SELECT pg_advisory_xact_lock(@MigrationLock, 0)", new { MigrationLock }, tx);
        c.Execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                number     integer PRIMARY KEY,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, transaction: tx);
        var done = c.Query<int>("SELECT number FROM schema_migrations", transaction: tx).ToHashSet();
        var applied = 0;
        foreach (var (number, sql) in Migrations().Where(m => !done.Contains(m.Number)))
        {
            c.Execute(sql, transaction: tx);
            c.Execute("INSERT INTO schema_migrations (number) VALUES (@number)", new { number }, tx);
            applied++;
        }
        tx.Commit();
        return applied;
    }

    /// <summary>Whether the database is there to connect to (it is created by its owner, not by SmsHall).</summary>
    public bool Exists()
    {
        try
        {
            using var c = _source.OpenConnection();
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _source.Dispose();
        _records.Dispose();
    }

    private static IEnumerable<(int Number, string Sql)> Migrations()
    {
        var assembly = Assembly.GetExecutingAssembly();
        const string prefix = "SmsHall.Storage.Postgres.Migrations.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var file = n[prefix.Length..].TrimStart('_');
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return (int.Parse(file[..file.IndexOf('_')]), reader.ReadToEnd());
            })
            .OrderBy(m => m.Item1);
    }
}

/// <summary>Which PostgreSQL errors mean "the database cannot be written now", as opposed to a mistake in what was written.</summary>
public static class PostgresErrors
{
    /// <summary>
    /// The server cannot be reached or is going away (class 08, 57P), is out of room, memory or
    /// connections (class 53), is read-only (25006), or the write waited too long for a lock (55P03).
    /// Constraint violations and SQL mistakes are not among them: those are bugs.
    /// </summary>
    public static bool CannotWrite(Exception e) => e switch
    {
        PostgresException p => p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState.StartsWith("53", StringComparison.Ordinal)
            || p.SqlState.StartsWith("57P", StringComparison.Ordinal) || p.SqlState is "25006" or "55P03",
        NpgsqlException n => n.IsTransient || n.InnerException is System.Net.Sockets.SocketException or IOException or TimeoutException,
        _ => false,
    };

    /// <summary>The exception the core understands for those errors; any other is left as it is.</summary>
    public static Exception Translate(Exception e) =>
        CannotWrite(e) ? new StorageUnavailableException($"The database cannot be written: {e.Message}", e) : e;
}
