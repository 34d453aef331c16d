using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SmsHall.Twilio;

namespace SmsHall.Tests;

/// <summary>
/// TwilioMessages as the gateway wires it (the Twilio SDK on the factory's HttpClient, sent to
/// Twilio:ApiBaseUrl) against the local stand-in: what reaches Twilio, and what its answers come to.
/// </summary>
public sealed class RestThroughTheSdkTests : IAsyncLifetime
{
    private const string Alice = "+15550000001";
    private TwilioStandIn _twilio = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync() => _twilio = await TwilioStandIn.StartAsync(RestGateway.AccountSid, TestGateway.AuthToken);

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _twilio.DisposeAsync();
    }

    private TwilioMessages Messages(params string[] settings)
    {
        var config = new ConfigurationBuilder().AddCommandLine(
        [
            .. RestGateway.Settings(_twilio, "http://127.0.0.1:5080"),
            $"--Twilio:AuthToken={TestGateway.AuthToken}",
            // One call each, not a gateway's retries: the gateway tests' 0.5 s attempt timeout let a
            // first call (cold HTTP client, JIT) time out on a busy CI machine. The timeout test sets its own.
            "--Outbox:AttemptTimeoutSeconds=2",
            .. settings,
        ]).Build();
        _services = new ServiceCollection().AddSmsHall(config).AddTwilioMessages().BuildServiceProvider();
        return _services.GetRequiredService<TwilioMessages>();
    }

    private static OutgoingSms Reply(string body = "Your balance is $12.50.", TimeSpan? validity = null) =>
        new(Alice, TestGateway.ShortCode, body, validity);

    [Fact]
    public async Task AReplyReachesTheApiBaseUrlWithItsValidityPeriod()
    {
        var result = await Messages().SendAsync(Reply(validity: TimeSpan.FromMinutes(5)), CancellationToken.None);

        var sent = Assert.Single(_twilio.Sent);
        Assert.Equal(new SendResult.Accepted(sent.Sid, "queued"), result);
        Assert.Equal((Alice, TestGateway.ShortCode, "Your balance is $12.50."), (sent.To, sent.From, sent.Body));
        Assert.Equal("http://127.0.0.1:5080/twilio/status", sent.StatusCallback);
        Assert.Equal(300, sent.ValidityPeriod);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(0.2, 1)] // whole seconds, at least one
    [InlineData(90.5, 91)]
    [InlineData(72_000.0, 36_000)] // Twilio's most: 10 hours
    public async Task AValidityPeriodIsSentInWholeSecondsWithinWhatTwilioTakes(double? seconds, int? sent)
    {
        var validity = seconds is { } s ? TimeSpan.FromSeconds(s) : (TimeSpan?)null;
        Assert.IsType<SendResult.Accepted>(await Messages().SendAsync(Reply(validity: validity), CancellationToken.None));
        Assert.Equal(sent, Assert.Single(_twilio.Sent).ValidityPeriod);
    }

    [Fact]
    public async Task TooManyRequestsIsBusyForAsLongAsRetryAfterSays()
    {
        _twilio.Faults = (_, _) => Fault.TooManyRequests;
        _twilio.RetryAfterSeconds = 7;
        var result = await Messages().SendAsync(Reply(), CancellationToken.None);
        Assert.Equal(new SendResult.Busy(429, 20429, "Too Many Requests", TimeSpan.FromSeconds(7)), result);
    }

    [Fact]
    public async Task AnErrorPageThatIsNotTwiliosJsonIsBusyWithItsHttpStatus()
    {
        _twilio.Faults = (_, _) => Fault.ProxyErrorPage;
        var result = await Messages().SendAsync(Reply(), CancellationToken.None);
        Assert.Equal(new SendResult.Busy(502, null, "HTTP 502", null), result);
    }

    [Fact]
    public async Task ARefusalIsRejectedWithTwiliosErrorCode()
    {
        _twilio.Faults = (_, _) => Fault.InvalidNumber;
        var result = await Messages().SendAsync(Reply(), CancellationToken.None);
        Assert.Equal(new SendResult.Rejected(21211, $"The 'To' number {Alice} is not a valid phone number."), result);
    }

    [Fact]
    public async Task EightSendsAtOnceEachHearTheirOwnAnswer()
    {
        _twilio.Faults = (_, body) => body.EndsWith("busy", StringComparison.Ordinal) ? Fault.TooManyRequests : Fault.None;
        var twilio = Messages();
        var bodies = Enumerable.Range(0, 8).Select(i => i % 2 == 0 ? $"reply {i} busy" : $"reply {i}").ToArray();

        var results = await Task.WhenAll(bodies.Select(b => twilio.SendAsync(Reply(b), CancellationToken.None)));

        for (var i = 0; i < bodies.Length; i++)
        {
            if (i % 2 == 0) Assert.Equal(429, Assert.IsType<SendResult.Busy>(results[i]).HttpStatus);
            else Assert.Equal(_twilio.Sent.Single(s => s.Body == bodies[i]).Sid, Assert.IsType<SendResult.Accepted>(results[i]).Sid);
        }
    }

    [Fact]
    public async Task TheLookupFindsAMessageTwilioTookAndNotOneAlreadyKnown()
    {
        var twilio = Messages();
        var since = DateTimeOffset.UtcNow;
        var sent = Assert.IsType<SendResult.Accepted>(await twilio.SendAsync(Reply(), CancellationToken.None));

        Assert.Equal(sent, await twilio.FindAsync(Alice, "Your balance is $12.50.", since, new HashSet<string>(), CancellationToken.None));
        Assert.Null(await twilio.FindAsync(Alice, "Your balance is $12.50.", since, new HashSet<string> { sent.Sid }, CancellationToken.None));
        Assert.Null(await twilio.FindAsync(Alice, "another body", since, new HashSet<string>(), CancellationToken.None));
        Assert.Null(await twilio.FindAsync(Alice, "Your balance is $12.50.", since.AddMinutes(5), new HashSet<string>(), CancellationToken.None));
    }

    [Fact]
    public async Task ALookupTwilioRefusesThrows()
    {
        var twilio = Messages("--Twilio:AuthToken=not-the-token");
        var e = await Assert.ThrowsAsync<HttpRequestException>(() =>
            twilio.FindAsync(Alice, "Your balance is $12.50.", DateTimeOffset.UtcNow, new HashSet<string>(), CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, e.StatusCode);
    }

    [Fact]
    public async Task AConnectionNeverMadeSaysSo()
    {
        var twilio = Messages($"--Twilio:ApiBaseUrl=http://127.0.0.1:{RestGateway.FreePort()}");
        var e = await Assert.ThrowsAsync<HttpRequestException>(() => twilio.SendAsync(Reply(), CancellationToken.None));
        Assert.Equal(HttpRequestError.ConnectionError, e.HttpRequestError);
    }

    [Fact]
    public async Task NoAnswerWithinTheAttemptTimeoutIsATimeout()
    {
        _twilio.Faults = (_, _) => Fault.SlowAfterCreate;
        var twilio = Messages("--Outbox:AttemptTimeoutSeconds=0.3");
        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => twilio.SendAsync(Reply(), CancellationToken.None));
        Assert.IsType<TimeoutException>(e.InnerException);
    }

    [Fact]
    public async Task CancellingTheCallerStopsTheRequest()
    {
        _twilio.Faults = (_, _) => Fault.SlowAfterCreate;
        var twilio = Messages();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => twilio.SendAsync(Reply(), cancel.Token));
        Assert.Equal(cancel.Token, e.CancellationToken);
    }
}
