using Dapper;
using Microsoft.Data.Sqlite;

namespace SmsHall.Tests;

/// <summary>
/// No file a command writes (--out, --keep-db, --html, --junit) lands on a database or on the
/// command's own input: refused with one line and exit 2, and --force never reaches the live
/// database or the --db snapshot. Run through the real CLI against real files.
/// </summary>
public sealed class OutputSafetyTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "smshall-tests", "out-" + Guid.NewGuid().ToString("N"));
    private readonly string _live;

    public OutputSafetyTests()
    {
        Directory.CreateDirectory(_folder);
        _live = Path.Combine(_folder, "live.db");
    }

    private Task<(int Exit, string Out, string Err)> Run(params string[] args) =>
        CliRun.RunAsync([$"--Database:Path={_live}", $"--Catalogue:Path={Repo.CommandsMd}"], "", args);

    /// <summary>A live database with demo data, a top-up and a few messages, and a log export of it.</summary>
    private async Task<string> LiveWithTrafficAsync()
    {
        Assert.Equal(0, (await Run("db", "seed")).Exit);
        Assert.StartsWith("Done: $10.00 added", (await Run("text", "+15550000001", "TOPUP", "1111-2222-3333")).Out);
        Assert.Equal(0, (await Run("text", "+15550000002", "bal")).Exit);
        var log = Path.Combine(_folder, "log.jsonl");
        Assert.Equal(0, (await Run("log", "export", "--out", log)).Exit);
        return log;
    }

    private static string Sha(string path) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>The database still opens and still holds the top-up.</summary>
    private void LiveIsIntact()
    {
        using var c = new SqliteConnection($"Data Source={_live};Pooling=False");
        c.Open();
        Assert.Equal("ok", c.ExecuteScalar<string>("PRAGMA integrity_check"));
        Assert.Equal(2250, c.ExecuteScalar<long>("SELECT balance_cents FROM subscribers WHERE number = '+15550000001'"));
    }

    private static void OneLineRefusal((int Exit, string Out, string Err) run, string mentions)
    {
        Assert.Equal(2, run.Exit);
        var line = Assert.Single(run.Err.Trim().Split('\n'));
        Assert.StartsWith("error: ", line);
        Assert.Contains(mentions, line);
    }

    [Fact]
    public async Task LogExportRefusesToWriteOverTheLiveDatabaseEvenWithForce()
    {
        await LiveWithTrafficAsync();
        OneLineRefusal(await Run("log", "export", "--out", _live), "the live database");
        OneLineRefusal(await Run("log", "export", "--out", _live, "--force"), "the live database");
        // Its write-ahead log is part of it.
        OneLineRefusal(await Run("log", "export", "--out", _live + "-wal", "--force"), "the live database");
        LiveIsIntact();
        Assert.StartsWith("Your balance is $22.50", (await Run("text", "+15550000001", "bal")).Out);
    }

    [Fact]
    public async Task ALinkToTheLiveDatabaseIsStillTheLiveDatabase()
    {
        await LiveWithTrafficAsync();
        var link = Path.Combine(_folder, "link.db");
        File.CreateSymbolicLink(link, _live);
        OneLineRefusal(await Run("log", "export", "--out", link, "--force"), "the live database");
        LiveIsIntact();
    }

    [Fact]
    public async Task ReplayNeverKeepsItsDatabaseOverTheSnapshotItStartedFromOrTheLiveOne()
    {
        var log = await LiveWithTrafficAsync();
        var snapshot = Path.Combine(_folder, "snapshot.db");
        File.Copy(_live, snapshot);
        var before = Sha(snapshot);

        OneLineRefusal(await Run("replay", log, "--db", snapshot, "--keep-db", snapshot), "--db");
        OneLineRefusal(await Run("replay", log, "--db", snapshot, "--keep-db", snapshot, "--force"), "--db");
        Assert.Equal(before, Sha(snapshot));

        OneLineRefusal(await Run("replay", log, "--db", _live, "--keep-db", _live, "--force"), "the live database");
        OneLineRefusal(await Run("replay", log, "--keep-db", _live), "the live database");
        LiveIsIntact();
    }

    [Fact]
    public async Task AnotherDatabaseOrAnInputIsReplacedOnlyWithForce()
    {
        var log = await LiveWithTrafficAsync();
        var logBefore = Sha(log);
        var other = Path.Combine(_folder, "other.db");
        File.Copy(_live, other);

        OneLineRefusal(await Run("log", "export", "--out", other), "SQLite database");
        OneLineRefusal(await Run("replay", log, "--keep-db", other), "SQLite database");
        OneLineRefusal(await Run("replay", log, "--html", log), "input");
        OneLineRefusal(await Run("replay", log, "--junit", log), "input");
        Assert.Equal(logBefore, Sha(log));

        // Named on purpose: the operator's call.
        Assert.Equal(0, (await Run("log", "export", "--out", other, "--force")).Exit);
        Assert.StartsWith("{", File.ReadAllText(other));
        var kept = Path.Combine(_folder, "kept.db");
        File.Copy(_live, kept);
        Assert.Equal(0, (await Run("replay", log, "--keep-db", kept, "--force")).Exit);
        using var c = new SqliteConnection($"Data Source={kept};Pooling=False");
        c.Open();
        Assert.Equal(2, c.ExecuteScalar<long>("SELECT COUNT(*) FROM inbound_messages"));
    }

    [Fact]
    public async Task TwoReportsCannotShareOneFile()
    {
        var log = await LiveWithTrafficAsync();
        var report = Path.Combine(_folder, "report.xml");
        OneLineRefusal(await Run("replay", log, "--junit", report, "--html", report), "--html");
        Assert.False(File.Exists(report));
    }

    [Fact]
    public async Task ReportsAreWrittenWholeOrNotAtAll()
    {
        var log = await LiveWithTrafficAsync();
        var junit = Path.Combine(_folder, "report.xml");
        var html = Path.Combine(_folder, "report.html");
        File.WriteAllText(junit, "an older report");
        Assert.Equal(0, (await Run("replay", log, "--junit", junit, "--html", html)).Exit);
        System.Xml.Linq.XDocument.Load(junit);
        Assert.Contains("</html>", File.ReadAllText(html));
        Assert.Empty(Directory.GetFiles(_folder, "*.partial*"));
    }

    public void Dispose()
    {
        foreach (var db in Directory.GetFiles(_folder, "*.db")) TestGateway.DeleteDatabase(db);
        Directory.Delete(_folder, recursive: true);
    }
}
