using System.Reflection;
using Dapper;
using Microsoft.Data.Sqlite;

namespace SmsHall.Storage.Sqlite;

/// <summary>
/// The SQLite file: opens connections, lends readers that keep their prepared statements, and
/// applies the numbered migrations in Storage/Migrations.
/// </summary>
public sealed class Database : IDisposable
{
    private readonly System.Collections.Concurrent.ConcurrentBag<Statements> _readers = [];
    private readonly long? _maxBytes;
    private readonly Dictionary<string, object> _products = new(StringComparer.Ordinal);
    private Statements? _scratch;
    private volatile bool _closed;

    /// <param name="scratch">
    /// True for a scratch copy that one caller uses at a time (replay): reads and the log writer share
    /// one connection, the writer runs each write at once and commits every thousand writes, without
    /// fsync, instead of each batch, and products are read once (<see cref="ReadProducts"/>). The same
    /// statements run, and each sees what the ones before it wrote; it is only the copy's durability,
    /// and the waiting a shared writer needs, that is given up, several times faster.
    /// </param>
    /// <param name="maxSizeMB">When set, no connection lets the file grow past this size (Database:MaxSizeMB).</param>
    public Database(string path, bool scratch = false, int? maxSizeMB = null)
    {
        Scratch = scratch;
        _maxBytes = maxSizeMB * 1024L * 1024L;
        Path = System.IO.Path.GetFullPath(path);
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    public bool Scratch { get; }

    public string ConnectionString { get; }

    public SqliteConnection Open()
    {
        // SQLite's default synchronous=FULL: a committed message survives a power cut, not just a crash.
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        // A connection that finds the database locked by another's write waits in SQLite's own busy
        // handler, which tries again after 1, 2, 5, 10… ms. Without it Microsoft.Data.Sqlite tries again
        // only every 150 ms: the log writer's BEGIN IMMEDIATE meeting the node's 10-second report (one
        // short write) held every message of that batch 150 ms, the SQLite node's p99.9 (docs/performance.md).
        connection.Execute($"PRAGMA busy_timeout = {connection.DefaultTimeout * 1000}");
        // The limit is SQLite's, per connection, in pages: every connection this class opens carries it.
        // A file already larger keeps its size: SQLite does not lower the limit below it.
        if (_maxBytes is { } max)
        {
            var pageSize = connection.ExecuteScalar<long>("PRAGMA page_size");
            connection.Execute($"PRAGMA max_page_count = {Math.Max(1, max / pageSize)}");
        }
        return connection;
    }

    /// <summary>
    /// Runs a read on a connection lent for the call, one whose statements stay prepared; as many
    /// readers exist as reads have ever run at once.
    /// </summary>
    public T Read<T>(Func<Statements, T> read)
    {
        if (Scratch) return read(ScratchConnection());
        if (!_readers.TryTake(out var reader)) reader = new Statements(Open());
        try
        {
            return read(reader);
        }
        finally
        {
            if (_closed) reader.Dispose();
            else _readers.Add(reader);
        }
    }

    /// <summary>
    /// A read of products (plans, extras, packs, rewards). On a scratch copy it runs once and its result
    /// is kept: nothing a message does changes products (operators do, through <see cref="SqliteProducts"/>,
    /// which forgets what was kept), and a usage message alone reads the plans each time. Elsewhere it
    /// runs every time, since an operator may change them from another process.
    /// </summary>
    public T ReadProducts<T>(string what, Func<Statements, T> read) where T : class
    {
        if (!Scratch) return Read(read);
        if (_products.TryGetValue(what, out var kept)) return (T)kept;
        var made = Read(read);
        _products[what] = made;
        return made;
    }

    /// <summary>Products were changed through this object: a scratch copy reads them again.</summary>
    internal void ProductsChanged() => _products.Clear();

    /// <summary>A scratch copy's one connection, for its reads and its log writer.</summary>
    internal Statements ScratchConnection()
    {
        if (_scratch is not null) return _scratch;
        var connection = Open();
        connection.Execute("PRAGMA synchronous = OFF");
        return _scratch = new Statements(connection);
    }

    /// <summary>Closes the readers and the pooled connections to this file, so it can be copied or deleted.</summary>
    public void CloseConnections()
    {
        _scratch?.Dispose();
        _scratch = null;
        while (_readers.TryTake(out var reader)) reader.Dispose();
        using var connection = new SqliteConnection(ConnectionString);
        SqliteConnection.ClearPool(connection);
    }

    public void Dispose()
    {
        _closed = true;
        CloseConnections();
    }

    /// <summary>Creates the file if needed and applies every migration it has not had yet. Returns how many ran.</summary>
    public int Migrate()
    {
        var directory = System.IO.Path.GetDirectoryName(Path);
        try
        {
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Database:Path: cannot create the folder for {Path}: {e.Message}", e);
        }

        using var connection = Open();
        // WAL lets readers go on while a writer commits; the mode stays with the file.
        connection.Execute("PRAGMA journal_mode = WAL");

        // One immediate transaction: a second process migrating at the same moment waits, then finds nothing to do.
        using var tx = connection.BeginTransaction();
        var version = connection.ExecuteScalar<long>("PRAGMA user_version", transaction: tx);
        var applied = 0;
        foreach (var (number, sql) in Migrations().Where(m => m.Number > version))
        {
            connection.Execute(sql, transaction: tx);
            connection.Execute($"PRAGMA user_version = {number}", transaction: tx);
            applied++;
        }
        tx.Commit();
        return applied;
    }

    private static IEnumerable<(int Number, string Sql)> Migrations()
    {
        var assembly = Assembly.GetExecutingAssembly();
        const string prefix = "SmsHall.Storage.Sqlite.Migrations.";
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
