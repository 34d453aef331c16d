using System.Net;

namespace SmsHall.Tests;

/// <summary>
/// What the webhook answers: TwiML written by the Twilio SDK, read back by an XML parser as the very
/// text of the reply. The catalogue's English balance reply is made as awkward as XML text gets.
/// </summary>
public class TwiMLTests : IAsyncLifetime
{
    private const string Alice = "+15550000001"; // prepaid, SILVER, $12.50
    private const string Awkward = "Tom & Jerry <3 \"quotes\" 'apostrophes' ]]> <![CDATA[ x ]]> <InvalidBodyMessage></InvalidBodyMessage>";

    private readonly string _catalogue = Path.Combine(Path.GetTempPath(), "smshall-tests", Guid.NewGuid().ToString("N") + ".md");
    private TestGateway _gw = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_catalogue)!);
        File.WriteAllText(_catalogue, File.ReadAllText(Repo.CommandsMd)
            .Replace("- en reply: Your balance is {balance},", $"- en reply: {Awkward} \u0007{{balance}},"));
        _gw = await TestGateway.StartAsync($"--Catalogue:Path={_catalogue}");
    }

    public async Task DisposeAsync()
    {
        await _gw.DisposeAsync();
        File.Delete(_catalogue);
    }

    [Fact]
    public async Task AReplyIsAResponseWithOneMessage()
    {
        using var response = await _gw.PostSmsAsync(Alice, "PLAN");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/xml; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var twiml = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("""<?xml version="1.0" encoding="utf-8"?><Response><Message>Your plan: SILVER""", twiml);
        Assert.EndsWith("</Message></Response>", twiml);
    }

    // Twilio's own vector (twilio-csharp XmlEscapeTest) among the rest: markup in a reply is text, not elements.
    [Fact]
    public async Task MarkupAmpersandsAndQuotesInAReplyAreText()
    {
        using var response = await _gw.PostSmsAsync(Alice, "BAL");
        var twiml = await response.Content.ReadAsStringAsync();
        Assert.Contains("Tom &amp; Jerry &lt;3", twiml);
        Assert.Contains("&lt;InvalidBodyMessage&gt;&lt;/InvalidBodyMessage&gt;", twiml);
        Assert.Equal($"{Awkward} $12.50, valid until 2026-12-22. Plan SILVER.", TestGateway.MessageIn(twiml));
    }

    [Fact]
    public async Task CharactersXmlCannotCarryAreDropped()
    {
        Assert.EndsWith("</InvalidBodyMessage> $12.50, valid until 2026-12-22. Plan SILVER.", await _gw.TextAsync(Alice, "BAL"));
    }

    [Theory]
    [InlineData("余额", "您的余额为$12.50，有效期至2026-12-22。套餐：SILVER。")]
    [InlineData("موجودی", "موجودی شما $12.50 است و تا 2026-12-22 اعتبار دارد. طرح: SILVER.")]
    public async Task ChineseAndPersianRepliesComeBackAsWritten(string text, string reply)
    {
        Assert.Equal(reply, await _gw.TextAsync(Alice, text));
    }

    [Fact]
    public async Task NothingToSayIsAnEmptyResponse()
    {
        const string bob = "+15550000002";
        await _gw.TextAsync(bob, "STOP");
        using var response = await _gw.PostSmsAsync(bob, "BAL"); // opted out: no reply
        Assert.Equal("""<?xml version="1.0" encoding="utf-8"?><Response></Response>""", await response.Content.ReadAsStringAsync());
    }
}
