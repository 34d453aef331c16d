using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Polly.CircuitBreaker;
using SmsHall.Outbox;

namespace SmsHall.Tests;

/// <summary>
/// Rest mode under the faults that used to starve the outbox: a message list that always fails,
/// 429 storms, replies too old to send, a sender's rate, and the operator's decision on a reply
/// that may have reached Twilio. Against the local Twilio stand-in, through the real pipeline.
/// </summary>
public sealed class DeliveryTests
{
    private const string Alice = "+15550000001";
    private const string Chen = "+15550000003";

    /// <summary>Numbers that are not subscribers: each still gets a reply (that it is not registered), and no rate limit is shared.</summary>
    private static string Stranger(int i) => $"+1555700{i:D4}";

    private static async Task<HttpResponseMessage> OperatorAsync(RestGateway rest, HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Api-Key", TestGateway.OperatorKey);
        return await rest.Gateway.Http.SendAsync(request);
    }

    private static async Task<JsonElement> HeldAsync(RestGateway rest)
    {
        using var response = await OperatorAsync(rest, HttpMethod.Get, "/operator/outbox/held");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        for (var waited = TimeSpan.Zero; waited < TimeSpan.FromSeconds(30); waited += TimeSpan.FromMilliseconds(50))
        {
            if (await condition()) return;
            await Task.Delay(50);
        }
        Assert.Fail($"{what} did not happen within 30 s");
    }

    /// <summary>Rest mode with Twilio's message list refusing, and Chen's first send failing with <paramref name="fault"/>.</summary>
    private static async Task<RestGateway> ListFailingAsync(int maxLookupFailures, Fault fault)
    {
        // A generous attempt timeout: an answer lost to a slow test machine would put a second reply in doubt.
        var rest = await RestGateway.StartAsync(
            $"--Operator:ApiKey={TestGateway.OperatorKey}", $"--Outbox:MaxLookupFailures={maxLookupFailures}",
            "--Outbox:AttemptTimeoutSeconds=5", "--Outbox:LeaseSeconds=60");
        rest.Twilio.ListFails = true;
        var sends = 0;
        rest.Twilio.Faults = (to, _) => to == Chen && Interlocked.Increment(ref sends) == 1 ? fault : Fault.None;
        return rest;
    }

    [Fact]
    public async Task AFailingMessageListHoldsUpOnlyTheReplyInDoubtWhichWaitsForAnOperator()
    {
        // Chen's reply is created at Twilio but the answer is lost: only a look at the list could tell.
        await using var rest = await ListFailingAsync(maxLookupFailures: 2, Fault.DropAfterCreate);

        var chen = await rest.TextAsync(Chen, "BAL");
        var others = new List<string>();
        for (var i = 0; i < 20; i++) others.Add(await rest.TextAsync(Stranger(i), "BAL"));

        foreach (var sid in others) await rest.ReplyAsync(sid, "delivered");
        await Eventually(async () => (await HeldAsync(rest)).GetArrayLength() == 1, "parking Chen's reply");
        var held = (await HeldAsync(rest))[0];
        Assert.Equal(Chen, held.GetProperty("to").GetString());
        Assert.Equal(2, held.GetProperty("lookupFailures").GetInt32());
        Assert.Equal(CircuitState.Closed, rest.Gateway.Services.GetRequiredService<Sender>().Circuit);
        // Created once, never sent again while in doubt.
        Assert.Single(rest.Twilio.Sent, s => s.To == Chen);

        // The operator knows Twilio has it (the subscriber got it): dropped, not sent again.
        using (var drop = await OperatorAsync(rest, HttpMethod.Post, $"/operator/outbox/held/{held.GetProperty("id").GetInt64()}/drop"))
            Assert.Equal(HttpStatusCode.NoContent, drop.StatusCode);
        Assert.Equal("dropped", (await rest.ReplyAsync(chen, "dropped")).Status);
        Assert.Equal(0, (await HeldAsync(rest)).GetArrayLength());
        using (var again = await OperatorAsync(rest, HttpMethod.Post, $"/operator/outbox/held/{held.GetProperty("id").GetInt64()}/drop"))
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Single(rest.Twilio.Sent, s => s.To == Chen);
    }

    [Fact]
    public async Task AnOperatorCanResendAHeldReplyThatNeverReachedTwilio()
    {
        // The connection drops before Twilio creates anything: in doubt, but not sent.
        await using var rest = await ListFailingAsync(maxLookupFailures: 1, Fault.DropBeforeCreate);

        var chen = await rest.TextAsync(Chen, "BAL");
        await Eventually(async () => (await HeldAsync(rest)).GetArrayLength() == 1, "parking Chen's reply");
        Assert.Empty(rest.Twilio.Sent);

        var id = (await HeldAsync(rest))[0].GetProperty("id").GetInt64();
        using (var resend = await OperatorAsync(rest, HttpMethod.Post, $"/operator/outbox/held/{id}/resend"))
            Assert.Equal(HttpStatusCode.NoContent, resend.StatusCode);
        var reply = await rest.ReplyAsync(chen, "delivered");
        Assert.Equal(Assert.Single(rest.Twilio.Sent).Sid, reply.TwilioSid);
    }

