using System.Net;
using Dapper;

namespace SmsHall.Tests;

/// <summary>Rest mode: replies leave through the outbox and Twilio's Messages API, and Twilio's callbacks track them.</summary>
public class RestReplyTests
{
    private const string Alice = "+15550000001";
    private const string Chen = "+15550000003";

    [Fact]
    public async Task TheWebhookAnswersAtOnceAndTheReplyIsSentThroughTheApiAndTrackedToDelivery()
    {
        await using var rest = await RestGateway.StartAsync();
        var sid = await rest.TextAsync(Alice, "BAL");

        var reply = await rest.ReplyAsync(sid, "delivered");
        var sent = Assert.Single(rest.Twilio.Sent);
        Assert.Equal(Alice, sent.To);
        Assert.Equal(TestGateway.ShortCode, sent.From); // the number the subscriber texted
        Assert.StartsWith("Your balance is $12.50", sent.Body);
        Assert.EndsWith("/twilio/status", sent.StatusCallback);
        Assert.Equal(sent.Sid, reply.TwilioSid);
        Assert.Equal(sent.Body, reply.Body);
    }

    [Fact]
    public async Task AMessagingServiceSendsInsteadOfAFromNumberWhenConfigured()
    {
        await using var rest = await RestGateway.StartAsync("--Twilio:MessagingServiceSid=MG00000000000000000000000000000001");
        await rest.ReplyAsync(await rest.TextAsync(Alice, "BAL"), "delivered");
        var sent = Assert.Single(rest.Twilio.Sent);
        Assert.Null(sent.From);
        Assert.Equal("MG00000000000000000000000000000001", sent.MessagingServiceSid);
    }

    [Theory]
    [InlineData(Fault.TooManyRequests)]
    [InlineData(Fault.ServerError)]
    [InlineData(Fault.ProxyErrorPage)]
    [InlineData(Fault.DropBeforeCreate)]
    [InlineData(Fault.DropAfterCreate)]
    [InlineData(Fault.SlowAfterCreate)]
    public async Task ATransientFailureIsRetriedAndTheReplyIsSentExactlyOnce(Fault fault)
    {
        await using var rest = await RestGateway.StartAsync();
        rest.Twilio.SlowDelay = TimeSpan.FromSeconds(2); // past the 0.5 s attempt timeout
        var failures = 2;
        rest.Twilio.Faults = (_, _) => Interlocked.Decrement(ref failures) >= 0 ? fault : Fault.None;

        var sid = await rest.TextAsync(Alice, "BAL");

        var reply = await rest.ReplyAsync(sid, "delivered");
        var sent = Assert.Single(rest.Twilio.Sent);
        Assert.Equal(sent.Sid, reply.TwilioSid);
        // A fault after Twilio created the message is found by looking, not by sending again.
        Assert.Equal(fault is Fault.DropAfterCreate or Fault.SlowAfterCreate ? 1 : 3, rest.Twilio.Attempts);
    }

    [Fact]
    public async Task AnOutageOpensTheCircuitAndSendingResumesWhenTwilioIsBack()
    {
        await using var rest = await RestGateway.StartAsync("--Outbox:Concurrency=2");
        var outageEnds = DateTimeOffset.UtcNow.AddSeconds(3); // long enough for 20 failed calls, which open the circuit
        rest.Twilio.Faults = (_, _) => DateTimeOffset.UtcNow < outageEnds ? Fault.ServerError : Fault.None;

        var sids = new List<string>();
        for (var i = 1; i <= 5; i++) sids.Add(await rest.TextAsync($"+1555000000{i}", "HELP"));

        foreach (var sid in sids) await rest.ReplyAsync(sid, "delivered");
        Assert.Equal(5, rest.Twilio.Sent.Count);
        // The circuit held calls back once 20 had failed: Twilio was not hammered for the rest of the outage.
        Assert.True(rest.Twilio.Attempts < 30, $"{rest.Twilio.Attempts} calls reached Twilio");
    }

    [Fact]
    public async Task TwilioSayingTheNumberUnsubscribedOptsItOutAndNothingMoreIsSent()
    {
        await using var rest = await RestGateway.StartAsync();
        rest.Twilio.Faults = (to, _) => to == Chen ? Fault.Unsubscribed : Fault.None;

        var first = await rest.ReplyAsync(await rest.TextAsync(Chen, "BAL"), "failed");
        Assert.Equal(21610, first.ErrorCode);
        var second = await rest.ReplyAsync(await rest.TextAsync(Chen, "BAL"), "suppressed");
        Assert.Null(second.TwilioSid);

        Assert.Empty(rest.Twilio.Sent);
        Assert.Equal(1, rest.Twilio.Attempts); // the refusal was not retried, the second reply never tried
        using var db = rest.Gateway.OpenDatabase();
        Assert.Equal(1, db.ExecuteScalar<long>("SELECT opted_out FROM subscribers WHERE number = @Chen", new { Chen }));
    }

