using System.Diagnostics;
using System.Net;
using System.Text;
using Dapper;

namespace SmsHall.Tests;

/// <summary>
/// The whole promise of Rest mode under fire: real gateway processes, Twilio failing 30 % of calls
/// in every way it can, and a process killed (SIGKILL, no goodbye) half-way through the traffic.
/// Every message must end with exactly one delivered reply; opted-out numbers must get nothing.
/// On SQLite one node; on PostgreSQL two nodes sharing the database, messages alternating between them.
/// </summary>
[Collection(Storage.Tests.PostgresCollection.Name)] // with the other tests that start processes: one at a time, on their own
public sealed class FaultTests
{
    [Fact]
    public Task KillingTheGatewayMidLoadWithThirtyPercentTwilioFailuresLosesAndDuplicatesNothing()
    {
        var databasePath = TestGateway.NewDatabasePath();
        return FaultScenario.RunAsync(
            [$"--Database:Path={databasePath}"],
            () => new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={databasePath};Pooling=False"),
            nodes: 1, messages: 1000, subscribers: 100,
            cleanUp: () => TestGateway.DeleteDatabase(databasePath));
    }
}

/// <summary>The same, with two nodes on one PostgreSQL database, one of them killed and restarted half-way.</summary>
[Collection(Storage.Tests.PostgresCollection.Name)]
public sealed class PostgresFaultTests(Storage.Tests.PostgresServer server)
{
    [Fact]
    public Task KillingOneOfTwoNodesMidLoadWithThirtyPercentTwilioFailuresLosesAndDuplicatesNothing()
    {
        var connectionString = server.CreateDatabase();
        return FaultScenario.RunAsync(
            ["--Database:Provider=Postgres", $"--Database:ConnectionString={connectionString}"],
            () => new Npgsql.NpgsqlConnection(connectionString),
            nodes: 2, messages: 1000, subscribers: 200);
    }
}

internal static class FaultScenario
{
    private static readonly string[] Bodies = ["BAL", "USAGE", "PLAN", "BILL", "HELP", "餘額", "solde", "موجودی"];

    /// <summary>
    /// Posts <paramref name="messages"/> messages from <paramref name="subscribers"/> numbers, message i
    /// to node i mod <paramref name="nodes"/> (and to the next one while that one is down, as a load
    /// balancer would), kills node 0 half-way and starts it again, then checks every reply. With one
    /// node it comes back under its own name and takes back what it was sending; with several it comes
    /// back as a new node, so the replies it had claimed are taken over by whichever node claims
    /// them once their lease has run out, each looked for at Twilio before it is sent again.
    /// </summary>
    public static async Task RunAsync(
        string[] database, Func<System.Data.IDbConnection> open, int nodes, int messages, int subscribers, Action? cleanUp = null)
    {
        var optedOut = Enumerable.Range(0, subscribers).Where(i => i % 10 == 7).Select(Number).ToHashSet();
        var unsubscribedAtCarrier = Number(50);

        await using var twilio = await TwilioStandIn.StartAsync(RestGateway.AccountSid, TestGateway.AuthToken);
        var random = new Random(4);
        Fault[] faults = [Fault.TooManyRequests, Fault.ServerError, Fault.SlowAfterCreate, Fault.DropBeforeCreate, Fault.DropAfterCreate];
        twilio.SlowDelay = TimeSpan.FromSeconds(1.5);
        twilio.Faults = (to, _) =>
        {
            if (to == unsubscribedAtCarrier) return Fault.Unsubscribed;
            lock (random) return random.NextDouble() < 0.3 ? faults[random.Next(faults.Length)] : Fault.None;
        };

        var log = new StringBuilder();
        var urls = Enumerable.Range(0, nodes).Select(_ => $"http://127.0.0.1:{RestGateway.FreePort()}").ToArray();
        var gateways = new GatewayProcess?[nodes];
        try
        {
            await PrepareDatabaseAsync(database, open, subscribers, optedOut);
            for (var n = 0; n < nodes; n++) gateways[n] = await GatewayProcess.StartAsync(urls[n], $"node-{n}", database, twilio, log);

            var http = urls.Select(url => new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) }).ToArray();
            var posted = 0;
            var restarted = false;
            var restartLock = new SemaphoreSlim(1);
            await Parallel.ForAsync(0, messages, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            {
                var from = Number(i % subscribers);
                var body = optedOut.Contains(from) ? "BAL" : Bodies[i % Bodies.Length]; // HELP would rightly answer an opted-out number
                await PostUntilAcceptedAsync(http, urls, i % nodes, TestGateway.Form(from, body, $"SMKILL{i:D26}"));

                if (Interlocked.Increment(ref posted) == messages / 2)
                {
                    await restartLock.WaitAsync(ct);
                    gateways[0]!.Kill(); // mid-load: other posts are in flight, sends are in flight
                    gateways[0] = await GatewayProcess.StartAsync(urls[0], nodes == 1 ? "node-0" : "node-0-again", database, twilio, log);
                    restarted = true;
                    restartLock.Release();
                }
            });
            Assert.True(restarted);

