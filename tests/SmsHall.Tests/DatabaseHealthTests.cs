using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SmsHall.Tests;

/// <summary>What a node says about itself (/health, its logs) and what it answers when it cannot do its work.</summary>
public class DatabaseHealthTests
{
    private const string Alice = "+15550000001";

    private const string Apology = "Sorry, something went wrong on our side";

    [Fact]
    public async Task AMessageThatCannotBeRecordedIs503AndTheNodeRecoversByItselfWhenSpaceIsFreed()
    {
        await using var gw = await StartCappedAsync();
        var (answered, refused) = await FillUntilRefusedAsync(gw);

        // Refused until space is freed, each with Retry-After, also when they come together (and are
        // written in one batch), and /health takes the node out.
        var together = Enumerable.Range(0, 16).Select(_ => gw.NextSid()).ToList();
        await Task.WhenAll(together.Select(async sid =>
        {
            using var response = await gw.PostSmsAsync(Alice, "BAL", sid);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
        }));
        refused.AddRange(together);
        var (status, health) = await gw.HealthAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("unavailable", health.GetProperty("status").GetString());
        var (_, details) = await gw.HealthAsync(TestGateway.OperatorKey);
        Assert.Equal("unavailable", details.GetProperty("database").GetProperty("status").GetString());
        Assert.Contains("full", details.GetProperty("database").GetProperty("error").GetString());

        // Nothing half-written: what was answered is recorded with its reply, what was refused is not handled.
        using (var db = gw.OpenDatabase())
        {
            Assert.Equal(answered.Count, db.ExecuteScalar<long>(
                "SELECT COUNT(*) FROM inbound_messages i JOIN outbound_messages o ON o.inbound_sid = i.sid WHERE i.sid IN @answered AND i.status = 'handled'", new { answered }));
            Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM outbound_messages WHERE inbound_sid IN @refused", new { refused }));
            Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM inbound_messages WHERE sid IN @refused AND status = 'handled'", new { refused }));

            // Someone frees space; no message comes, yet the node notices by itself.
            db.Execute("DROP TABLE test_filler");
        }
        await Eventually(async () => (await gw.HealthAsync()).Status == HttpStatusCode.OK);
        Assert.Equal("ok", (await gw.HealthAsync()).Json.GetProperty("status").GetString());

        Assert.StartsWith("Your balance is", await gw.TextAsync(Alice, "BAL"));
        // Twilio retrying a refused message: it is handled now, once.
        Assert.StartsWith("Your balance is", await gw.TextAsync(Alice, "BAL", refused[0]));
        using var after = gw.OpenDatabase();
        Assert.Equal(1, after.ExecuteScalar<long>("SELECT COUNT(*) FROM outbound_messages WHERE inbound_sid = @sid", new { sid = refused[0] }));
    }