    [Fact]
    public async Task APermanentErrorIsRecordedWithItsCodeAndNotRetried()
    {
        await using var rest = await RestGateway.StartAsync();
        rest.Twilio.Faults = (_, _) => Fault.InvalidNumber;

        var reply = await rest.ReplyAsync(await rest.TextAsync(Alice, "BAL"), "failed");

        Assert.Equal(21211, reply.ErrorCode);
        Assert.Equal(1, rest.Twilio.Attempts);
        using var db = rest.Gateway.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM outbox"));
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT opted_out FROM subscribers WHERE number = @Alice", new { Alice }));
    }

    [Fact]
    public async Task UndeliveredIsRecordedWithTwiliosErrorCode()
    {
        await using var rest = await RestGateway.StartAsync();
        rest.Twilio.Undeliverable = _ => true;

        var reply = await rest.ReplyAsync(await rest.TextAsync(Alice, "BAL"), "undelivered");

        Assert.Equal(30003, reply.ErrorCode);
    }

    [Fact]
    public async Task ALongRetryAfterPutsTheReplyBackInTheOutboxInsteadOfHoldingASender()
    {
        await using var rest = await RestGateway.StartAsync();
        rest.Twilio.RetryAfterSeconds = 3; // above Outbox:MaxRetryAfterSeconds=2
        var failures = 1;
        rest.Twilio.Faults = (_, _) => Interlocked.Decrement(ref failures) >= 0 ? Fault.TooManyRequests : Fault.None;

        var sid = await rest.TextAsync(Alice, "BAL");
        await Task.Delay(1000);
        using (var db = rest.Gateway.OpenDatabase())
        {
            Assert.Equal("pending", db.ExecuteScalar<string>("SELECT status FROM outbound_messages WHERE inbound_sid = @sid", new { sid }));
            Assert.Equal(1, db.ExecuteScalar<long>("SELECT COUNT(*) FROM outbox WHERE last_error LIKE 'HTTP 429%'"));
        }

        await rest.ReplyAsync(sid, "delivered");
        Assert.Single(rest.Twilio.Sent);
    }

    [Fact]
    public async Task AReplyStillWaitingWhenTheNumberOptsOutIsNeverSentButTheOptOutIsConfirmed()
    {
        await using var rest = await RestGateway.StartAsync();
        var failures = 4; // every attempt of the first round fails, so the BAL reply waits in the outbox
        rest.Twilio.Faults = (_, _) => Interlocked.Decrement(ref failures) >= 0 ? Fault.ServerError : Fault.None;

        var bal = await rest.TextAsync(Alice, "BAL");
        while (rest.Twilio.Attempts < 4) await Task.Delay(20);
        var stop = await rest.TextAsync(Alice, "STOP");

        Assert.Equal("suppressed", (await rest.ReplyAsync(bal, "suppressed", "delivered")).Status);
        var confirmation = await rest.ReplyAsync(stop, "delivered");
        Assert.StartsWith("You have opted out", Assert.Single(rest.Twilio.Sent).Body);
        Assert.Equal(confirmation.TwilioSid, rest.Twilio.Sent[0].Sid);
    }

    [Fact]
    public async Task ACallbackThatArrivesBeforeTheSidIsStoredStillCounts()
    {
        var path = TestGateway.NewDatabasePath();
        try
        {
            var db = new Storage.Sqlite.Database(path);
            db.Migrate();
            new Storage.Sqlite.SqliteSeeding(db).SeedDemo(new DateOnly(2026, 11, 22));
            var now = DateTimeOffset.UtcNow;
            using (var c = db.Open())
            {
                c.Execute("INSERT INTO inbound_messages (sid, from_number, to_number, body, received_at, status) VALUES ('SMIN', @Alice, '+15005550006', 'BAL', '2026-11-22T10:00:00Z', 'handled')", new { Alice });
                c.Execute("INSERT INTO outbound_messages (id, inbound_sid, to_number, from_number, body, segments, status, created_at) VALUES (1, 'SMIN', @Alice, '+15005550006', 'hi', 1, 'pending', '2026-11-22T10:00:00Z')", new { Alice });
                c.Execute("INSERT INTO outbox (id, to_number, state, next_attempt_at, attempts) VALUES (1, @Alice, 'sending', '2026-11-22T10:00:00Z', 1)", new { Alice });
            }
            var outbox = new Storage.Sqlite.SqliteOutbox(db);

            await outbox.RecordStatusAsync("SMOUT", "delivered", null, now);
            await outbox.SentAsync(1, "SMOUT", "queued", now);

            using var check = db.Open();
            Assert.Equal("delivered", check.ExecuteScalar<string>("SELECT status FROM outbound_messages WHERE id = 1"));
            Assert.Equal(0, check.ExecuteScalar<long>("SELECT COUNT(*) FROM outbox"));
        }
        finally
        {
            TestGateway.DeleteDatabase(path);
        }
    }

