using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace SmsHall.Storage.Tests;

/// <summary>
/// A throwaway PostgreSQL server for one test run, from the machine's own binaries (Debian's
/// postgresql package keeps initdb and pg_ctl in /usr/lib/postgresql/VERSION/bin, not on PATH): a
/// cluster in a temp folder, listening on 127.0.0.1 only, on a free port, with its socket in that
/// folder (the package's socket folder may not exist on a fresh machine), removed afterwards. The
/// server refuses to run as root, so as root the folder is given to the package's postgres user and
/// the binaries run through runuser. Connections log in with a password, as in production.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    public const string User = "smshall";

    // A password with the characters connection strings must quote, so the tests that look for it in logs and errors have something to find.
    public const string Password = "s3cret;pass=word";

    private const string BinariesRoot = "/usr/lib/postgresql";

    private readonly string _folder;
    private readonly string _bin;
    private readonly string _data;
    private readonly bool _asRoot = Environment.UserName == "root";
    private int _databases;

    public PostgresServer()
    {
        _bin = FindBinaries();
        _folder = Path.Combine(Path.GetTempPath(), $"smshall-pg-{Guid.NewGuid():N}");
        _data = Path.Combine(_folder, "data");
        Directory.CreateDirectory(_folder);
        try
        {
            File.WriteAllText(Path.Combine(_folder, "password"), Password + "\n");
            if (_asRoot) Run("/usr/bin/chown", "-R", "postgres:postgres", _folder);
            Postgres("initdb", "-D", _data, "-U", User, "--pwfile", Path.Combine(_folder, "password"), "-E", "UTF8", "--no-locale",
                "--auth-local=trust", "--auth-host=scram-sha-256");
            // The free port is only free until someone takes it: other tests start servers on port 0
            // all the time. A start that fails is tried again on another port.
            for (var attempt = 1; ; attempt++)
            {
                Port = FreePort();
                try
                {
                    Start();
                    break;
                }
                catch (InvalidOperationException) when (attempt < 5 && !File.Exists(Path.Combine(_data, "postmaster.pid")))
                {
                }
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public int Port { get; private set; }

    /// <summary>Starts the server (again): on loopback only, its socket in its own folder, every commit durable.</summary>
    public void Start() =>
        Postgres("pg_ctl", "-D", _data, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "60", "-o",
            $"-c listen_addresses=127.0.0.1 -c port={Port} -c unix_socket_directories={_folder} -c synchronous_commit=on -c max_connections=300",
            "start");

    /// <summary>Stops the server as an outage would, cutting every connection (a test's own server only).</summary>
    public void Stop() => Postgres("pg_ctl", "-D", _data, "-m", "immediate", "-w", "stop");

    /// <summary>The connection string of the server's maintenance database.</summary>
    public string AdminConnectionString => ConnectionString("postgres");

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = User,
        Password = Password,
        Database = database,
    }.ToString();

    /// <summary>Creates an empty database of its own for a test; returns its connection string.</summary>
    public string CreateDatabase()
    {
        var name = $"test_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}";
        using var c = new NpgsqlConnection(AdminConnectionString);
        c.Open();
        using var create = new NpgsqlCommand($"CREATE DATABASE {name}", c);
        create.ExecuteNonQuery();
        return ConnectionString(name);
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            if (File.Exists(Path.Combine(_data, "postmaster.pid"))) Postgres("pg_ctl", "-D", _data, "-m", "immediate", "-w", "stop");
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>The newest versioned bin folder with initdb and pg_ctl; a one-line failure that says what to install when there is none.</summary>
    private static string FindBinaries()
    {
        var bin = Directory.Exists(BinariesRoot)
            ? Directory.GetDirectories(BinariesRoot)
                .Select(version => Path.Combine(version, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var major) ? major : 0)
                .FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            $"PostgreSQL is not installed (no initdb or pg_ctl under {BinariesRoot}/*/bin): install Debian's postgresql package (apt-get install postgresql), or run ./test.sh, which does");
    }

    private void Postgres(string program, params string[] args)
    {
        var path = Path.Combine(_bin, program);
        if (_asRoot) Run("/usr/sbin/runuser", ["-u", "postgres", "--", path, .. args]);
        else Run(path, args);
    }

    private void Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // A folder the postgres user can enter: initdb and pg_ctl complain about one they cannot.
            WorkingDirectory = _folder,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90))) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            var log = Path.Combine(_folder, "server.log");
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} {string.Join(' ', args)} failed ({process.ExitCode}): {error.Result}{output.Result}" +
                (File.Exists(log) ? File.ReadAllText(log) : ""));
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>
/// The tests that need PostgreSQL share one server and run one class at a time, on their own after
/// the others: several of them start gateway processes and load both cores, which would starve the
/// timing-sensitive tests running beside them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
