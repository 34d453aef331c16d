using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SmsHall.Core.Ports;

namespace SmsHall.Tests.Console;

/// <summary>The overview, messages with their traces, "not understood" and delivery, as operators use them in a browser.</summary>
public sealed class ConsolePagesTests
{
    private const string Alice = "+15550000001";
    private const string Chen = "+15550000003";

    /// <summary>The console on a gateway in Rest mode against a Twilio stand-in, on the real clock (the sender's timeouts must pass).</summary>
    private static async Task<(ConsoleSite Site, TwilioStandIn Twilio)> RestSiteAsync(params string[] settings)
    {
        var twilio = await TwilioStandIn.StartAsync(RestGateway.AccountSid, TestGateway.AuthToken);
        var url = $"http://127.0.0.1:{RestGateway.FreePort()}";
        var site = await ConsoleSite.StartAsync(s => s.AddSingleton(TimeProvider.System), [$"--urls={url}", .. RestGateway.Settings(twilio, url), .. settings]);
        return (site, twilio);
    }

    private static async Task<string?> TextAsync(IPage page, string selector) => (await page.TextContentAsync(selector))?.Trim();

    [Theory]
    [MemberData(nameof(ConsoleSite.Screens), MemberType = typeof(ConsoleSite))]
    public async Task TheOverviewCountsTheMessagesOfTheHourAndDayAndShowsWhatEachNodeServes(int width, int height)
    {
        await using var site = await ConsoleSite.StartAsync();
        foreach (var text in new[] { "bal", "blance", "bll", "xyzzy plugh" }) await site.Gateway.TextAsync(Alice, text);

        var page = await site.SignedInPageAsync("viewer", width, height);
        await page.GotoAsync("/console");
        await ConsoleSite.ScreenshotAsync(page, "overview");

        foreach (var window in new[] { "hour", "day" })
        {
            Assert.Equal("4", await TextAsync(page, $"#{window}-messages"));
            Assert.Equal("1", await TextAsync(page, $"#{window}-typo")); // blance
            Assert.Equal("2", await TextAsync(page, $"#{window}-outcomes li[data-part='understood'] strong"));
            Assert.Equal("1", await TextAsync(page, $"#{window}-outcomes li[data-part='clarified'] strong")); // bll: did you mean BILL?
            Assert.Equal("1", await TextAsync(page, $"#{window}-outcomes li[data-part='not understood'] strong"));
            Assert.Equal("2", await TextAsync(page, $"#{window}-commands tr[data-name='unknown'] td:nth-child(2)"));
            Assert.Equal("4", await TextAsync(page, $"#{window}-languages tr[data-name='en'] td:nth-child(2)"));
            Assert.Equal("4", await TextAsync(page, $"#{window}-replies tr[data-name='replied'] td:nth-child(2)"));
            // The same breakdowns as charts.
            Assert.Equal("4", await TextAsync(page, $"#{window}-language-chart li[data-part='en'] strong"));
            Assert.Equal("2", await TextAsync(page, $"#{window}-command-chart li[data-part='unknown'] strong"));
            Assert.Equal("4", await TextAsync(page, $"#{window}-reply-chart li[data-part='replied'] strong"));
        }
        // The hour's 12 five-minute bars, this one last with every message in it.
        var bars = page.Locator("#hour-chart rect");
        Assert.Equal(12, await bars.CountAsync());
        Assert.Equal("4", await bars.Last.GetAttributeAsync("data-value"));
        Assert.Equal(24, await page.Locator("#day-chart rect").CountAsync());

        var version = await TextAsync(page, "#catalogue-version");
        Assert.False(string.IsNullOrEmpty(version));
        Assert.Equal(version, await TextAsync(page, "#newest-version"));
        Assert.Equal(version, await page.Locator("#nodes td[data-version]").GetAttributeAsync("data-version"));
        Assert.Equal(0, await page.Locator("#nodes tr.behind").CountAsync());

        // The node reports its handling times every 10 s: its four messages, timed request to reply.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(await TextAsync(page, "#nodes .hour-times"))!.EndsWith("(4)", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
            await page.ReloadAsync();
        }
        Assert.Matches(@"^[\d.]+ / [\d.]+ ms \(4\)$", await TextAsync(page, "#nodes .hour-times"));
        Assert.EndsWith("(4)", await TextAsync(page, "#nodes .day-times"));
    }

    [Theory]
    [MemberData(nameof(ConsoleSite.Screens), MemberType = typeof(ConsoleSite))]
    public async Task AMessageFoundByNumberAndTextOpensItsTraceWithTwiliosCallbacksAndTheTailShowsANewOne(int width, int height)
    {
        var (site, twilio) = await RestSiteAsync();
        await using var _ = twilio;
        await using var __ = site;
        var sid = site.Gateway.NextSid();
        await site.Gateway.TextAsync(Chen, "BAL", sid);
        await site.Gateway.TextAsync(Alice, "BAL");
        await RestGateway.ReplyAsync(site.Gateway, sid, "delivered");

        var page = await site.SignedInPageAsync("editor", width, height);
        await page.GotoAsync("/console/messages");
        await page.FillAsync("#number", Chen);
        await page.FillAsync("#text", "bal");
        await page.ClickAsync("#find");
        var rows = page.Locator("#messages tbody tr");
        Assert.Equal(1, await rows.CountAsync());
        Assert.Equal(sid, await rows.First.GetAttributeAsync("data-sid"));
        await ConsoleSite.ScreenshotAsync(page, "messages");

        await page.ClickAsync($"#messages tr[data-sid='{sid}'] a.body");
        Assert.EndsWith($"/console/messages/{sid}", page.Url);
        Assert.Equal("BAL", await TextAsync(page, "#body"));
        Assert.Equal("bal", await TextAsync(page, "#normalised"));
        Assert.Equal(("balance", "alias", "bal"), (await TextAsync(page, "#command"), await TextAsync(page, "#match"), await TextAsync(page, "#keyword")));
        Assert.Equal(("1", "delivered"), (await TextAsync(page, "#reply-segments"), await TextAsync(page, "#reply-status")));
        Assert.False(string.IsNullOrEmpty(await TextAsync(page, "#reply-encoding")));
        var events = await page.Locator("#events tbody td:nth-child(2)").AllTextContentsAsync();
        Assert.Equal(["sent", "delivered"], events);
        Assert.Equal(sid, await page.Locator("#conversation tr.current").GetAttributeAsync("data-sid"));
        await ConsoleSite.ScreenshotAsync(page, "trace");

        // The live tail: a message sent after the page opened appears without a reload.
        await page.GotoAsync("/console/messages");
        var later = site.Gateway.NextSid();
        await site.Gateway.TextAsync(Alice, "points", later);
        await page.WaitForSelectorAsync($"#messages tr[data-sid='{later}']");
        Assert.Equal(later, await page.Locator("#messages tbody tr").First.GetAttributeAsync("data-sid"));

        // One stamped before the newest shown but recorded after it (it waited for its number's lock,
        // or came through another node) appears too.
        var late = site.Gateway.NextSid();
        var log = site.Gateway.Services.GetRequiredService<SmsHall.Core.IMessageLog>();
        await log.RecordInboundAsync(new SmsHall.Core.InboundMessage(late, Chen, TestGateway.ShortCode, "usage", DateTimeOffset.UtcNow.AddSeconds(-10), SmsHall.Core.ReplyBy.Answer));
        await page.WaitForSelectorAsync($"#messages tr[data-sid='{late}']");
    }

    [Theory]
    [MemberData(nameof(ConsoleSite.Screens), MemberType = typeof(ConsoleSite))]
    public async Task AMessageNotUnderstoodTwiceIsCountedTwiceAndLinksToTheEditorAsAnAlias(int width, int height)
    {
        await using var site = await ConsoleSite.StartAsync();
        foreach (var text in new[] { "bll", "BLL", "xyzzy plugh", "bal" }) await site.Gateway.TextAsync(Alice, text);
        site.Gateway.Clock.Advance(TimeSpan.FromDays(8));

        // A week on, they are out of the default window of 7 days; a window of 9 has them.
        var page = await site.SignedInPageAsync("editor", width, height);
        await page.GotoAsync("/console/not-understood");
        var rows = page.Locator("#not-understood tbody tr");
        Assert.Equal(0, await rows.CountAsync());
        await page.FillAsync("#days", "9");
        await page.ClickAsync("#show");
        await ConsoleSite.ScreenshotAsync(page, "not-understood");

        Assert.Equal(["bll", "xyzzy plugh"], await page.Locator("#not-understood tbody tr td:first-child").AllTextContentsAsync());
        Assert.Equal("2", await TextAsync(page, "#not-understood tr[data-normalised='bll'] .count"));
        Assert.Equal("bill", await TextAsync(page, "#not-understood tr[data-normalised='bll'] td:nth-child(5)"));
        Assert.Equal("/console/catalogue?alias=bll&command=bill", await page.GetAttributeAsync("#not-understood tr[data-normalised='bll'] a.alias", "href"));
        Assert.Equal("/console/catalogue?alias=xyzzy%20plugh", await page.GetAttributeAsync("#not-understood tr[data-normalised='xyzzy plugh'] a.alias", "href"));
    }

    [Theory]
    [MemberData(nameof(ConsoleSite.Screens), MemberType = typeof(ConsoleSite))]
    public async Task AnEditorResendsAHeldReplyAndAViewerSeesItMaskedWithoutActions(int width, int height)
    {
        // Chen's first send drops before Twilio creates it, and Twilio's message list cannot be read: held for an operator.
        var (site, twilio) = await RestSiteAsync("--Outbox:MaxLookupFailures=1", "--Outbox:AttemptTimeoutSeconds=5", "--Outbox:LeaseSeconds=60");
        await using var _ = twilio;
        await using var __ = site;
        twilio.ListFails = true;
        var sends = 0;
        twilio.Faults = (to, _) => to == Chen && Interlocked.Increment(ref sends) == 1 ? Fault.DropBeforeCreate : Fault.None;
        var outbox = site.Gateway.Services.GetRequiredService<IOutbox>();
        var chen = site.Gateway.NextSid();
        await site.Gateway.TextAsync(Chen, "BAL", chen);
        for (var i = 0; i < 600 && (await outbox.HeldAsync()).Count == 0; i++) await Task.Delay(50);
        var id = Assert.Single(await outbox.HeldAsync()).Id;

        var viewer = await site.SignedInPageAsync("viewer", width, height);
        await viewer.GotoAsync("/console/delivery");
        Assert.Equal(PhoneMask.Mask(Chen), await TextAsync(viewer, $"#held tr[data-id='{id}'] .number"));
        Assert.DoesNotContain(Chen, await viewer.ContentAsync());
        Assert.Equal(0, await viewer.Locator("#held button").CountAsync());
        // A viewer's own POST, with a valid antiforgery token, is refused.
        var form = viewer.APIRequest.CreateFormData();
        form.Set("id", id.ToString());
        form.Set("__RequestVerificationToken", await viewer.InputValueAsync("form input[name=__RequestVerificationToken]"));
        var refused = await viewer.APIRequest.PostAsync("/console/delivery?handler=Resend", new() { Form = form, MaxRedirects = 0 });
        Assert.Equal(302, refused.Status);
        Assert.Contains("/console/denied", refused.Headers["location"]);
        Assert.Single(await outbox.HeldAsync());

        var editor = await site.SignedInPageAsync("editor", width, height);
        await editor.GotoAsync("/console/delivery");
        Assert.Equal(Chen, await TextAsync(editor, $"#held tr[data-id='{id}'] .number"));
        await ConsoleSite.ScreenshotAsync(editor, "delivery");
        await editor.ClickAsync($"#held tr[data-id='{id}'] button.resend");
        Assert.Equal($"Reply {id} is sent again.", await TextAsync(editor, "#message"));
        Assert.Equal(0, await editor.Locator("#held tbody tr").CountAsync());
        await RestGateway.ReplyAsync(site.Gateway, chen, "delivered");
        var audit = await site.Gateway.Services.GetRequiredService<IAuditLog>().RecentAsync(10);
        Assert.Contains(audit, e => e is { Operator: "editor", Action: "reply resent" } && e.Detail == $"held reply {id}");
    }

    [Theory]
    [MemberData(nameof(ConsoleSite.Screens), MemberType = typeof(ConsoleSite))]
    public async Task AnEditorDropsAHeldReplyAndItIsNeverSent(int width, int height)
    {
        var (site, twilio) = await RestSiteAsync("--Outbox:MaxLookupFailures=1", "--Outbox:AttemptTimeoutSeconds=5", "--Outbox:LeaseSeconds=60");
        await using var _ = twilio;
        await using var __ = site;
        twilio.ListFails = true;
        twilio.Faults = (to, _) => to == Chen ? Fault.DropBeforeCreate : Fault.None;
        var outbox = site.Gateway.Services.GetRequiredService<IOutbox>();
        var chen = site.Gateway.NextSid();
        await site.Gateway.TextAsync(Chen, "BAL", chen);
        for (var i = 0; i < 600 && (await outbox.HeldAsync()).Count == 0; i++) await Task.Delay(50);
        var id = Assert.Single(await outbox.HeldAsync()).Id;

        await site.Gateway.TextAsync(Alice, "STOP");
        var editor = await site.SignedInPageAsync("editor", width, height);
        await editor.GotoAsync("/console/delivery");
        Assert.Equal("1", await TextAsync(editor, "#opted-out-count"));
        Assert.Equal([Alice], await editor.Locator("#opted-out li").AllTextContentsAsync());
        await editor.ClickAsync($"#held tr[data-id='{id}'] button.drop");
        Assert.Equal(0, await editor.Locator("#held tbody tr").CountAsync());
        Assert.Empty(await outbox.HeldAsync());

        // The trace says so, and the audit log has who dropped it.
        await editor.GotoAsync($"/console/messages/{chen}");
        Assert.Equal(OutboundStatus.Dropped, await TextAsync(editor, "#reply-status"));
        var audit = await site.Gateway.Services.GetRequiredService<IAuditLog>().RecentAsync(10);
        Assert.Contains(audit, e => e is { Operator: "editor", Action: "reply dropped" } && e.Detail == $"held reply {id}");
    }

    [Theory]
    [MemberData(nameof(ConsoleSite.Screens), MemberType = typeof(ConsoleSite))]
    public async Task AViewerSeesEveryNumberMaskedInMessagesTheTailAndATrace(int width, int height)
    {
        await using var site = await ConsoleSite.StartAsync();
        var sid = site.Gateway.NextSid();
        await site.Gateway.TextAsync(Chen, "BAL", sid);
        await site.Gateway.TextAsync(Chen, "usage");

        var viewer = await site.SignedInPageAsync("viewer", width, height);
        await viewer.GotoAsync("/console/messages");
        Assert.Equal(PhoneMask.Mask(Chen), await TextAsync(viewer, $"#messages tr[data-sid='{sid}'] td:nth-child(2)"));
        var later = site.Gateway.NextSid();
        await site.Gateway.TextAsync(Alice, "points", later);
        await viewer.WaitForSelectorAsync($"#messages tr[data-sid='{later}']");
        Assert.Equal(PhoneMask.Mask(Alice), await TextAsync(viewer, $"#messages tr[data-sid='{later}'] td:nth-child(2)"));
        Assert.DoesNotContain(Chen, await viewer.ContentAsync());
        Assert.DoesNotContain(Alice, await viewer.ContentAsync());

        // The tail's JSON, asked for directly, masks too.
        var tail = await viewer.APIRequest.GetAsync("/console/messages?handler=tail&after=2000-01-01T00:00:00Z");
        var json = await tail.TextAsync();
        var numbers = System.Text.Json.JsonDocument.Parse(json).RootElement.EnumerateArray().Select(m => m.GetProperty("from").GetString()).ToList();
        Assert.Contains(PhoneMask.Mask(Chen), numbers);
        Assert.DoesNotContain(Chen[1..], json);

        await viewer.GotoAsync($"/console/messages/{sid}");
        Assert.Equal(2, await viewer.Locator("#conversation tbody tr").CountAsync());
        Assert.DoesNotContain(Chen, await viewer.ContentAsync());
        Assert.DoesNotContain(Chen[1..], await viewer.ContentAsync()); // not even without its '+'
    }

    [Fact]
    public async Task MessagesComeFiftyAPageNewestFirstAndTheNextPageHasTheOlderOnes()
    {
        await using var site = await ConsoleSite.StartAsync();
        for (var i = 0; i < 55; i++)
        {
            await site.Gateway.TextAsync(Alice, "bal");
            site.Gateway.Clock.Advance(TimeSpan.FromSeconds(10)); // over the rate limit's window, in order
        }
        var url = site.BaseAddress.ToString().TrimEnd('/');
        using var viewer = new ConsoleClient();
        await viewer.SignInAsync(url, "viewer");
        var first = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await (await viewer.GetAsync(url + "/console/messages")).Content.ReadAsStringAsync());
        Assert.Equal(50, first.QuerySelectorAll("#messages tbody tr").Length);
        var older = first.QuerySelector("#older")!.GetAttribute("href")!;
        var second = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await (await viewer.GetAsync(url + "/console/messages" + older)).Content.ReadAsStringAsync());
        var rows = second.QuerySelectorAll("#messages tbody tr");
        Assert.Equal(5, rows.Length);
        Assert.Empty(rows.Select(r => r.GetAttribute("data-sid")).Intersect(first.QuerySelectorAll("#messages tbody tr").Select(r => r.GetAttribute("data-sid"))));
        Assert.NotNull(second.QuerySelector("#newer"));
    }
}