    [Fact]
    public async Task StatusCallbacksMustBeSignedAndWellFormed()
    {
        await using var rest = await RestGateway.StartAsync();
        var gw = rest.Gateway;
        List<KeyValuePair<string, string>> form =
        [
            new("MessageSid", "SM00000000000000000000000000000099"),
            new("AccountSid", RestGateway.AccountSid),
            new("MessageStatus", "delivered"),
        ];
        var url = new Uri(gw.Http.BaseAddress!, "/twilio/status").ToString();

        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(gw, form, "not-a-signature"));
        Assert.Equal(HttpStatusCode.NoContent, await PostAsync(gw, form, TwilioSignature.Compute(url, form, TestGateway.AuthToken)));

        List<KeyValuePair<string, string>> unknown = [.. form.Where(f => f.Key != "MessageStatus"), new("MessageStatus", "exploded")];
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(gw, unknown, TwilioSignature.Compute(url, unknown, TestGateway.AuthToken)));
        List<KeyValuePair<string, string>> badCode = [.. form, new("ErrorCode", "3000x")];
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(gw, badCode, TwilioSignature.Compute(url, badCode, TestGateway.AuthToken)));
    }

    [Fact]
    public async Task ALateCallbackNeverTakesAStatusBack()
    {
        await using var rest = await RestGateway.StartAsync();
        var reply = await rest.ReplyAsync(await rest.TextAsync(Alice, "BAL"), "delivered");
        await rest.Twilio.CallbacksIdleAsync();

        var gw = rest.Gateway;
        var url = new Uri(gw.Http.BaseAddress!, "/twilio/status").ToString();
        List<KeyValuePair<string, string>> sent =
        [
            new("MessageSid", reply.TwilioSid!), new("AccountSid", RestGateway.AccountSid), new("MessageStatus", "sent"),
        ];
        Assert.Equal(HttpStatusCode.NoContent, await PostAsync(gw, sent, TwilioSignature.Compute(url, sent, TestGateway.AuthToken)));

        using var db = gw.OpenDatabase();
        Assert.Equal("delivered", db.ExecuteScalar<string>("SELECT status FROM outbound_messages WHERE twilio_sid = @TwilioSid", reply));
        Assert.Equal(3, db.ExecuteScalar<long>("SELECT COUNT(*) FROM status_events WHERE twilio_sid = @TwilioSid", reply));
    }

    [Fact]
    public async Task ShuttingDownFinishesTheSendsInFlight()
    {
        var rest = await RestGateway.StartAsync();
        rest.Twilio.SendStatusCallbacks = false;
        rest.Twilio.SlowDelay = TimeSpan.FromMilliseconds(300); // inside the attempt timeout: a slow but good answer
        rest.Twilio.Faults = (_, _) => Fault.SlowAfterCreate;
        var sid = await rest.TextAsync(Alice, "BAL");
        while (rest.Twilio.Attempts == 0) await Task.Delay(10);

        var databasePath = rest.Gateway.DatabasePath;
        using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={databasePath};Pooling=False");
        db.Open();
        await rest.Gateway.StopAsync(); // waits for the send, as a graceful shutdown does
        Assert.Equal("queued", db.ExecuteScalar<string>("SELECT status FROM outbound_messages WHERE inbound_sid = @sid", new { sid }));
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM outbox"));
        db.Close();
        await rest.DisposeAsync();
    }

    private static async Task<HttpStatusCode> PostAsync(TestGateway gw, List<KeyValuePair<string, string>> form, string signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/twilio/status") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Twilio-Signature", signature);
        using var response = await gw.Http.SendAsync(request);
        return response.StatusCode;
    }
}
