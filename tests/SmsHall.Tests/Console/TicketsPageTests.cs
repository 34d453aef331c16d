using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SmsHall.Core.Ports;

namespace SmsHall.Tests.Console;

/// <summary>The ticket queue: a complaint by SMS reaches an editor, whose answer reaches the phone, whose reply joins the ticket.</summary>
public sealed class TicketsPageTests
{
    private const string Alice = "+15550000001";

    [Theory]
    [MemberData(nameof(ConsoleSite.Screens), MemberType = typeof(ConsoleSite))]
    public async Task AComplaintReachesAnEditorWhoseAnswerReachesThePhoneAndTheReplyJoinsTheTicket(int width, int height)
    {
        await using var twilio = await TwilioStandIn.StartAsync(RestGateway.AccountSid, TestGateway.AuthToken);
        await using var site = await ConsoleSite.StartAsync(
            $"--Twilio:AccountSid={RestGateway.AccountSid}", $"--Twilio:ApiBaseUrl={twilio.BaseUrl}", "--Twilio:From=+15005550006",
            "--Outbox:PollMilliseconds=50", "--Twilio:SegmentsPerSecond=10000");
        Assert.StartsWith("Thank you: your complaint is ticket T1001.", await site.Gateway.TextAsync(Alice, "complaint: no signal at home since monday"));

        var page = await site.SignedInPageAsync("editor", width, height);
        await page.ClickAsync("nav >> text=Tickets");
        Assert.Equal("1", await page.TextContentAsync("[data-state=open] b"));
        var row = page.Locator("#queue tr[data-ref=T1001]");
        Assert.Contains("complaint: no signal at home since monday", await row.TextContentAsync());
        Assert.Contains(Alice, await row.TextContentAsync());
        await ConsoleSite.ScreenshotAsync(page, "tickets");

        await row.Locator("a").ClickAsync();
        Assert.Equal("open", await page.TextContentAsync("#ticket-state"));
        Assert.Contains("Thank you: your complaint is ticket T1001", await page.TextContentAsync("#recent"));
        await page.ClickAsync("#assign");
        Assert.Equal("T1001 is assigned to you.", await page.TextContentAsync("#message"));
        Assert.Equal("assigned", await page.TextContentAsync("#ticket-state"));

        await page.FillAsync("#answer", "Sorry Alice: the mast near you is being repaired, signal is back by Thursday.");
        await page.ClickAsync("#send-answer");
        Assert.Equal("The answer to T1001 is on its way (1 SMS).", await page.TextContentAsync("#message"));
        Assert.Equal("answered", await page.TextContentAsync("#ticket-state"));

        var sent = await SentAsync(twilio, "Sorry Alice: the mast near you is being repaired, signal is back by Thursday.");
        Assert.Equal((Alice, "+15005550006"), (sent.To, sent.From));

        Assert.Equal("Thank you, your message was added to ticket T1001.", await site.Gateway.TextAsync(Alice, "ok but I work from home, any sooner?"));
        await page.GotoAsync("/console/tickets/T1001");
        Assert.Equal("assigned", await page.TextContentAsync("#ticket-state"));
        var thread = await page.Locator("#thread li .message").AllTextContentsAsync();
        Assert.Equal(
            ["complaint: no signal at home since monday", "Sorry Alice: the mast near you is being repaired, signal is back by Thursday.", "ok but I work from home, any sooner?"],
            thread);
        Assert.Contains("answer (ticket T1001)", await page.TextContentAsync("#recent"));
        await ConsoleSite.ScreenshotAsync(page, "ticket");

        await page.ClickAsync("#close");
        Assert.Equal("closed", await page.TextContentAsync("#ticket-state"));
        var audit = await site.Gateway.Services.GetRequiredService<IAuditLog>().RecentAsync(10);
        Assert.Equal(["ticket closed", "ticket answered", "ticket assigned"], audit.Take(3).Select(a => a.Action));
        Assert.All(audit.Take(3), a => Assert.Equal("editor", a.Operator));
    }

    [Fact]
    public async Task WithoutASenderOfItsOwnTheConsoleSaysSoAndSendsNothing()
    {
        await using var site = await ConsoleSite.StartAsync();
        await site.Gateway.TextAsync(Alice, "call me back");
        var url = site.BaseAddress.ToString().TrimEnd('/');
        using var editor = new ConsoleClient();
        await editor.SignInAsync(url, "editor");

        var page = await (await editor.GetAsync(url + "/console/tickets/T1001")).Content.ReadAsStringAsync();
        Assert.Contains("Answers by SMS cannot be sent: sending notices, offers and answers needs Twilio:AccountSid", page);
        var token = await editor.TokenAsync(url + "/console/tickets/T1001");
        using var answer = await editor.PostAsync(url + "/console/tickets/T1001?handler=Answer", token, ("answer", "We will call you at 3pm."));
        Assert.Equal(HttpStatusCode.Conflict, answer.StatusCode);
        Assert.Contains("Nothing was sent: the gateway cannot send messages of its own", await answer.Content.ReadAsStringAsync());
        var ticket = (await site.Gateway.Services.GetRequiredService<ITickets>().FindAsync(1001))!;
        Assert.Equal(TicketStates.Open, ticket.State);
        Assert.DoesNotContain(await site.Gateway.Services.GetRequiredService<ITickets>().RecentAsync(Alice, 10), m => m.Purpose == "answer");
    }

    [Fact]
    public async Task AViewerReadsTheQueueWithNumbersMaskedAndCannotActAndBadReferencesGetAClearAnswer()
    {
        await using var site = await ConsoleSite.StartAsync();
        await site.Gateway.TextAsync(Alice, "complaint: my number +15550000001 was charged twice");
        var url = site.BaseAddress.ToString().TrimEnd('/');
        using var viewer = new ConsoleClient();
        await viewer.SignInAsync(url, "viewer");

        var html = await (await viewer.GetAsync(url + "/console/tickets/T1001")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(Alice, html);
        Assert.DoesNotContain("id=\"answer\"", html);
        var token = await viewer.TokenAsync(url + "/console/tickets");
        using (var close = await viewer.PostAsync(url + "/console/tickets/T1001?handler=Close", token))
        {
            Assert.Equal(HttpStatusCode.Redirect, close.StatusCode);
            Assert.StartsWith("/console/denied", close.Headers.Location!.PathAndQuery);
        }
        Assert.Equal(TicketStates.Open, (await site.Gateway.Services.GetRequiredService<ITickets>().FindAsync(1001))!.State);

        using var editor = new ConsoleClient();
        await editor.SignInAsync(url, "editor");
        using (var noToken = await editor.PostAsync(url + "/console/tickets/T1001?handler=Close", null))
            Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        using (var missing = await editor.GetAsync(url + "/console/tickets/T9999"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Contains("There is no ticket T9999.", await missing.Content.ReadAsStringAsync());
        }
        using (var bad = await editor.GetAsync(url + "/console/tickets/x1?state=lost"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("There is no state &#x27;lost&#x27;", await bad.Content.ReadAsStringAsync());
        }
    }

    /// <summary>The message the stand-in received with this body, once the outbox has sent it.</summary>
    private static async Task<SentSms> SentAsync(TwilioStandIn twilio, string body)
    {
        for (var wait = 0; wait < 300; wait++)
        {
            if (twilio.Sent.FirstOrDefault(s => s.Body == body) is { } sent) return sent;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"the stand-in never received \"{body}\"; it has: {string.Join(" | ", twilio.Sent.Select(s => s.Body))}");
    }
}
