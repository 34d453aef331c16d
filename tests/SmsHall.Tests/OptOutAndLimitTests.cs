using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SmsHall.Tests;

/// <summary>Opt-out words, the per-number rate limit, operator endpoints behind their key, and numbers kept out of logs.</summary>
public class OptOutAndLimitTests
{
    private const string Alice = "+15550000001";

    [Fact]
    public async Task CancelWithNothingWaitingOptsOutLikeStop()
    {
        await using var gw = await TestGateway.StartAsync();
        Assert.Equal("You have opted out and will get no more replies. Text START to come back.", await gw.TextAsync(Alice, "CANCEL"));
        Assert.Null(await gw.TextAsync(Alice, "BAL"));
        Assert.StartsWith("Welcome back", await gw.TextAsync(Alice, "UNSTOP"));
        Assert.StartsWith("Your balance is", await gw.TextAsync(Alice, "BAL"));
    }

    [Fact]
    public async Task CancelWhileAPlanChangeWaitsCancelsItAndKeepsTheNumberSubscribed()
    {
        await using var gw = await TestGateway.StartAsync();
        await gw.TextAsync(Alice, "PLAN GOLD");
        Assert.Equal("Cancelled. Your plan stays SILVER.", await gw.TextAsync(Alice, "CANCEL"));
        Assert.Equal("SILVER", gw.PlanOf(Alice));
        Assert.StartsWith("Your balance is", await gw.TextAsync(Alice, "BAL"));
    }

    [Theory]
    [InlineData("STOP")]
    [InlineData("stopall")]
    [InlineData("Unsubscribe")]
    [InlineData("END")]
    [InlineData("quit")]
    [InlineData("ARRET")]
    [InlineData("退订")]
    [InlineData("لغو عضویت")]
    public async Task EveryOptOutWordSilencesTheNumberEvenWhileAChangeWaits(string word)
    {
        await using var gw = await TestGateway.StartAsync();
        await gw.TextAsync(Alice, "PLAN GOLD");
        Assert.NotNull(await gw.TextAsync(Alice, word));
        Assert.Null(await gw.TextAsync(Alice, "YES"));
        Assert.Equal("SILVER", gw.PlanOf(Alice));
        using var db = gw.OpenDatabase();
        Assert.Equal(1, db.ExecuteScalar<long>("SELECT opted_out FROM subscribers WHERE number = @Alice", new { Alice }));
        Assert.Equal("suppressed", db.ExecuteScalar<string>("SELECT status FROM outbound_messages ORDER BY id DESC LIMIT 1"));
    }

    [Fact]
    public async Task PastTheRateLimitANumberGetsOneNoticeThenSilenceUntilTheWindowPasses()
    {
        await using var gw = await TestGateway.StartAsync("--Hall:RateLimitMessages=3", "--Hall:RateLimitSeconds=60");
        for (var i = 0; i < 3; i++)
        {
            Assert.StartsWith("Your balance is", await gw.TextAsync(Alice, "BAL"));
            gw.Clock.Advance(TimeSpan.FromSeconds(1));
        }
        Assert.Equal("You are sending messages too fast. Please wait a minute and try again.", await gw.TextAsync(Alice, "BAL"));
        Assert.Null(await gw.TextAsync(Alice, "BAL"));
        Assert.Null(await gw.TextAsync(Alice, "HELP"));
        Assert.StartsWith("Your balance is", await gw.TextAsync("+15550000003", "BAL")); // other numbers are not held up

        gw.Clock.Advance(TimeSpan.FromSeconds(60));
        Assert.StartsWith("Your balance is", await gw.TextAsync(Alice, "BAL"));

        using var db = gw.OpenDatabase();
        Assert.Equal(2, db.ExecuteScalar<long>("SELECT COUNT(*) FROM outbound_messages WHERE to_number = @Alice AND status = 'limited'", new { Alice }));
        Assert.Equal(7, db.ExecuteScalar<long>("SELECT COUNT(*) FROM inbound_messages WHERE from_number = @Alice AND status = 'handled'", new { Alice }));
    }