            await WaitUntilSettledAsync(open, TimeSpan.FromSeconds(120), log);
            await twilio.CallbacksIdleAsync();
            await WaitUntilSettledAsync(open, TimeSpan.FromSeconds(30), log);

            using var db = open();
            Assert.Equal(messages, db.ExecuteScalar<long>("SELECT COUNT(*) FROM inbound_messages WHERE status = 'handled'"));
            var replies = db.Query<(string Sid, string To, string Status, string? TwilioSid, long? ErrorCode)>(
                "SELECT inbound_sid, to_number, status, twilio_sid, CAST(error_code AS BIGINT) FROM outbound_messages").ToList();
            Assert.Equal(messages, replies.Count); // one reply row per message, none lost, none doubled

            var sent = twilio.Sent;
            var expected = replies.Where(r => !optedOut.Contains(r.To) && r.To != unsubscribedAtCarrier).ToList();
            Assert.All(expected, r => Assert.Equal("delivered", r.Status));
            Assert.Equal(expected.Count, sent.Count); // Twilio created exactly one message per reply
            Assert.Equal(expected.Select(r => r.TwilioSid).Order(), sent.Select(s => s.Sid).Order());
            Assert.DoesNotContain(sent, s => optedOut.Contains(s.To) || s.To == unsubscribedAtCarrier);
            Assert.All(replies.Where(r => optedOut.Contains(r.To)), r => Assert.Equal("suppressed", r.Status));
            Assert.Contains(replies, r => r.To == unsubscribedAtCarrier && r.ErrorCode == 21610);
            Assert.Equal(1, db.ExecuteScalar<long>("SELECT COUNT(*) FROM subscribers WHERE number = @unsubscribedAtCarrier AND opted_out", new { unsubscribedAtCarrier }));
        }
        finally
        {
            foreach (var gateway in gateways) gateway?.Kill();
            cleanUp?.Invoke();
        }
    }

    private static string Number(int i) => "+1555100" + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The schema and demo data through the CLI, then the load-test subscribers.</summary>
    private static async Task PrepareDatabaseAsync(string[] database, Func<System.Data.IDbConnection> open, int subscribers, IReadOnlySet<string> optedOut)
    {
        var (exit, _, stderr) = await CliRun.RunAsync([.. database, $"--Catalogue:Path={Repo.CommandsMd}"], "", "db", "seed");
        Assert.True(exit == 0, stderr);
        using var c = open();
        for (var i = 0; i < subscribers; i++)
        {
            var number = Number(i);
            c.Execute(
                """
                INSERT INTO subscribers (number, name, language, plan_code, balance_cents, valid_until, opted_out)
                VALUES (@number, 'Load Test', 'en', 'BASIC', 500, '2030-01-01', @optedOut)
                """, new { number, optedOut = optedOut.Contains(number) });
        }
    }

    /// <summary>
    /// Posts like Twilio with connection retries, until a node says 200: the one asked for, or while
    /// it is down the next, as a load balancer would.
    /// </summary>
    private static async Task PostUntilAcceptedAsync(HttpClient[] nodes, string[] urls, int node, List<KeyValuePair<string, string>> form)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        for (var attempt = 0; ; attempt++)
        {
            var n = (node + attempt) % nodes.Length;
            try
            {
                // Each node checks the signature against its own URL, as behind a load balancer with per-node public URLs.
                using var request = new HttpRequestMessage(HttpMethod.Post, "/twilio/sms") { Content = new FormUrlEncodedContent(form) };
                request.Headers.Add("X-Twilio-Signature", TwilioSignature.Compute(urls[n] + "/twilio/sms", form, TestGateway.AuthToken));
                using var response = await nodes[n].SendAsync(request);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Assert.Null(TestGateway.MessageIn(await response.Content.ReadAsStringAsync())); // Rest mode: never a TwiML reply
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // The node is down or was killed with this request in flight: Twilio would try again.
            }
            Assert.True(DateTime.UtcNow < deadline, "no gateway came back");
            await Task.Delay(100);
        }
    }

    /// <summary>Waits until the outbox is empty and every reply has a final status.</summary>
    private static async Task WaitUntilSettledAsync(Func<System.Data.IDbConnection> open, TimeSpan limit, StringBuilder log)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            using (var db = open())
            {
                var open_ = db.ExecuteScalar<long>(
                    "SELECT COUNT(*) FROM outbound_messages WHERE status NOT IN ('delivered', 'undelivered', 'failed', 'suppressed')")
                    + db.ExecuteScalar<long>("SELECT COUNT(*) FROM outbox");
                if (open_ == 0) return;
                if (DateTime.UtcNow > deadline)
                {
                    var statuses = string.Join(", ", db.Query<(string, long)>("SELECT status, COUNT(*) FROM outbound_messages GROUP BY status"));
                    Assert.Fail($"not settled: {statuses}; outbox {db.ExecuteScalar<long>("SELECT COUNT(*) FROM outbox")}\n{log}");
                }
            }
            await Task.Delay(200);
        }
    }
}
