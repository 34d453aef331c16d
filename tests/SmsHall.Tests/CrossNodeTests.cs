using System.Text;
using Dapper;
using Npgsql;
using SmsHall.Storage.Tests;

namespace SmsHall.Tests;

/// <summary>
/// What must hold across nodes, with two real <c>smshall serve</c> processes on one PostgreSQL
/// database (TwiML mode): each promise is tried with messages arriving at both nodes at once.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class CrossNodeTests(PostgresServer server) : IAsyncLifetime
{
    private const string Alice = "+15550000001"; // prepaid, $12.50
    private const string Bob = "+15550000002";
    private const string Chen = "+15550000003";
    private const string Claire = "+15550000004";
    private const string Dariush = "+15550000005";
    private const string Synthetic = "+15551000001"; // prepaid, from db seed --subscribers

    private readonly string _connectionString = server.CreateDatabase();
    private readonly StringBuilder _log = new();
    private readonly List<GatewayProcess> _processes = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private string[] _urls = [];

    public async Task InitializeAsync()
    {
        // Enough threads that the requests really go out at the same time, not one after another.
        ThreadPool.SetMinThreads(64, 64);
        string[] database = ["--Database:Provider=Postgres", $"--Database:ConnectionString={_connectionString}"];
        _urls = [$"http://127.0.0.1:{RestGateway.FreePort()}", $"http://127.0.0.1:{RestGateway.FreePort()}"];
        // Both start at once against the same empty database: one migrates, the other waits for it.
        var started = await Task.WhenAll(_urls.Select((url, n) => GatewayProcess.StartAsync(url, $"node-{n}",
            [.. database, "--Hall:RateLimitMessages=10", "--Hall:RateLimitSeconds=60", "--Hall:TopUpMaxFailures=5"], _log)));
        _processes.AddRange(started);
        var (exit, stdout, stderr) = await CliRun.RunAsync([.. database, $"--Catalogue:Path={Repo.CommandsMd}"], "", "db", "seed", "--subscribers", "10");
        Assert.True(exit == 0, stderr);
        Assert.Contains("5 demo subscriber(s) added", stdout);
    }

    public Task DisposeAsync()
    {
        foreach (var process in _processes) process.Kill();
        _http.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task TheSameSidAtBothNodesAtOnceIsAnsweredOnceTheSame()
    {
        for (var i = 0; i < 10; i++)
        {
            var sid = Sid();
            var answers = await Task.WhenAll(TextAsync(0, Dariush, "BAL", sid), TextAsync(1, Dariush, "BAL", sid));
            Assert.StartsWith("Your balance is $0.00", answers[0]);
            Assert.Equal(answers[0], answers[1]);
        }
        Assert.Equal(10, Count("SELECT COUNT(*) FROM outbound_messages WHERE to_number = @number", Dariush));
    }

    [Fact]
    public async Task AComplaintDeliveredToBothNodesAtOnceOpensOneTicketAndComplaintsAtBothNodesGetTheirOwnReferences()
    {
        var sid = Sid();
        var answers = await Task.WhenAll(TextAsync(0, Chen, "complaint: no signal at home", sid), TextAsync(1, Chen, "complaint: no signal at home", sid));
        Assert.StartsWith("Thank you: your complaint is ticket T", answers[0]);
        Assert.Equal(answers[0], answers[1]);
        Assert.Equal(1, Count("SELECT COUNT(*) FROM tickets WHERE number = @number", Chen));

        var more = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => TextAsync(i % 2, i % 3 == 0 ? Alice : Bob, $"complaint number {i}")));
        var references = more.Append(answers[0]).Select(a => System.Text.RegularExpressions.Regex.Match(a!, "ticket (T[0-9]+)").Groups[1].Value).ToList();
        Assert.DoesNotContain("", references);
        Assert.Equal(7, references.Distinct().Count());
        Assert.Equal(7, Count("SELECT COUNT(*) FROM tickets WHERE number <> @number", "nobody"));
    }

    [Fact]
    public async Task AnOfferMadeOnOneNodeIsTakenOnTheOtherAndYesAndNoRacingHaveOneWinner()
    {
        Assert.StartsWith("Change plan FAMILY to GOLD", await TextAsync(0, Claire, "PLAN GOLD"));
        Assert.StartsWith("Done: your plan is now GOLD", await TextAsync(1, Claire, "YES"));

        for (var round = 0; round < 2; round++) // within the rate limit (10 a minute)
        {
            var before = PlanOf(Claire);
            var plan = before == "BASIC" ? "SILVER" : "BASIC";
            Assert.StartsWith("Change plan", await TextAsync(round % 2, Claire, $"PLAN {plan}"));
            var answers = await Task.WhenAll(TextAsync(0, Claire, "YES"), TextAsync(1, Claire, "NO"));

            var yesWon = answers[0]!.StartsWith("Done:", StringComparison.Ordinal);
            var noWon = answers[1]!.StartsWith("Cancelled.", StringComparison.Ordinal);
            Assert.True(yesWon != noWon, string.Join(" | ", answers));
            Assert.StartsWith("There is nothing to", yesWon ? answers[1] : answers[0]);
            Assert.Equal(yesWon ? plan : before, PlanOf(Claire));
        }
    }

    [Fact]
    public async Task AVoucherSentFromTwoNumbersToTwoNodesAtOnceIsCreditedOnce()
    {
        var answers = await Task.WhenAll(TextAsync(0, Alice, "TOPUP 1111-2222-3333"), TextAsync(1, Chen, "TOPUP 1111-2222-3333"));

        Assert.Single(answers, a => a!.StartsWith("Done: $10.00 added", StringComparison.Ordinal));
        Assert.Single(answers, a => a!.StartsWith("That voucher has already been used", StringComparison.Ordinal));
        Assert.Equal(1250 + 375 + 1000, Count("SELECT SUM(balance_cents) FROM subscribers WHERE number IN (@number, '+15550000003')", Alice));
    }

    [Fact]
    public async Task TheRateLimitAndTheTopUpLockoutHoldAcrossNodes()
    {
        var flood = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => TextAsync(i % 2, Bob, "BAL")));
        Assert.Equal(10, flood.Count(r => r?.StartsWith("Plan GOLD is postpaid", StringComparison.Ordinal) == true));
        Assert.Equal(1, flood.Count(r => r?.StartsWith("You are sending messages too fast", StringComparison.Ordinal) == true));
        Assert.Equal(29, flood.Count(r => r is null));

        var wrong = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => TextAsync(i % 2, Synthetic, $"TOPUP 9999-0000-{i:D4}")));
        Assert.Equal(5, Count("SELECT COUNT(*) FROM topup_failures WHERE number = @number", Synthetic));
        Assert.Equal(4, wrong.Count(r => r!.StartsWith("That voucher code is not valid", StringComparison.Ordinal)));
        Assert.Equal(6, wrong.Count(r => r!.StartsWith("Too many wrong voucher codes", StringComparison.Ordinal)));
    }

    private static string Sid() => $"SM{Guid.NewGuid():N}";

    /// <summary>Texts node <paramref name="node"/> as Twilio would, signed for that node's URL; the TwiML reply's text, or null.</summary>
    private async Task<string?> TextAsync(int node, string from, string body, string? sid = null)
    {
        var form = TestGateway.Form(from, body, sid ?? Sid());
        using var request = new HttpRequestMessage(HttpMethod.Post, _urls[node] + "/twilio/sms") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Twilio-Signature", TwilioSignature.Compute(_urls[node] + "/twilio/sms", form, TestGateway.AuthToken));
        using var response = await _http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {_log}");
        return TestGateway.MessageIn(await response.Content.ReadAsStringAsync());
    }

    private string PlanOf(string number)
    {
        using var c = new NpgsqlConnection(_connectionString);
        return c.ExecuteScalar<string>("SELECT plan_code FROM subscribers WHERE number = @number", new { number })!;
    }

    private long Count(string sql, string number)
    {
        using var c = new NpgsqlConnection(_connectionString);
        return c.ExecuteScalar<long>(sql, new { number });
    }
}
