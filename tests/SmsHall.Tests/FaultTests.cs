using System.Diagnostics;
using System.Net;
using System.Text;
using Dapper;
using SmsHall.Storage.Sqlite;

namespace SmsHall.Tests;

/// <summary>
/// The whole promise of Rest mode under fire: a real gateway process, Twilio failing 30 % of calls
/// in every way it can, and the process killed (SIGKILL, no goodbye) half-way through the traffic.
/// Every message must end with exactly one delivered reply; opted-out numbers must get nothing.
/// </summary>
public class FaultTests
{
    private const int Messages = 1000;
    private const int Subscribers = 100;
    private const string FirstNumber = "+15551000000";
    private static readonly string[] Bodies = ["BAL", "USAGE", "PLAN", "BILL", "HELP", "餘額", "solde", "موجودی"];

    [Fact]
    public async Task KillingTheGatewayMidLoadWithThirtyPercentTwilioFailuresLosesAndDuplicatesNothing()
    {
        var databasePath = TestGateway.NewDatabasePath();
        var optedOut = Enumerable.Range(0, Subscribers).Where(i => i % 10 == 7).Select(Number).ToHashSet();
        var unsubscribedAtCarrier = Number(50);
        PrepareDatabase(databasePath, optedOut);

        await using var twilio = await TwilioStandIn.StartAsync(RestGateway.AccountSid, TestGateway.AuthToken);
        var random = new Random(4);
        Fault[] faults = [Fault.TooManyRequests, Fault.ServerError, Fault.SlowAfterCreate, Fault.DropBeforeCreate, Fault.DropAfterCreate];
        twilio.SlowDelay = TimeSpan.FromSeconds(1.5);
        twilio.Faults = (to, _) =>
        {
            if (to == unsubscribedAtCarrier) return Fault.Unsubscribed;
            lock (random) return random.NextDouble() < 0.3 ? faults[random.Next(faults.Length)] : Fault.None;
        };

        var port = RestGateway.FreePort();
        var url = $"http://127.0.0.1:{port}";
        var log = new StringBuilder();
        var gateway = await GatewayProcess.StartAsync(url, databasePath, twilio, log);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
            var posted = 0;
            var restarted = false;
            var restartLock = new SemaphoreSlim(1);
            await Parallel.ForAsync(0, Messages, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            {
                var from = Number(i % Subscribers);
                var body = optedOut.Contains(from) ? "BAL" : Bodies[i % Bodies.Length]; // HELP would rightly answer an opted-out number
                await PostUntilAcceptedAsync(http, url, TestGateway.Form(from, body, $"SMKILL{i:D26}"));

                if (Interlocked.Increment(ref posted) == Messages / 2)
                {
                    await restartLock.WaitAsync(ct);
                    gateway.Kill(); // mid-load: other posts are in flight, sends are in flight
                    gateway = await GatewayProcess.StartAsync(url, databasePath, twilio, log);
                    restarted = true;
                    restartLock.Release();
                }
            });
            Assert.True(restarted);

            await WaitUntilSettledAsync(databasePath, TimeSpan.FromSeconds(120), log);
            await twilio.CallbacksIdleAsync();
            await WaitUntilSettledAsync(databasePath, TimeSpan.FromSeconds(30), log);

            using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={databasePath};Pooling=False");
            db.Open();
            Assert.Equal(Messages, db.ExecuteScalar<long>("SELECT COUNT(*) FROM inbound_messages WHERE status = 'handled'"));
            var replies = db.Query<(string Sid, string To, string Status, string? TwilioSid, long? ErrorCode)>(
                "SELECT inbound_sid, to_number, status, twilio_sid, error_code FROM outbound_messages").ToList();
            Assert.Equal(Messages, replies.Count); // one reply row per message, none lost, none doubled

            var sent = twilio.Sent;
            var expected = replies.Where(r => !optedOut.Contains(r.To) && r.To != unsubscribedAtCarrier).ToList();
            Assert.All(expected, r => Assert.Equal("delivered", r.Status));
            Assert.Equal(expected.Count, sent.Count); // Twilio created exactly one message per reply
            Assert.Equal(expected.Select(r => r.TwilioSid).Order(), sent.Select(s => s.Sid).Order());
            Assert.DoesNotContain(sent, s => optedOut.Contains(s.To) || s.To == unsubscribedAtCarrier);
            Assert.All(replies.Where(r => optedOut.Contains(r.To)), r => Assert.Equal("suppressed", r.Status));
            Assert.Contains(replies, r => r.To == unsubscribedAtCarrier && r.ErrorCode == 21610);
            Assert.Equal(1, db.ExecuteScalar<long>("SELECT opted_out FROM subscribers WHERE number = @unsubscribedAtCarrier", new { unsubscribedAtCarrier }));
        }
        finally
        {
            gateway.Kill();
            TestGateway.DeleteDatabase(databasePath);
        }
    }

    private static string Number(int i) => "+1555100" + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);

    private static void PrepareDatabase(string path, IReadOnlySet<string> optedOut)
    {
        var db = new Database(path);
        db.Migrate();
        new SqliteSeeding(db).SeedDemo(DateOnly.FromDateTime(DateTime.UtcNow));
        using var c = db.Open();
        for (var i = 0; i < Subscribers; i++)
        {
            var number = Number(i);
            c.Execute(
                """
                INSERT INTO subscribers (number, name, language, plan_code, balance_cents, valid_until, opted_out)
                VALUES (@number, 'Load Test', 'en', 'BASIC', 500, '2030-01-01', @optedOut)
                """, new { number, optedOut = optedOut.Contains(number) });
        }
    }

    /// <summary>Posts like Twilio with connection retries: until the gateway says 200, whether it was down or not.</summary>
    private static async Task PostUntilAcceptedAsync(HttpClient http, string url, List<KeyValuePair<string, string>> form)
    {
        var signature = TwilioSignature.Compute(url + "/twilio/sms", form, TestGateway.AuthToken);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/twilio/sms") { Content = new FormUrlEncodedContent(form) };
                request.Headers.Add("X-Twilio-Signature", signature);
                using var response = await http.SendAsync(request);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Assert.Null(TestGateway.MessageIn(await response.Content.ReadAsStringAsync())); // Rest mode: never a TwiML reply
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // The gateway is down or was killed with this request in flight: Twilio would try again.
            }
            Assert.True(DateTime.UtcNow < deadline, "the gateway did not come back");
            await Task.Delay(100);
        }
    }

    /// <summary>Waits until the outbox is empty and every reply has a final status.</summary>
    private static async Task WaitUntilSettledAsync(string databasePath, TimeSpan limit, StringBuilder log)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={databasePath};Pooling=False"))
            {
                db.Open();
                var open = db.ExecuteScalar<long>(
                    "SELECT COUNT(*) FROM outbound_messages WHERE status NOT IN ('delivered', 'undelivered', 'failed', 'suppressed')")
                    + db.ExecuteScalar<long>("SELECT COUNT(*) FROM outbox");
                if (open == 0) return;
                if (DateTime.UtcNow > deadline)
                {
                    var statuses = string.Join(", ", db.Query<(string, long)>("SELECT status, COUNT(*) FROM outbound_messages GROUP BY status"));
                    Assert.Fail($"not settled: {statuses}; outbox {db.ExecuteScalar<long>("SELECT COUNT(*) FROM outbox")}\n{log}");
                }
            }
            await Task.Delay(200);
        }
    }

    /// <summary>The smshall executable serving on a port, as it runs in production.</summary>
    private sealed class GatewayProcess
    {
        private readonly Process _process;

        private GatewayProcess(Process process) => _process = process;

        public static async Task<GatewayProcess> StartAsync(string url, string databasePath, TwilioStandIn twilio, StringBuilder log)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = Repo.Root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            string[] args =
            [
                Path.Combine(AppContext.BaseDirectory, "smshall.dll"), "serve",
                $"--urls={url}",
                $"--Database:Path={databasePath}",
                $"--Catalogue:Path={Repo.CommandsMd}",
                $"--Twilio:AuthToken={TestGateway.AuthToken}",
                "--Hall:RateLimitMessages=10000",
                "--Outbox:Concurrency=16",
                "--Outbox:NodeName=fault-test",
                "--Logging:LogLevel:Default=Warning",
                .. RestGateway.Settings(twilio, url),
            ];
            foreach (var arg in args) start.ArgumentList.Add(arg);
            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                Assert.False(process.HasExited, $"the gateway exited: {log}");
                try
                {
                    using var health = await http.GetAsync(url + "/health");
                    if (health.IsSuccessStatusCode) return new GatewayProcess(process);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                }
                Assert.True(DateTime.UtcNow < deadline, $"the gateway did not start: {log}");
                await Task.Delay(100);
            }
        }

        public void Kill()
        {
            if (_process.HasExited) return;
            _process.Kill(entireProcessTree: true); // SIGKILL: nothing is finished, flushed or said goodbye to
            _process.WaitForExit();
        }
    }
}