    [Fact]
    public async Task StopWorksEvenPastTheRateLimit()
    {
        await using var gw = await TestGateway.StartAsync("--Hall:RateLimitMessages=2");
        for (var i = 0; i < 4; i++) await gw.TextAsync(Alice, "BAL");
        Assert.StartsWith("You have opted out", await gw.TextAsync(Alice, "STOP"));
        Assert.StartsWith("Welcome back", await gw.TextAsync(Alice, "START"));
    }

    [Fact]
    public async Task UnregisteredNumbersAreRateLimitedToo()
    {
        await using var gw = await TestGateway.StartAsync("--Hall:RateLimitMessages=2");
        await gw.TextAsync("+19990000000", "hi");
        await gw.TextAsync("+19990000000", "hi");
        Assert.StartsWith("You are sending messages too fast", await gw.TextAsync("+19990000000", "hi"));
        Assert.Null(await gw.TextAsync("+19990000000", "hi"));
    }

    [Fact]
    public async Task OperatorEndpointsNeedTheConfiguredApiKey()
    {
        await using (var off = await TestGateway.StartAsync())
        {
            using var response = await off.Http.GetAsync("/operator/outbox");
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("Operator:ApiKey", await response.Content.ReadAsStringAsync());
        }

        await using var gw = await TestGateway.StartAsync("--Operator:ApiKey=s3cret-key");
        var sid = gw.NextSid();
        await gw.TextAsync(Alice, "BAL", sid);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(gw, "/operator/outbox", null));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(gw, "/operator/outbox", "s3cret-kez"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(gw, $"/operator/messages/{sid}", "s3cret"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(gw, "/operator/outbox", "s3cret-key"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(gw, "/operator/messages/SM404", "s3cret-key"));
        Assert.Equal(HttpStatusCode.OK, (await gw.Http.GetAsync("/health")).StatusCode); // health stays open for load balancers

        var request = new HttpRequestMessage(HttpMethod.Get, $"/operator/messages/{sid}");
        request.Headers.Add("X-Api-Key", "s3cret-key");
        using var message = await gw.Http.SendAsync(request);
        var json = await message.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("balance", json.GetProperty("inbound").GetProperty("command").GetString());
        Assert.StartsWith("Your balance is", json.GetProperty("reply").GetProperty("body").GetString());
        Assert.Equal("replied", json.GetProperty("reply").GetProperty("status").GetString());
    }

    [Fact]
    public async Task ApplicationLogsNeverShowAWholePhoneNumber()
    {
        var logs = new CapturedLogs();
        await using (var rest = await RestGatewayWithLogs(logs))
        {
            rest.Twilio.Faults = (to, _) => to == "+15550000003" ? Fault.Unsubscribed : Fault.None;
            await rest.ReplyAsync(await rest.TextAsync("+15550000003", "BAL"), "failed");
            await rest.TextAsync(Alice, "STOP");
            await rest.TextAsync(Alice, "BAL");
        }

        var lines = logs.Lines;
        Assert.Contains(lines, l => l.Contains("+15*******03") && l.Contains("21610"));
        Assert.Contains(lines, l => l.Contains("+15*******01") && l.Contains("opted_out")); // the per-message line
        Assert.DoesNotContain(lines, l => l.Contains("5550000003") || l.Contains("5550000001"));
    }

    private static Task<RestGateway> RestGatewayWithLogs(CapturedLogs logs) =>
        RestGateway.StartAsync(services => services.AddSingleton<ILoggerProvider>(logs), "--Logging:LogLevel:Default=Information");

    private static async Task<HttpStatusCode> StatusAsync(TestGateway gw, string path, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (key is not null) request.Headers.Add("X-Api-Key", key);
        using var response = await gw.Http.SendAsync(request);
        return response.StatusCode;
    }
}

/// <summary>Every application log line, formatted, for tests that check what logs reveal.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
