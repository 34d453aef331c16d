using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SmsHall.Core.Ports;

namespace SmsHall.Tests.Console;

/// <summary>Campaigns in the console: drawn up, checked, started, and their results as Twilio reports deliveries.</summary>
public sealed class CampaignPagesTests
{
    private const string Alice = "+15550000001";
    private const string Claire = "+15550000004";

    /// <summary>
    /// The console on the test clock with offers sent through a Twilio stand-in (TwiML mode, an account
    /// and a sender set), the campaign sender trying every tenth of a second.
    /// </summary>
    private static async Task<(ConsoleSite Site, TwilioStandIn Twilio)> SendingSiteAsync()
    {
        var twilio = await TwilioStandIn.StartAsync(RestGateway.AccountSid, TestGateway.AuthToken);
        var url = $"http://127.0.0.1:{RestGateway.FreePort()}";
        var site = await ConsoleSite.StartAsync(
            $"--urls={url}",
            $"--Twilio:AccountSid={RestGateway.AccountSid}",
            $"--Twilio:ApiBaseUrl={twilio.BaseUrl}",
            "--Twilio:From=+15005550006",
            $"--Twilio:StatusCallbackUrl={url}/twilio/status",
            "--Twilio:SegmentsPerSecond=10000",
            "--Outbox:PollMilliseconds=50",
            "--Campaigns:RoundSeconds=0.1");
        return (site, twilio);
    }

    private static async Task<string?> TextAsync(IPage page, string selector) => (await page.TextContentAsync(selector))?.Trim();

