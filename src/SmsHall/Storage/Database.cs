using System.Reflection;
using Dapper;
using Microsoft.Data.Sqlite;

namespace SmsHall.Storage;

/// <summary>The SQLite file: opens connections and applies the numbered migrations in Storage/Migrations.</summary>
public sealed class Database
{
    private readonly string _connectionString;

    public Database(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // WAL lets readers go on while one writer commits; NORMAL sync is durable in WAL mode
        // against a process crash, and foreign keys keep the log and accounts consistent.
        connection.Execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
        return connection;
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
        var version = connection.ExecuteScalar<long>("PRAGMA user_version");
        var applied = 0;
        foreach (var (number, sql) in Migrations().Where(m => m.Number > version))
        {
            using var tx = connection.BeginTransaction();
            connection.Execute(sql, transaction: tx);
            connection.Execute($"PRAGMA user_version = {number}", transaction: tx);
            tx.Commit();
            applied++;
        }
        return applied;
    }

    private static IEnumerable<(int Number, string Sql)> Migrations()
    {
        var assembly = Assembly.GetExecutingAssembly();
        const string prefix = "SmsHall.Storage.Migrations.";
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
