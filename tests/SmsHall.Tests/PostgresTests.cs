using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using SmsHall.Storage.Tests;

namespace SmsHall.Tests;

/// <summary>The gateway and the CLI with Database:Provider=Postgres, on the throwaway server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresTests(PostgresServer server)
{
    private const string Alice = "+15550000001";

    private readonly string _connectionString = server.CreateDatabase();

    private string[] Settings(string? connectionString = null) =>
    [
        "--Database:Provider=Postgres",
        $"--Database:ConnectionString={connectionString ?? _connectionString}",
        $"--Catalogue:Path={Repo.CommandsMd}",
    ];

    private Task<(int Exit, string Out, string Err)> Smshall(params string[] args) => CliRun.RunAsync(Settings(), "", args);

    [Fact]
    public async Task TheOperatorCommandsWorkOnPostgres()
    {
        var where = $"127.0.0.1:{server.Port}/{new NpgsqlConnectionStringBuilder(_connectionString).Database}";
        var migrations = Directory.GetFiles(Path.Combine(Repo.Root, "src", "SmsHall.Storage.Postgres", "Migrations"), "*.sql").Length;
        Assert.Equal($"{where}: {migrations} migration(s) applied", (await Smshall("db", "migrate")).Out.Trim());
        Assert.Equal($"{where}: 0 migration(s) applied", (await Smshall("db", "migrate")).Out.Trim());
        var seed = await Smshall("db", "seed", "--subscribers", "50");
        Assert.Equal(0, seed.Exit);
        Assert.Contains($"{where}: 5 demo subscriber(s) added", seed.Out);
        Assert.Contains($"{where}: 50 synthetic subscriber(s) added", seed.Out);

        var text = await Smshall("text", Alice, "bal");
        Assert.Equal(0, text.Exit);
        Assert.StartsWith("Your balance is $12.50", text.Out);
        Assert.StartsWith("Bill 2026-", (await Smshall("text", "+15551000000", "bill")).Out); // a synthetic, postpaid subscriber
        await Smshall("text", Alice, "blorp");

        var unmatched = await Smshall("log", "unmatched");
        Assert.Contains("blorp", unmatched.Out);
        var export = await Smshall("log", "export");
        Assert.Equal(0, export.Exit);
        Assert.Equal(6, export.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // three messages, each with its reply
        Assert.Contains("\"body\":\"bal\"", export.Out);

        var parse = await Smshall("parse", "plan gld");
        Assert.Contains("\"plan\":\"GOLD\"", parse.Out); // plan names come from the database
    }

    [Fact]
    public async Task TwoGatewayNodesShareOneDatabase()
    {
        await using var a = await TestGateway.StartAsync(Settings());
        await using var b = await TestGateway.StartAsync(Settings());
        // Each test gateway numbers its sids from 1: here they must differ, as Twilio's do.
        static string Sid() => $"SM{Guid.NewGuid():N}";

        Assert.StartsWith("Your balance is $12.50", await a.TextAsync(Alice, "BAL", Sid()));
        Assert.Contains("YES", await a.TextAsync(Alice, "PLAN GOLD", Sid()));
        await b.TextAsync(Alice, "YES", Sid()); // the offer made through A is taken through B
        Assert.Contains("GOLD", await a.TextAsync(Alice, "PLAN", Sid()));
        Assert.Equal("GOLD", PlanOn(_connectionString, Alice));

        // Twilio retries on the other node: the same reply, and the work is not done twice.
        var sid = Sid();
        var first = await a.TextAsync("+15550000003", "TOPUP 1111-2222-3333", sid);
        Assert.Equal(first, await b.TextAsync("+15550000003", "TOPUP 1111-2222-3333", sid));
        Assert.Equal(first, await a.TextAsync("+15550000003", "TOPUP 1111-2222-3333", sid));
        Assert.Equal(1375, BalanceOn(_connectionString, "+15550000003")); // $3.75 and one $10 voucher, once

        // The same sid at both nodes at the same instant, twenty times over: one answer, the work done once.
        for (var i = 0; i < 20; i++)
        {
            var same = Sid();
            var answers = await Task.WhenAll(a.TextAsync("+15550000004", "PLAN", same), b.TextAsync("+15550000004", "PLAN", same));
            Assert.Equal(answers[0], answers[1]);
        }
        Assert.Equal(20, CountOn(_connectionString, "SELECT COUNT(*) FROM outbound_messages WHERE to_number = '+15550000004'"));

        var (status, health) = await b.HealthAsync();
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ok", health.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ACataloguePublishedOnceIsServedByEveryNode()
    {
        var edited = Path.Combine(Path.GetTempPath(), $"smshall-{Guid.NewGuid():N}.md");
        File.WriteAllText(edited, File.ReadAllText(Repo.CommandsMd).Replace("- en reply: Your balance is {balance},", "- en reply: You have {balance},"));
        try
        {
            await using var a = await TestGateway.StartAsync(Settings());
            await using var b = await TestGateway.StartAsync(Settings());
            Assert.Equal(0, (await Smshall("catalogue", "publish", edited, "--note", "from the command line")).Exit);

            foreach (var node in new[] { a, b })
                await CataloguePublishTests.Eventually(async () => (await node.TextAsync(Alice, "BAL", $"SM{Guid.NewGuid():N}"))!.StartsWith("You have $12.50"));
            Assert.Equal(
                (await a.HealthAsync()).Json.GetProperty("catalogue").GetProperty("version").GetInt64(),
                (await b.HealthAsync()).Json.GetProperty("catalogue").GetProperty("version").GetInt64());
        }
        finally
        {
            File.Delete(edited);
        }
    }

    [Fact]
    public async Task ASnapshotOfThePostgresDatabaseIsWhatReplayStartsFrom()
    {
        var folder = Directory.CreateTempSubdirectory("smshall-snapshot-").FullName;
        try
        {
            await using var gateway = await TestGateway.StartAsync(Settings());
            await gateway.TextAsync(Alice, "bal", "SM-BEFORE");
            var snapshot = Path.Combine(folder, "snapshot.db");
            var taken = await Smshall("db", "snapshot", "--out", snapshot);
            Assert.Equal(0, taken.Exit);
            Assert.Contains("with 1 message(s)", taken.Out);

            // The live database moves on; replayed from the snapshot, the same traffic answers the same.
            // (The three come at one instant, so the export orders them by sid.)
            gateway.Clock.Advance(TimeSpan.FromMinutes(1));
            await gateway.TextAsync(Alice, "plan gold", "SM-1-PLAN");
            await gateway.TextAsync(Alice, "yes", "SM-2-YES");
            await gateway.TextAsync(Alice, "bal", "SM-3-BAL");
            var export = Path.Combine(folder, "after.jsonl");
            Assert.Equal(0, (await Smshall("log", "export", "--since", "2026-11-22T10:00:30Z", "--out", export)).Exit);
            var (exit, stdout, _) = await Smshall("replay", export, "--db", snapshot);
            Assert.Equal(0, exit);
            Assert.Contains("3 same", stdout);

            // A window holds only its messages; the accounts are always whole.
            var later = Path.Combine(folder, "later.db");
            Assert.Contains("with 3 message(s)", (await Smshall("db", "snapshot", "--out", later, "--since", "2026-11-22T10:00:30Z")).Out);
            using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={later};Pooling=False");
            Assert.Equal("GOLD", Dapper.SqlMapper.ExecuteScalar<string>(c, "SELECT plan_code FROM subscribers WHERE number = @Alice", new { Alice }));
            Assert.Equal(3, Dapper.SqlMapper.ExecuteScalar<long>(c, "SELECT COUNT(*) FROM outbound_messages"));
            Assert.True(Dapper.SqlMapper.ExecuteScalar<long>(c, "SELECT COUNT(*) FROM catalogue_versions") >= 1);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task WhileTheDatabaseServerIsDownMessagesAre503AndTheNodeComesBackByItself()
    {
        using var own = new PostgresServer(); // this test stops its server: not the shared one
        var connectionString = own.CreateDatabase();
        await using var gw = await TestGateway.StartAsync(
            [.. Settings(connectionString), "--Database:ProbeSeconds=1", $"--Operator:ApiKey={TestGateway.OperatorKey}"]);
        Assert.StartsWith("Your balance is", await gw.TextAsync(Alice, "BAL"));

        own.Stop();
        var refused = gw.NextSid();
        using (var response = await gw.PostSmsAsync(Alice, "BAL", refused))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode); // Twilio retries, a load balancer tries another node
            Assert.NotNull(response.Headers.RetryAfter);
        }
        var (status, health) = await gw.HealthAsync(TestGateway.OperatorKey);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("unavailable", health.GetProperty("database").GetProperty("status").GetString());
        Assert.DoesNotContain(PostgresServer.Password, health.ToString());

        own.Start();
        for (var waited = 0; (await gw.HealthAsync()).Status != HttpStatusCode.OK; waited += 100)
        {
            Assert.True(waited < 30_000, "the node did not notice the database was back within 30 s");
            await Task.Delay(100);
        }
        // Twilio's retry of the refused message is handled now, once.
        Assert.StartsWith("Your balance is", await gw.TextAsync(Alice, "BAL", refused));
        Assert.StartsWith("Your balance is", await gw.TextAsync(Alice, "BAL", refused));
        Assert.Equal(1, CountOn(connectionString, $"SELECT COUNT(*) FROM outbound_messages WHERE inbound_sid = '{refused}'"));
    }

    [Fact]
    public async Task APasswordNeverAppearsInALogLineOrAnError()
    {
        var wrongPassword = new NpgsqlConnectionStringBuilder(_connectionString) { Password = PostgresServer.Password + "x" }.ToString();
        var nobodyListening = new NpgsqlConnectionStringBuilder(_connectionString) { Port = RestGateway.FreePort(), Timeout = 2 }.ToString();
        var malformed = $"Host=127.0.0.1;Password={PostgresServer.Password};Bogus=1";
        string[] seen = [];
        foreach (var connectionString in new[] { wrongPassword, nobodyListening, malformed })
        {
            var (exit, stdout, stderr) = await CliRun.RunAsync(Settings(connectionString), "", "db", "migrate");
            Assert.NotEqual(0, exit);
            Assert.Single(stderr.Trim().Split('\n')); // one line that says what is wrong
            seen = [.. seen, stdout, stderr];
        }
        Assert.Contains(seen, s => s.Contains("password authentication failed"));

        // parse needs no database: with the server out of reach it still reads the file.
        var parse = await CliRun.RunAsync(Settings(nobodyListening), "", "parse", "bal");
        Assert.Equal(0, parse.Exit);
        Assert.Contains("\"command\":\"balance\"", parse.Out);
        seen = [.. seen, parse.Out, parse.Err];
        Assert.Contains(seen, s => s.Contains("Database:ConnectionString"));

        // A working node, its logs at the most talkative level, and /health with the operator's details.
        var logs = new CapturedLogs();
        await using (var gw = await TestGateway.StartAsync(
            services => services.AddSingleton<ILoggerProvider>(logs),
            [.. Settings(), "--Logging:LogLevel:Default=Trace", $"--Operator:ApiKey={TestGateway.OperatorKey}"]))
        {
            await gw.TextAsync(Alice, "BAL");
            var (_, health) = await gw.HealthAsync(TestGateway.OperatorKey);
            Assert.Equal("Postgres", health.GetProperty("database").GetProperty("provider").GetString());
            seen = [.. seen, health.ToString()];
        }
        Assert.NotEmpty(logs.Lines);
        seen = [.. seen, .. logs.Lines];

        Assert.DoesNotContain(seen, s => s.Contains(PostgresServer.Password) || s.Contains("s3cret"));
    }

    private static string PlanOn(string connectionString, string number)
    {
        using var c = new NpgsqlConnection(connectionString);
        return Dapper.SqlMapper.ExecuteScalar<string>(c, "SELECT plan_code FROM subscribers WHERE number = @number", new { number })!;
    }

    private static long BalanceOn(string connectionString, string number)
    {
        using var c = new NpgsqlConnection(connectionString);
        return Dapper.SqlMapper.ExecuteScalar<long>(c, "SELECT balance_cents FROM subscribers WHERE number = @number", new { number });
    }

    private static long CountOn(string connectionString, string sql)
    {
        using var c = new NpgsqlConnection(connectionString);
        return Dapper.SqlMapper.ExecuteScalar<long>(c, sql);
    }
}