    [Fact]
    public async Task HeldRepliesNeedTheOperatorKey()
    {
        await using var rest = await RestGateway.StartAsync($"--Operator:ApiKey={TestGateway.OperatorKey}");
        using var response = await rest.Gateway.Http.PostAsync("/operator/outbox/held/1/resend", null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A429StormSlowsTheSenderButNeverOpensTheCircuit()
    {
        await using var rest = await RestGateway.StartAsync("--Outbox:Concurrency=4");
        rest.Twilio.RetryAfterSeconds = 1;
        var storm = 24;
        rest.Twilio.Faults = (_, _) => Interlocked.Decrement(ref storm) >= 0 ? Fault.TooManyRequests : Fault.None;
        var sender = rest.Gateway.Services.GetRequiredService<Sender>();

        var sids = new List<string>();
        for (var i = 0; i < 8; i++) sids.Add(await rest.TextAsync(Stranger(i), "BAL"));
        var opened = false;
        var watching = Task.Run(async () =>
        {
            while (!Volatile.Read(ref opened) && rest.Twilio.Sent.Count < sids.Count)
            {
                if (sender.Circuit != CircuitState.Closed) Volatile.Write(ref opened, true);
                await Task.Delay(10);
            }
        });
        foreach (var sid in sids) await rest.ReplyAsync(sid, "delivered");
        await watching;

        Assert.False(opened, "24 answers of 429 opened the circuit");
        Assert.Equal(sids.Count, rest.Twilio.Sent.Count);
    }

    [Fact]
    public async Task AReplyThatCouldNotGoWithinTheExpiryIsNeverSentAndTheNextMessageIsAnswered()
    {
        var clock = new JumpingClock();
        await using var rest = await RestGateway.StartAsync(s => s.AddSingleton<TimeProvider>(clock), "--Outbox:ExpireAfterSeconds=600");
        rest.Twilio.Faults = (_, _) => Fault.ServerError;

        var stale = await rest.TextAsync(Alice, "BAL");
        await Eventually(() => Task.FromResult(rest.Twilio.Attempts > 0), "a first attempt");
        clock.Jump(TimeSpan.FromMinutes(11));

        // Twilio is still down (an attempt begun before the jump may rightly go through once it is back).
        var expired = await rest.ReplyAsync(stale, "expired");
        Assert.Null(expired.TwilioSid);
        rest.Twilio.Faults = null;
        var fresh = await rest.TextAsync(Alice, "BAL");
        await rest.ReplyAsync(fresh, "delivered");
        var sent = Assert.Single(rest.Twilio.Sent);
        Assert.StartsWith("Your balance is $12.50", sent.Body);
    }

    [Fact]
    public async Task SendsArePacedToTheSendersRateOnTheInjectedClock()
    {
        var clock = new TestClock(DateTimeOffset.UtcNow);
        await using var rest = await RestGateway.StartAsync(s => s.AddSingleton<TimeProvider>(clock), "--Twilio:SegmentsPerSecond=1");
        // A burst holds one longest reply (ten segments); after it, one segment a second of the clock.
        for (var i = 0; i < 12; i++) await rest.TextAsync(Stranger(i), "BAL");

        await Eventually(() => Task.FromResult(rest.Twilio.Sent.Count == 10), "the first ten sends");
        await Task.Delay(500); // time passes, the clock does not: nothing more may go
        Assert.Equal(10, rest.Twilio.Sent.Count);
        clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually(() => Task.FromResult(rest.Twilio.Sent.Count == 11), "the eleventh send");
        Assert.Equal(11, rest.Twilio.Sent.Count);
        clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually(() => Task.FromResult(rest.Twilio.Sent.Count == 12), "the twelfth send");
    }

    [Fact]
    public async Task AMessageHeldToALaterTimeHoldsUpNoReply()
    {
        await using var rest = await RestGateway.StartAsync();
        using (var db = rest.Gateway.OpenDatabase())
        {
            // A notice for Alice that may not go before tomorrow morning (quiet hours, a later issue).
            var later = DateTimeOffset.UtcNow.AddHours(12).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'");
            // (Its message-log rows stand in for what the notice issue will record.)
            db.Execute(
                """
                INSERT INTO inbound_messages (sid, from_number, to_number, body, received_at, status)
                VALUES ('SMNOTICE', @Alice, '+15005550006', '', @later, 'handled')
                """, new { Alice, later });
            var id = db.ExecuteScalar<long>(
                """
                INSERT INTO outbound_messages (inbound_sid, to_number, from_number, body, status, created_at, segments)
                VALUES ('SMNOTICE', @Alice, '+15005550006', 'Your bill is ready.', 'pending', @later, 1) RETURNING id
                """, new { Alice, later });
            db.Execute("INSERT INTO outbox (id, to_number, state, next_attempt_at, not_before) VALUES (@id, @Alice, 'pending', @later, @later)",
                new { id, Alice, later });
        }
        await rest.ReplyAsync(await rest.TextAsync(Alice, "BAL"), "delivered");
        Assert.StartsWith("Your balance is", Assert.Single(rest.Twilio.Sent).Body);
    }
}
