using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using SmsHall.Core;
using SmsHall.Replay;
using SmsHall.Twilio;

namespace SmsHall.Tests;

/// <summary>
/// WhatsApp through the same webhook: Twilio writes From and To as <c>whatsapp:+…</c>; the subscriber
/// is the number behind it, and the reply goes back on the channel the message came on.
/// </summary>
public sealed class WhatsAppTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("smshall-whatsapp-tests-").FullName;

    private const string Alice = "+15550000001"; // prepaid, SILVER, $12.50
    private const string Stranger = "+15559999999";
    private const string WhatsAppSender = "whatsapp:+14155238886";
    private const string AliceBalance = "Your balance is $12.50, valid until 2026-12-22. Plan SILVER.";

    /// <summary>Twilio's form for a WhatsApp message, with <paramref name="media"/> pictures attached.</summary>
    private static List<KeyValuePair<string, string>> WhatsAppForm(string from, string body, string sid, int media = 0)
    {
        List<KeyValuePair<string, string>> form =
        [
            .. TestGateway.Form("whatsapp:" + from, body, sid).Where(f => f.Key is not ("To" or "NumMedia")),
            new("To", "whatsapp:" + TestGateway.ShortCode),
            new("NumMedia", media.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("ProfileName", "Alice"),
            new("WaId", from.TrimStart('+')),
        ];
        for (var i = 0; i < media; i++)
        {
            form.Add(new($"MediaUrl{i}", $"https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/{sid}/Media/ME{i}"));
            form.Add(new($"MediaContentType{i}", "image/jpeg"));
        }
        return form;
    }

    /// <summary>An SMS (or MMS) form with <paramref name="media"/> pictures attached.</summary>
    private static List<KeyValuePair<string, string>> SmsForm(string from, string body, string sid, int media) =>
    [
        .. TestGateway.Form(from, body, sid).Where(f => f.Key != "NumMedia"),
        new("NumMedia", media.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];

    private static async Task<string?> ReplyTo(TestGateway gw, List<KeyValuePair<string, string>> form)
    {
        using var response = await gw.PostFormAsync(form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return TestGateway.MessageIn(await response.Content.ReadAsStringAsync());
    }

    private static Task<string?> WhatsAppAsync(TestGateway gw, string from, string body, int media = 0, string? sid = null) =>
        ReplyTo(gw, WhatsAppForm(from, body, sid ?? gw.NextSid(), media));

    [Fact]
    public async Task ARegisteredSubscriberAskingForTheBalanceOnWhatsAppGetsIt()
    {
        await using var gw = await TestGateway.StartAsync();
        Assert.Equal(AliceBalance, await WhatsAppAsync(gw, Alice, "bal"));
    }

    [Fact]
    public async Task TheMessageLogRecordsTheChannelWithTheBareNumbers()
    {
        await using var gw = await TestGateway.StartAsync();
        var sid = gw.NextSid();
        await WhatsAppAsync(gw, Alice, "bal", sid: sid);

        using var db = gw.OpenDatabase();
        var inbound = db.QuerySingle<(string From, string To, string Channel, string Command)>(
            "SELECT from_number, to_number, channel, command FROM inbound_messages WHERE sid = @sid", new { sid });
        Assert.Equal((Alice, TestGateway.ShortCode, "whatsapp", "balance"), inbound);
        var reply = db.QuerySingle<(string To, string From, string Channel, string Status)>(
            "SELECT to_number, from_number, channel, status FROM outbound_messages WHERE inbound_sid = @sid", new { sid });
        Assert.Equal((Alice, TestGateway.ShortCode, "whatsapp", "replied"), reply);
    }

    [Fact]
    public async Task TheSameNumberOnWhatsAppAndBySmsIsOneSubscriberAnsweredOnEach()
    {
        await using var gw = await TestGateway.StartAsync();
        var whatsApp = gw.NextSid();
        var sms = gw.NextSid();
        var answers = await Task.WhenAll(WhatsAppAsync(gw, Alice, "bal", sid: whatsApp), gw.TextAsync(Alice, "BAL", sms));
        Assert.All(answers, answer => Assert.Equal(AliceBalance, answer));

        // A language chosen on one channel holds on the other: the account is the number's.
        await WhatsAppAsync(gw, Alice, "LANG FR");
        Assert.StartsWith("Votre solde est de $12.50", await gw.TextAsync(Alice, "BAL"));

        using var db = gw.OpenDatabase();
        Assert.Equal("whatsapp", db.ExecuteScalar<string>("SELECT channel FROM outbound_messages WHERE inbound_sid = @whatsApp", new { whatsApp }));
        Assert.Equal("sms", db.ExecuteScalar<string>("SELECT channel FROM outbound_messages WHERE inbound_sid = @sms", new { sms }));
    }

    [Fact]
    public async Task AWhatsAppRedeliveryGetsTheSameAnswerButTheSameSidBySmsIsRefused()
    {
        await using var gw = await TestGateway.StartAsync();
        var sid = gw.NextSid();
        Assert.Equal(AliceBalance, await WhatsAppAsync(gw, Alice, "bal", sid: sid));
        Assert.Equal(AliceBalance, await WhatsAppAsync(gw, Alice, "bal", sid: sid));

        // Same sid and number but another channel: not a redelivery, so not handed this reply.
        using var sms = await gw.PostSmsAsync(Alice, "bal", sid);
        Assert.Equal(HttpStatusCode.Conflict, sms.StatusCode);
    }

    [Fact]
    public async Task AFormWhoseFromAndToAreOnDifferentChannelsIsRefused()
    {
        await using var gw = await TestGateway.StartAsync();
        var form = TestGateway.Form("whatsapp:" + Alice, "bal", gw.NextSid());
        using var response = await gw.PostFormAsync(form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task APictureWithNoTextGetsTheMediaReplyInTheSubscribersLanguage()
    {
        await using var gw = await TestGateway.StartAsync();
        var sid = gw.NextSid();
        Assert.Equal("Sorry, we can only read text. Please type your request, e.g. BAL, or HELP for the list.",
            await WhatsAppAsync(gw, Alice, "", media: 1, sid: sid));

        await gw.TextAsync(Alice, "LANG FR");
        Assert.Equal("Désolé, nous ne lisons que le texte. Écrivez votre demande, par exemple SOLDE, ou AIDE pour la liste.",
            await WhatsAppAsync(gw, Alice, "  ", media: 2));

        using var db = gw.OpenDatabase();
        Assert.Equal(("media", 1L), db.QuerySingle<(string, long)>("SELECT command, media FROM inbound_messages WHERE sid = @sid", new { sid }));
    }

    [Fact]
    public async Task AnMmsWithNoTextGetsTheMediaReplyToo()
    {
        await using var gw = await TestGateway.StartAsync();
        Assert.StartsWith("Sorry, we can only read text.", await ReplyTo(gw, SmsForm(Alice, "", gw.NextSid(), media: 1)));
    }

    [Fact]
    public async Task APictureWithTextIsAnsweredAsTheText()
    {
        await using var gw = await TestGateway.StartAsync();
        Assert.Equal(AliceBalance, await WhatsAppAsync(gw, Alice, "bal", media: 1));
    }

    [Fact]
    public async Task APictureFromANumberThatIsNotACustomerGetsTheUnregisteredReply()
    {
        await using var gw = await TestGateway.StartAsync();
        Assert.Equal("This number is not registered with us. Please call customer care on 611.", await WhatsAppAsync(gw, Stranger, "", media: 1));
    }

    [Fact]
    public async Task PicturesCountForTheRateLimit()
    {
        await using var gw = await TestGateway.StartAsync("--Hall:RateLimitMessages=2", "--Hall:RateLimitSeconds=60");
        await WhatsAppAsync(gw, Alice, "", media: 1);
        await WhatsAppAsync(gw, Alice, "", media: 1);
        Assert.StartsWith("You are sending messages too fast.", await WhatsAppAsync(gw, Alice, "", media: 1));
    }

    [Fact]
    public async Task InRestModeAWhatsAppReplyIsSentToTheWhatsAppAddressFromTheWhatsAppSender()
    {
        await using var rest = await RestGateway.StartAsync($"--Twilio:WhatsAppFrom={WhatsAppSender}", "--Twilio:From=+15005550009");
        var sid = rest.Gateway.NextSid();
        Assert.Null(await ReplyTo(rest.Gateway, WhatsAppForm(Alice, "bal", sid)));

        var reply = await rest.ReplyAsync(sid, "delivered");
        var sent = Assert.Single(rest.Twilio.Sent);
        Assert.Equal("whatsapp:" + Alice, sent.To);
        Assert.Equal(WhatsAppSender, sent.From);
        Assert.StartsWith("Your balance is $12.50", sent.Body); // on the real clock: the validity date moves
        Assert.Equal(sent.Sid, reply.TwilioSid);
    }

    [Fact]
    public async Task WithoutAWhatsAppSenderSetTheReplyComesFromTheWhatsAppNumberTheSubscriberWroteTo()
    {
        // Neither the SMS sender nor the Messaging Service: they may have no WhatsApp sender.
        await using var rest = await RestGateway.StartAsync("--Twilio:From=+15005550009", "--Twilio:MessagingServiceSid=MG00000000000000000000000000000001");
        var sid = rest.Gateway.NextSid();
        Assert.Null(await ReplyTo(rest.Gateway, WhatsAppForm(Alice, "bal", sid)));

        await rest.ReplyAsync(sid, "delivered");
        var sent = Assert.Single(rest.Twilio.Sent);
        Assert.Equal("whatsapp:" + Alice, sent.To);
        Assert.Equal("whatsapp:" + TestGateway.ShortCode, sent.From);
        Assert.Null(sent.MessagingServiceSid);
    }

    [Fact]
    public async Task AWhatsAppReplyWaitingToBeSentDoesNotHoldUpAnSmsReplyToTheSameNumber()
    {
        await using var rest = await RestGateway.StartAsync($"--Twilio:WhatsAppFrom={WhatsAppSender}");
        rest.Twilio.RetryAfterSeconds = 30; // past Outbox:MaxRetryAfterSeconds: the WhatsApp reply goes back in the outbox
        rest.Twilio.Faults = (to, _) => to.StartsWith("whatsapp:", StringComparison.Ordinal) ? Fault.TooManyRequests : Fault.None;

        var whatsApp = rest.Gateway.NextSid();
        Assert.Null(await ReplyTo(rest.Gateway, WhatsAppForm(Alice, "bal", whatsApp)));
        while (rest.Twilio.Attempts == 0) await Task.Delay(10);
        var sms = await rest.TextAsync(Alice, "BAL");

        var smsReply = await rest.ReplyAsync(sms, "delivered");
        Assert.Equal(Alice, Assert.Single(rest.Twilio.Sent).To);
        Assert.StartsWith("Your balance is $12.50", smsReply.Body);
        using var db = rest.Gateway.OpenDatabase();
        Assert.Equal("pending", db.ExecuteScalar<string>("SELECT status FROM outbound_messages WHERE inbound_sid = @whatsApp", new { whatsApp }));
        Assert.Equal("whatsapp", db.ExecuteScalar<string>("SELECT channel FROM outbox"));
    }

    [Fact]
    public async Task WhatsAppTrafficExportedWithItsChannelAndMediaReplaysTheSame()
    {
        var export = Path.Combine(_dir, "whatsapp.jsonl");
        await using (var gw = await TestGateway.StartAsync())
        {
            await WhatsAppAsync(gw, Alice, "bal");
            await WhatsAppAsync(gw, Alice, "", media: 1);
            await gw.TextAsync(Alice, "LANG FR");
            await WhatsAppAsync(gw, Alice, "", media: 1);
            await WhatsAppAsync(gw, Stranger, "bal");
            var (exported, _, stderr) = await Smshall("log", "export", "--out", export, $"--Database:Path={gw.DatabasePath}");
            Assert.True(exported == 0, stderr);
        }

        var lines = File.ReadLines(export).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["whatsapp", "whatsapp", "whatsapp", "whatsapp", "sms", "sms", "whatsapp", "whatsapp", "whatsapp", "whatsapp"],
            lines.Select(l => l.GetProperty("channel").GetString()));
        Assert.Equal(Alice, lines[0].GetProperty("from").GetString());
        Assert.Equal(1, lines[2].GetProperty("media").GetInt32());
        Assert.False(lines[0].TryGetProperty("media", out _));

        // Without the channel and the media the pictures would be "not understood" now.
        var (exit, stdout, _) = await Smshall("replay", export);
        Assert.Equal(0, exit);
        Assert.Contains("5 same, 0 changed, 0 newly answered, 0 no longer answered, 0 error", stdout);
    }

    [Fact]
    public void AnExportFromBeforeChannelsIsReadAsSms()
    {
        (int, string)[] lines =
        [
            (1, """{"direction":"inbound","sid":"SM1","from":"+15550000001","to":"+15005550006","body":"bal","at":"2026-11-20T09:00:00Z","status":"handled"}"""),
            (2, """{"direction":"inbound","sid":"SM2","from":"+15550000001","to":"+15005550006","channel":"whatsapp","body":"","media":2,"at":"2026-11-20T09:01:00Z","status":"handled"}"""),
        ];
        var turns = LogReader.Read(lines, "log.jsonl", new BadLines(skip: false)).ToList();
        Assert.Equal((Channel.Sms, false), (turns[0].Message.Channel, turns[0].Message.MediaOnly));
        Assert.Equal((Channel.WhatsApp, true), (turns[1].Message.Channel, turns[1].Message.MediaOnly));

        (int, string)[] bad = [(7, """{"direction":"inbound","sid":"SM3","from":"+15550000001","channel":"telegram","body":"bal","at":"2026-11-20T09:00:00Z"}""")];
        var e = Assert.Throws<BadInputException>(() => LogReader.Read(bad, "log.jsonl", new BadLines(skip: false)).ToList());
        Assert.Contains("\"channel\" must be \"sms\" or \"whatsapp\"", e.Message);
    }

    [Fact]
    public void ATwilioCsvExportKeepsANumbersWhatsAppAndSmsConversationsApart()
    {
        const string csv = """
            From,To,Body,Status,SentDate,Sid,Direction,NumMedia
            +15005550006,+15550000001,SMS reply,delivered,2026-11-20T09:00:03Z,SMout2,outbound-reply,0
            whatsapp:+15005550006,whatsapp:+15550000001,WhatsApp reply,delivered,2026-11-20T09:00:02Z,SMout1,outbound-reply,0
            +15550000001,+15005550006,bal,received,2026-11-20T09:00:01Z,SMin2,inbound,0
            whatsapp:+15550000001,whatsapp:+15005550006,,received,2026-11-20T09:00:00Z,SMin1,inbound,1
            """;
        var turns = TwilioCsvReader.Read(new StringReader(csv), "twilio.csv", _dir, new BadLines(skip: false)).ToList();

        Assert.Equal(["SMin1", "SMin2"], turns.Select(t => t.Message.Sid));
        Assert.Equal((Alice, TestGateway.ShortCode, Channel.WhatsApp, true), (turns[0].Message.From, turns[0].Message.To, turns[0].Message.Channel, turns[0].Message.MediaOnly));
        Assert.Equal("WhatsApp reply", turns[0].Recorded.Text);
        Assert.Equal((Alice, Channel.Sms), (turns[1].Message.From, turns[1].Message.Channel));
        Assert.Equal("SMS reply", turns[1].Recorded.Text);
        Assert.All(turns, t => Assert.Equal(Alice, t.Conversation));
    }

    [Fact]
    public async Task TheTextCommandTakesAWhatsAppAddress()
    {
        var db = Path.Combine(_dir, "cli.db");
        Assert.Equal(0, (await Smshall("db", "seed", $"--Database:Path={db}")).Exit);
        var (exit, stdout, _) = await Smshall("text", "whatsapp:" + Alice, "bal", $"--Database:Path={db}");
        Assert.Equal(0, exit);
        Assert.StartsWith("Your balance is $12.50", stdout);
        using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Pooling=False");
        Assert.Equal((Alice, "whatsapp"), c.QuerySingle<(string, string)>("SELECT from_number, channel FROM inbound_messages"));
    }

    [Theory]
    [InlineData("+14155238886")]
    [InlineData("whatsapp:14155238886")]
    [InlineData("whatsapp:+1 415 523 8886")]
    [InlineData("sms:+14155238886")]
    public void AWhatsAppSenderNotWrittenWhatsappPlusNumberIsASettingsError(string sender)
    {
        var options = new TwilioOptions { ReplyMode = ReplyMode.Rest, AccountSid = "AC0", AuthToken = "token", WhatsAppFrom = sender };
        Assert.StartsWith("Twilio:WhatsAppFrom must be", options.RestProblem());
        options.WhatsAppFrom = WhatsAppSender;
        Assert.Null(options.RestProblem());
    }

    private static Task<(int Exit, string Out, string Err)> Smshall(params string[] args) =>
        CliRun.RunAsync([$"--Catalogue:Path={Repo.CommandsMd}", "--Hall:RateLimitMessages=10000"], "", args);

    public void Dispose()
    {
        foreach (var db in Directory.EnumerateFiles(_dir, "*.db")) TestGateway.DeleteDatabase(db);
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task InRestModeNothingIsSentOnWhatsAppMoreThanADayAfterTheSubscribersLastMessageThere()
    {
        var clock = new JumpingClock();
        await using var rest = await RestGateway.StartAsync(s => s.AddSingleton<TimeProvider>(clock),
            $"--Twilio:WhatsAppFrom={WhatsAppSender}", "--Outbox:ExpireAfterSeconds=86400");
        var bal = rest.Gateway.NextSid();
        using (var response = await rest.Gateway.PostFormAsync(WhatsAppForm(Alice, "bal", bal))) Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await rest.ReplyAsync(bal, "delivered");

        // 23 hours on, a notice for Alice on WhatsApp waits because Twilio is down...
        rest.Twilio.Faults = (_, _) => Fault.ServerError;
        clock.Jump(TimeSpan.FromHours(23));
        var now = clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        using (var db = rest.Gateway.OpenDatabase())
        {
            // (Its message-log row, on SMS so it is not a message from Alice on WhatsApp, stands in for what the notice issue will record.)
            db.Execute("INSERT INTO inbound_messages (sid, from_number, to_number, body, received_at, status) VALUES ('SMNOTICE', @Alice, @To, '', @now, 'handled')",
                new { Alice, To = TestGateway.ShortCode, now });
            var id = db.ExecuteScalar<long>(
                """
                INSERT INTO outbound_messages (inbound_sid, to_number, from_number, body, status, created_at, segments, channel)
                VALUES ('SMNOTICE', @Alice, @To, 'Your bill is ready.', 'pending', @now, 1, 'whatsapp') RETURNING id
                """, new { Alice, To = TestGateway.ShortCode, now });
            db.Execute("INSERT INTO outbox (id, to_number, state, next_attempt_at, channel) VALUES (@id, @Alice, 'pending', @now, 'whatsapp')", new { id, Alice, now });
        }
        await Eventually(() => Task.FromResult(rest.Twilio.Attempts > 1));

        // ...and a day after Alice last wrote, WhatsApp would refuse it: it expires, an hour into its ten.
        // (Twilio stays down until then: an attempt begun before the jump would otherwise get through.)
        clock.Jump(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        Assert.Equal("expired", (await rest.ReplyAsync("SMNOTICE", "expired")).Status);
        rest.Twilio.Faults = null;
        Assert.Single(rest.Twilio.Sent);
    }

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        for (var waited = TimeSpan.Zero; waited < TimeSpan.FromSeconds(30); waited += TimeSpan.FromMilliseconds(50))
        {
            if (await condition()) return;
            await Task.Delay(50);
        }
        Assert.Fail("the condition did not hold within 30 s");
    }
}