    [Fact]
    public async Task ReadyIs503WhileTheDatabaseCannotBeWrittenAndLiveStays200()
    {
        await using var gw = await StartCappedAsync();
        Assert.Equal(HttpStatusCode.OK, await StatusOfAsync(gw, "/health/ready"));
        await FillUntilRefusedAsync(gw);

        using (var ready = await gw.Http.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal("unavailable", JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        }
        Assert.Equal(HttpStatusCode.OK, await StatusOfAsync(gw, "/health/live"));
        // Each refused message is counted too, for an alert that does not wait for the probe.
        Assert.Equal(1, (await ObservabilityTests.ScrapeAsync(gw.Http)).Value("smshall_messages_total", ("outcome", "refused")));

        using (var db = gw.OpenDatabase()) db.Execute("DROP TABLE test_filler");
        await Eventually(async () => await StatusOfAsync(gw, "/health/ready") == HttpStatusCode.OK);
    }

    private static async Task<HttpStatusCode> StatusOfAsync(TestGateway gw, string path)
    {
        using var response = await gw.Http.GetAsync(path);
        return response.StatusCode;
    }

    [Fact]
    public async Task MessagesRefusedFor503AreLoggedAtOnceThenCountedOnceAMinute()
    {
        var logs = new CapturedLogs();
        await using var gw = await StartCappedAsync(services => services.AddSingleton<ILoggerProvider>(logs));
        await FillUntilRefusedAsync(gw);
        for (var i = 0; i < 9; i++)
        {
            using var response = await gw.PostSmsAsync(Alice, "BAL");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }
        Assert.Single(logs.Lines, l => l.Contains("503"));

        gw.Clock.Advance(TimeSpan.FromMinutes(1));
        using (var response = await gw.PostSmsAsync(Alice, "BAL")) Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var lines = logs.Lines.Where(l => l.Contains("503")).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Contains(lines, l => l.Contains("9 more"));
    }

    [Fact]
    public async Task AProbeThatFailsForAnotherReasonSaysSoAndKeepsProbing()
    {
        var logs = new CapturedLogs();
        await using var gw = await StartCappedAsync(services => services.AddSingleton<ILoggerProvider>(logs));
        await FillUntilRefusedAsync(gw);
        using var db = gw.OpenDatabase();
        db.Execute("ALTER TABLE node_heartbeat RENAME TO node_heartbeat_away");
        await Eventually(() => Task.FromResult(logs.Lines.Any(l => l.Contains("The storage probe failed") && l.Contains("no such table"))));

        db.Execute("ALTER TABLE node_heartbeat_away RENAME TO node_heartbeat");
        db.Execute("DROP TABLE test_filler");
        await Eventually(async () => (await gw.HealthAsync()).Status == HttpStatusCode.OK);
    }

    /// <summary>The gateway with its database capped at 2 MB (and a probe every second), and the operator key.</summary>
    private static Task<TestGateway> StartCappedAsync(Action<IServiceCollection>? overrides = null) =>
        TestGateway.StartAsync(overrides ?? (_ => { }),
            "--Database:MaxSizeMB=2", "--Database:ProbeSeconds=1", $"--Operator:ApiKey={TestGateway.OperatorKey}");

    /// <summary>
    /// Fills the file past the gateway's cap from an uncapped connection, then texts until a message
    /// is refused (the pages the gateway has still have some room). Returns the sids answered and refused.
    /// </summary>
    private static async Task<(List<string> Answered, List<string> Refused)> FillUntilRefusedAsync(TestGateway gw)
    {
        using (var db = gw.OpenDatabase())
        {
            db.Execute("CREATE TABLE test_filler (b BLOB)");
            db.Execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 600) INSERT INTO test_filler SELECT zeroblob(4000) FROM n");
        }
        var answered = new List<string>();
        for (var i = 0; i < 500; i++)
        {
            var sid = gw.NextSid();
            using var response = await gw.PostSmsAsync(Alice, "BAL", sid);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable) return (answered, [sid]);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var reply = TestGateway.MessageIn(await response.Content.ReadAsStringAsync());
            Assert.False(reply!.StartsWith(Apology), $"message {i + 1} was answered 200 with the apology: {reply}");
            answered.Add(sid);
        }
        throw new InvalidOperationException("500 messages fitted in a full database");
    }

    // The probe runs every second; give it up to thirty.
    private static async Task Eventually(Func<Task<bool>> condition)
    {
        for (var waited = TimeSpan.Zero; waited < TimeSpan.FromSeconds(30); waited += TimeSpan.FromMilliseconds(100))
        {
            if (await condition()) return;
            await Task.Delay(100);
        }
        Assert.Fail("not within 30 s");
    }

    [Fact]
    public async Task AFloodOfRefusedRequestsLogsAFewLinesWithoutTheirQueryStringsAndCountsTheRest()
    {
        var logs = new CapturedLogs();
        await using var gw = await TestGateway.StartAsync(services => services.AddSingleton<ILoggerProvider>(logs));
        // Just under Kestrel's 8 KB request line: the request reaches the signature check.
        var url = "/twilio/sms?padding=" + new string('q', 8_000);
        for (var i = 0; i < 200; i++) Assert.Equal(HttpStatusCode.Forbidden, await PostUnsignedAsync(gw, url));

        var refused = RefusedLines(logs);
        Assert.Single(refused);
        Assert.Contains("/twilio/sms", refused[0]);
        Assert.DoesNotContain(logs.Lines, l => l.Contains("qqqqqqqq") || l.Contains("padding"));

        // A minute on, the next refusal reports how many were not logged one by one.
        gw.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Forbidden, await PostUnsignedAsync(gw, url));
        refused = RefusedLines(logs);
        Assert.Equal(3, refused.Count);
        Assert.Contains(refused, l => l.Contains("199 more"));
        Assert.All(refused, l => Assert.True(l.Length < 400, l));
    }

    [Fact]
    public async Task HealthShowsALoadBalancerOnlyTheStatusAndTheCatalogueStateAndTheOperatorEverything()
    {
        await using var gw = await TestGateway.StartAsync($"--Operator:ApiKey={TestGateway.OperatorKey}");

        foreach (var key in new[] { null, "not-the-key" })
        {
            var (status, open) = await gw.HealthAsync(key);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(["status", "catalogue"], open.EnumerateObject().Select(p => p.Name));
            Assert.Equal("ok", open.GetProperty("status").GetString());
            var catalogue = open.GetProperty("catalogue");
            Assert.Equal(["status", "version", "loadedAt"], catalogue.EnumerateObject().Select(p => p.Name));
            Assert.Equal("ok", catalogue.GetProperty("status").GetString());
            Assert.Equal(1, catalogue.GetProperty("version").GetInt64());
            Assert.DoesNotContain(Path.GetFileName(gw.DatabasePath), open.GetRawText());
        }

        var (_, details) = await gw.HealthAsync(TestGateway.OperatorKey);
        Assert.Equal("ok", details.GetProperty("status").GetString());
        Assert.Equal(gw.DatabasePath, details.GetProperty("database").GetProperty("path").GetString());
        Assert.Equal(Repo.CommandsMd, details.GetProperty("catalogue").GetProperty("path").GetString());
        Assert.Equal(4, details.GetProperty("catalogue").GetProperty("languages").GetArrayLength());
        Assert.True(details.GetProperty("catalogue").GetProperty("keywords").GetInt32() > 0);
        Assert.Equal(JsonValueKind.Null, details.GetProperty("catalogue").GetProperty("rejected").ValueKind);
    }

    [Fact]
    public async Task WithoutAnOperatorKeySetHealthShowsNoDetailsToAnyone()
    {
        await using var gw = await TestGateway.StartAsync();
        var (status, open) = await gw.HealthAsync("");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(open.TryGetProperty("database", out _));
        Assert.False(open.GetProperty("catalogue").TryGetProperty("path", out _));
    }

    private static async Task<HttpStatusCode> PostUnsignedAsync(TestGateway gw, string url)
    {
        using var response = await gw.Http.PostAsync(url, new FormUrlEncodedContent(TestGateway.Form(Alice, "BAL", gw.NextSid())));
        return response.StatusCode;
    }

    private static List<string> RefusedLines(CapturedLogs logs) => [.. logs.Lines.Where(l => l.Contains("request"))];
}