    /// <summary>Reloads the page until a result reads as expected (the sender and Twilio's callbacks work on their own time), or fails.</summary>
    private static async Task ResultAsync(IPage page, string result, string expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await TextAsync(page, $"#results [data-result='{result}']") != expected)
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"{result} is {await TextAsync(page, $"#results [data-result='{result}']")}, not {expected}");
            await Task.Delay(100);
            await page.ReloadAsync();
        }
    }

    [Theory]
    [MemberData(nameof(ConsoleSite.Screens), MemberType = typeof(ConsoleSite))]
    public async Task AnEditorDrawsUpACampaignSeesWhomItReachesStartsItAndWatchesItsResults(int width, int height)
    {
        var (site, twilio) = await SendingSiteAsync();
        await using var _ = site;
        await using var __ = twilio;
        var page = await site.SignedInPageAsync("editor", width, height);
        await page.GotoAsync("/console");
        await page.ClickAsync("header nav a[href='/console/campaigns']");
        await ConsoleSite.ScreenshotAsync(page, "campaigns");

        await page.FillAsync("#name", "Top-up bonus");
        await page.SelectOptionAsync("#segment", "frequent-top-ups");
        await page.FillAsync("#rate", "60");
        await page.FillAsync("#message-en", "Top up $20 this week and get $2 free.");
        await page.FillAsync("#message-fr", "Rechargez 20 $ cette semaine, 2 $ offerts.");
        await page.ClickAsync("#create-campaign");

        // Alice and Claire top up often; the sample shows their numbers masked, even to an editor.
        Assert.Equal("Top-up bonus", await TextAsync(page, "#campaign-name"));
        Assert.Equal("draft", await TextAsync(page, "#state"));
        Assert.Equal("2", await TextAsync(page, "#reach"));
        var sample = (await TextAsync(page, "#sample"))!;
        Assert.Equal(2, sample.Split(", ").Length);
        Assert.DoesNotContain(Alice, sample);
        Assert.DoesNotContain(Claire, sample);
        Assert.Equal("Top up $20 this week and get $2 free. Reply STOP OFFERS to get no more offers.",
            await TextAsync(page, "#previews tbody tr:first-child td.reply"));
        Assert.Equal("0", await TextAsync(page, "#results [data-result='queued']"));

        await page.ClickAsync("#start-campaign");
        Assert.StartsWith("Started", await TextAsync(page, "#message"));
        Assert.Equal("running", await TextAsync(page, "#state"));
        Assert.Equal("2", await TextAsync(page, "#reach"));

        // A minute on, both offers are queued, sent, and delivered (the stand-in's status callbacks).
        site.Gateway.Clock.Advance(TimeSpan.FromMinutes(1));
        await ResultAsync(page, "queued", "2");
        await ResultAsync(page, "delivered", "2");
        Assert.Equal("2", await TextAsync(page, "#results [data-result='sent']"));
        Assert.Equal(["+15550000001", "+15550000004"], twilio.Sent.Select(s => s.To).Order());
        Assert.All(twilio.Sent, s => Assert.EndsWith("Reply STOP OFFERS to get no more offers.", s.Body));

        // Claire buys a data pack: two replies and a conversion.
        site.Gateway.Clock.Advance(TimeSpan.FromHours(1));
        await site.Gateway.TextAsync(Claire, "BUY 1GB");
        await site.Gateway.TextAsync(Claire, "YES");
        await page.ReloadAsync();
        Assert.Equal("2", await TextAsync(page, "#results [data-result='replies']"));
        Assert.Equal("1", await TextAsync(page, "#results [data-result='conversions']"));
        await ConsoleSite.ScreenshotAsync(page, "campaign");

        await page.ClickAsync("#pause-campaign");
        Assert.Equal("paused", await TextAsync(page, "#state"));
        var audit = await site.Gateway.Services.GetRequiredService<IAuditLog>().RecentAsync(10);
        Assert.Equal(["campaign paused", "campaign started", "campaign created"], audit.Where(a => a.Action.StartsWith("campaign")).Select(a => a.Action));
    }

    [Fact]
    public async Task BadCampaignsAreRefusedWithWhatIsWrongAndNothingIsStored()
    {
        await using var site = await ConsoleSite.StartAsync();
        var url = site.BaseAddress.ToString().TrimEnd('/') + "/console/campaigns";
        using var editor = new ConsoleClient();
        await editor.SignInAsync(site.BaseAddress.ToString().TrimEnd('/'), "editor");
        var token = await editor.TokenAsync(url);
        (string, string)[] good = [("name", "Autumn"), ("segment", "heavy-data"), ("start", "2026-11-22T12:00"), ("rate", "30"), ("message-en", "1 GB for $5: text BUY 1GB.")];

        foreach (var (field, value, problem) in new[]
        {
            ("name", " ", "Give the campaign a name."),
            ("message-en", "", "Write the offer in en"),
            ("rate", "0", "The send rate must be 1 to 600"),
            ("rate", "fast", "The send rate must be 1 to 600"),
            ("segment", "everyone", "Choose a segment."),
            ("start", "tomorrow", "The start time must read like"),
            ("message-en", new string('x', 600), "SMS segments with its refusal line; the budget is 3"),
        })
        {
            using var response = await editor.PostAsync(url, token, [.. good.Where(f => f.Item1 != field), (field, value)]);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(WebUtility.HtmlEncode(problem), await response.Content.ReadAsStringAsync());
        }
        // Without the antiforgery token, and from a viewer, nothing is stored either.
        using (var forged = await editor.PostAsync(url, null, good)) Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        using var viewer = new ConsoleClient();
        await viewer.SignInAsync(site.BaseAddress.ToString().TrimEnd('/'), "viewer");
        using (var denied = await viewer.PostAsync(url, await viewer.TokenAsync(url), good))
            Assert.StartsWith("/console/denied", denied.Headers.Location!.PathAndQuery);
        var campaigns = site.Gateway.Services.GetRequiredService<ICampaigns>();
        Assert.Empty(await campaigns.ListAsync());

        using var created = await editor.PostAsync(url, token, good);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var campaign = Assert.Single(await campaigns.ListAsync());
        Assert.Equal($"/console/campaigns/{campaign.Id}", created.Headers.Location!.OriginalString);
        Assert.Equal((Segment.HeavyData, 30, new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero)),
            (campaign.Draft.Segment, campaign.Draft.RatePerMinute, campaign.Draft.StartAt));
        Assert.Equal(HttpStatusCode.NotFound, (await editor.GetAsync($"{url}/{campaign.Id + 1}")).StatusCode);
    }

    [Fact]
    public async Task ACampaignCannotStartWhileTheGatewayCannotSendOffers()
    {
        await using var site = await ConsoleSite.StartAsync(); // TwiML mode, no Twilio account
        var campaigns = site.Gateway.Services.GetRequiredService<ICampaigns>();
        var id = await campaigns.CreateAsync(new CampaignDraft("Offer", Segment.FrequentTopUps, new Dictionary<string, string> { ["en"] = "Hello" },
            site.Gateway.Clock.Now, 10, site.Gateway.Clock.Now, "editor"));
        var url = $"{site.BaseAddress.ToString().TrimEnd('/')}/console/campaigns/{id}";
        using var editor = new ConsoleClient();
        await editor.SignInAsync(site.BaseAddress.ToString().TrimEnd('/'), "editor");

        using var response = await editor.PostAsync(url + "?handler=Start", await editor.TokenAsync(url));
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("sending notices, offers and answers needs Twilio:AccountSid", await response.Content.ReadAsStringAsync());
        Assert.Equal(CampaignState.Draft, (await campaigns.FindAsync(id))!.State);
    }
}
