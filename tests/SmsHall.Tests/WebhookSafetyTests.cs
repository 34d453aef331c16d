using System.Net;
using System.Text;
using Dapper;

namespace SmsHall.Tests;

/// <summary>Signatures, redelivery and malformed requests: the webhook never does work twice or answers 500.</summary>
public class WebhookSafetyTests : IAsyncLifetime
{
    private const string Alice = "+15550000001";
    private TestGateway _gw = null!;

    public async Task InitializeAsync() => _gw = await TestGateway.StartAsync();
    public async Task DisposeAsync() => await _gw.DisposeAsync();

    [Fact]
    public async Task AWrongSignatureIsRefusedAndNothingIsRecorded()
    {
        var form = TestGateway.Form(Alice, "PLAN GOLD", _gw.NextSid());
        using var response = await _gw.PostFormAsync(form, "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, InboundCount());
    }

    [Fact]
    public async Task AMissingSignatureIsRefused()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/twilio/sms")
        {
            Content = new FormUrlEncodedContent(TestGateway.Form(Alice, "BAL", _gw.NextSid())),
        };
        using var response = await _gw.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, InboundCount());
    }

    [Fact]
    public async Task ASignatureOverATamperedBodyIsRefused()
    {
        var signed = TestGateway.Form(Alice, "BAL", "SM1");
        var sent = TestGateway.Form(Alice, "PLAN GOLD", "SM1");
        using var response = await _gw.PostFormAsync(sent, TwilioSignature.Compute(_gw.SmsUrl, signed, TestGateway.AuthToken));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task ASignatureForAnotherUrlIsRefused()
    {
        var form = TestGateway.Form(Alice, "BAL", "SM1");
        using var response = await _gw.PostFormAsync(form, TwilioSignature.Compute(_gw.SmsUrl + "?x=1", form, TestGateway.AuthToken));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task TheSameMessageSidDoesTheWorkOnceAndAnswersTheSame()
    {
        await _gw.TextAsync(Alice, "PLAN GOLD");
        var first = await _gw.TextAsync(Alice, "YES", "SM000000000000000000000000000000YES");
        var again = await _gw.TextAsync(Alice, "YES", "SM000000000000000000000000000000YES");
        Assert.Equal("Done: your plan is now GOLD, from 2026-11-22.", first);
        Assert.Equal(first, again);

        using var db = _gw.OpenDatabase();
        Assert.Equal(1, db.ExecuteScalar<long>("SELECT COUNT(*) FROM plan_changes"));
        Assert.Equal(1, db.ExecuteScalar<long>("SELECT COUNT(*) FROM outbound_messages WHERE inbound_sid = 'SM000000000000000000000000000000YES'"));
    }

    [Fact]
    public async Task TheSameMessageSidDeliveredConcurrentlyDoesTheWorkOnce()
    {
        await _gw.TextAsync(Alice, "PLAN GOLD");
        var replies = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _gw.TextAsync(Alice, "YES", "SM0000000000000000000000000000RACE")));
        Assert.All(replies, r => Assert.Equal("Done: your plan is now GOLD, from 2026-11-22.", r));
        using var db = _gw.OpenDatabase();
        Assert.Equal(1, db.ExecuteScalar<long>("SELECT COUNT(*) FROM plan_changes"));
        Assert.Equal(1, db.ExecuteScalar<long>("SELECT COUNT(*) FROM outbound_messages WHERE inbound_sid = 'SM0000000000000000000000000000RACE'"));
    }

    [Fact]
    public async Task ARedeliveredMessageIsLoggedOnce()
    {
        Assert.StartsWith("Your balance is", await _gw.TextAsync(Alice, "BAL", "SM00000000000000000000000000000TWICE"));
        Assert.StartsWith("Your balance is", await _gw.TextAsync(Alice, "BAL", "SM00000000000000000000000000000TWICE"));
        using var db = _gw.OpenDatabase();
        Assert.Equal(1, db.ExecuteScalar<long>("SELECT COUNT(*) FROM inbound_messages WHERE sid = 'SM00000000000000000000000000000TWICE'"));
        Assert.Equal(1, db.ExecuteScalar<long>("SELECT COUNT(*) FROM outbound_messages WHERE inbound_sid = 'SM00000000000000000000000000000TWICE'"));
    }

    [Fact]
    public async Task YesAndNoRacingForOneOfferEndConsistently()
    {
        for (var round = 0; round < 10; round++)
        {
            var before = _gw.PlanOf(Alice);
            var plan = before == "GOLD" ? "SILVER" : "GOLD";
            Assert.StartsWith("Change plan", await _gw.TextAsync(Alice, "PLAN " + plan));
            var replies = await Task.WhenAll(_gw.TextAsync(Alice, "YES"), _gw.TextAsync(Alice, "NO"));
            var (yes, no) = (replies[0], replies[1]);
            if (yes!.StartsWith("Done", StringComparison.Ordinal))
            {
                Assert.Equal("There is nothing to cancel.", no);
                Assert.Equal(plan, _gw.PlanOf(Alice));
            }
            else
            {
                Assert.Equal($"Cancelled. Your plan stays {before}.", no);
                Assert.Equal("There is nothing to confirm. Text HELP for the commands.", yes);
                Assert.Equal(before, _gw.PlanOf(Alice));
            }
        }
    }

    [Fact]
    public async Task TwoYesesForOneOfferChangeThePlanOnce()
    {
        await _gw.TextAsync(Alice, "PLAN GOLD");
        var replies = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _gw.TextAsync(Alice, "YES")));
        Assert.Single(replies, r => r == "Done: your plan is now GOLD, from 2026-11-22.");
        Assert.Equal(3, replies.Count(r => r == "There is nothing to confirm. Text HELP for the commands."));
        using var db = _gw.OpenDatabase();
        Assert.Equal(1, db.ExecuteScalar<long>("SELECT COUNT(*) FROM plan_changes"));
    }

    [Theory]
    [InlineData("MessageSid")]
    [InlineData("From")]
    public async Task AFormWithoutARequiredFieldIs400(string field)
    {
        var form = TestGateway.Form(Alice, "BAL", "SM1").Where(f => f.Key != field && !(field == "MessageSid" && f.Key == "SmsSid")).ToList();
        using var response = await _gw.PostFormAsync(form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await response.Content.ReadAsStringAsync());
        Assert.Equal(0, InboundCount());
    }

    [Fact]
    public async Task ABodyLongerThanTwiliosLimitIs400()
    {
        using var response = await _gw.PostSmsAsync(Alice, new string('a', 1601));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task ABodyAtTwiliosLimitIsAnswered()
    {
        Assert.NotNull(await _gw.TextAsync(Alice, new string('a', 1600)));
    }

    [Fact]
    public async Task ARequestThatIsNotAFormIs415()
    {
        using var response = await _gw.Http.PostAsync("/twilio/sms", new StringContent("""{"Body":"BAL"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task ABodyOver64KbIs413EvenWhenSigned()
    {
        var form = TestGateway.Form(Alice, "BAL", _gw.NextSid()).Append(new("Padding", new string('a', 70 * 1024))).ToList();
        using var response = await _gw.PostFormAsync(form);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, InboundCount());
    }

    [Fact]
    public async Task GetIsNotAllowed()
    {
        using var response = await _gw.Http.GetAsync("/twilio/sms");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Theory]
    [InlineData("%FF%FE%FD", "%FF%FE%FD", "%FF%FE%FD")]          // invalid UTF-8: ASP.NET keeps the escapes as text
    [InlineData("%01bal%07", "\u0001bal\u0007", "bal")]         // control characters are stripped before recording
    [InlineData("%E2%80%AEbal", "\u202Ebal", "bal")]             // so is a right-to-left override
    [InlineData("'%3B+DROP+TABLE+subscribers%3B--", "'; DROP TABLE subscribers;--", "'; DROP TABLE subscribers;--")]
    [InlineData("99999999999999999999999999", "99999999999999999999999999", "99999999999999999999999999")]
    [InlineData("%zz%", "%zz%", "%zz%")]                          // broken percent-encoding is kept as text
    public async Task HostileBodiesGetAReply(string encodedBody, string decodedBody, string recorded)
    {
        var sid = _gw.NextSid();
        using var response = await PostRawAsync(sid, encodedBody, decodedBody);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(TestGateway.MessageIn(await response.Content.ReadAsStringAsync()));
        using var db = _gw.OpenDatabase();
        Assert.Equal(5, db.ExecuteScalar<long>("SELECT COUNT(*) FROM subscribers"));
        Assert.Equal(recorded, db.ExecuteScalar<string>("SELECT body FROM inbound_messages WHERE sid = @sid", new { sid }));
        Assert.Equal("handled", db.ExecuteScalar<string>("SELECT status FROM inbound_messages WHERE sid = @sid", new { sid }));
    }

    [Fact]
    public async Task ANullByteIsAMalformedFormAnd400()
    {
        using var response = await PostRawAsync(_gw.NextSid(), "%00bal", "\0bal");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, InboundCount());
    }

    /// <summary>Posts a form whose Body is sent exactly as encoded, signed over its decoded value as Twilio would.</summary>
    private Task<HttpResponseMessage> PostRawAsync(string sid, string encodedBody, string decodedBody)
    {
        var fields = TestGateway.Form(Alice, "", sid).Where(f => f.Key != "Body").ToList();
        var signature = TwilioSignature.Compute(_gw.SmsUrl, fields.Append(new("Body", decodedBody)), TestGateway.AuthToken);
        var raw = string.Join("&", fields.Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}")) + "&Body=" + encodedBody;
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(raw));
        content.Headers.ContentType = new("application/x-www-form-urlencoded"); // no charset: the bytes are UTF-8, as Twilio sends them
        var request = new HttpRequestMessage(HttpMethod.Post, "/twilio/sms") { Content = content };
        request.Headers.Add("X-Twilio-Signature", signature);
        return _gw.Http.SendAsync(request);
    }


    private long InboundCount()
    {
        using var db = _gw.OpenDatabase();
        return db.ExecuteScalar<long>("SELECT COUNT(*) FROM inbound_messages");
    }
}

public class SignatureSettingsTests
{
    [Fact]
    public async Task ASignedRequestForAnotherTwilioAccountIsRefused()
    {
        await using var gw = await TestGateway.StartAsync("--Twilio:AccountSid=AC11111111111111111111111111111111");
        var form = TestGateway.Form("+15550000001", "BAL", gw.NextSid()); // AccountSid AC000…
        using var other = await gw.PostFormAsync(form);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);

        var ours = form.Select(f => f.Key == "AccountSid" ? new KeyValuePair<string, string>(f.Key, "AC11111111111111111111111111111111") : f).ToList();
        using var response = await gw.PostFormAsync(ours);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task BehindAProxyTheConfiguredPublicUrlIsWhatIsSigned()
    {
        await using var gw = await TestGateway.StartAsync("--Twilio:PublicBaseUrl=https://sms.example.com/");
        var form = TestGateway.Form("+15550000001", "BAL", gw.NextSid());

        using var local = await gw.PostFormAsync(form, TwilioSignature.Compute(gw.SmsUrl, form, TestGateway.AuthToken));
        Assert.Equal(HttpStatusCode.Forbidden, local.StatusCode);

        using var proxied = await gw.PostFormAsync(form, TwilioSignature.Compute("https://sms.example.com/twilio/sms", form, TestGateway.AuthToken));
        Assert.Equal(HttpStatusCode.OK, proxied.StatusCode);
    }

    [Fact]
    public async Task SignaturesAreCheckedOnlyUntilExplicitlySwitchedOff()
    {
        await using var gw = await TestGateway.StartAsync("--Twilio:ValidateSignature=false");
        using var response = await gw.PostFormAsync(TestGateway.Form("+15550000001", "BAL", gw.NextSid()), "not-a-signature");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
