using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SmsHall.Core.Ports;

namespace SmsHall.Tests.Console;

/// <summary>Antiforgery and roles checked at the HTTP level, where a forged request would come from.</summary>
public sealed class ConsoleHttpTests
{
    [Fact]
    public async Task APostWithoutTheAntiforgeryTokenIsRefusedAndChangesNothing()
    {
        await using var site = await ConsoleSite.StartAsync();
        var url = site.BaseAddress.ToString().TrimEnd('/');
        using var admin = new ConsoleClient();
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SignInAsync(url, "admin")).StatusCode);

        using var forged = await admin.PostAsync(url + "/console/operators?handler=Add", token: null, ("name", "mallory"), ("role", "admin"));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        using var signIn = await admin.PostAsync(url + "/console/sign-in", token: null, ("name", "admin"), ("password", ConsoleSite.Password));
        Assert.Equal(HttpStatusCode.BadRequest, signIn.StatusCode);
        Assert.Null(await site.Gateway.Services.GetRequiredService<IOperators>().FindAsync("mallory"));

        // The same form with its token goes through.
        var token = await admin.TokenAsync(url + "/console/operators");
        using var real = await admin.PostAsync(url + "/console/operators?handler=Add", token, ("name", "mallory"), ("role", "viewer"));
        Assert.Equal(HttpStatusCode.OK, real.StatusCode);
        Assert.NotNull(await site.Gateway.Services.GetRequiredService<IOperators>().FindAsync("mallory"));
    }

    [Fact]
    public async Task AnEditorsValidPostToAnAdminActionIsRefused()
    {
        await using var site = await ConsoleSite.StartAsync();
        var url = site.BaseAddress.ToString().TrimEnd('/');
        using var editor = new ConsoleClient();
        await editor.SignInAsync(url, "editor");
        // A valid token of the editor's own session, from a page they may see.
        var token = await editor.TokenAsync(url + "/console/password");
        using var response = await editor.PostAsync(url + "/console/operators?handler=Role", token, ("name", "editor"), ("role", "admin"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/console/denied", response.Headers.Location!.PathAndQuery);
        Assert.Equal(OperatorRole.Editor, (await site.Gateway.Services.GetRequiredService<IOperators>().FindAsync("editor"))!.Role);
    }

    [Fact]
    public async Task AnOperatorRemovedOrDemotedLosesTheirRightsAtTheNextRequest()
    {
        await using var site = await ConsoleSite.StartAsync();
        var url = site.BaseAddress.ToString().TrimEnd('/');
        await site.AddOperatorAsync("second", OperatorRole.Admin);
        using var second = new ConsoleClient();
        await second.SignInAsync(url, "second");
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync(url + "/console/operators")).StatusCode);

        var operators = site.Gateway.Services.GetRequiredService<IOperators>();
        Assert.True(await operators.SetRoleAsync("second", OperatorRole.Viewer));
        Assert.Equal(HttpStatusCode.Redirect, (await second.GetAsync(url + "/console/operators")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync(url + "/console")).StatusCode);

        Assert.True(await operators.RemoveAsync("second"));
        using var gone = await second.GetAsync(url + "/console");
        Assert.Equal(HttpStatusCode.Redirect, gone.StatusCode);
        Assert.StartsWith("/console/sign-in", gone.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task AChangedOrResetPasswordEndsTheAccountsOtherSessions()
    {
        await using var site = await ConsoleSite.StartAsync();
        var url = site.BaseAddress.ToString().TrimEnd('/');
        using var laptop = new ConsoleClient();
        using var phone = new ConsoleClient();
        await laptop.SignInAsync(url, "editor");
        await phone.SignInAsync(url, "editor");
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync(url + "/console")).StatusCode);

        var token = await laptop.TokenAsync(url + "/console/password");
        using var change = await laptop.PostAsync(url + "/console/password", token,
            ("current", ConsoleSite.Password), ("password", "a brand new password"), ("repeat", "a brand new password"));
        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await laptop.GetAsync(url + "/console")).StatusCode);
        using var ended = await phone.GetAsync(url + "/console");
        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        Assert.StartsWith("/console/sign-in", ended.Headers.Location!.PathAndQuery);

        // An admin's reset ends the remaining session too.
        using var admin = new ConsoleClient();
        await admin.SignInAsync(url, "admin");
        using var reset = await admin.PostAsync(url + "/console/operators?handler=Reset", await admin.TokenAsync(url + "/console/operators"), ("name", "editor"));
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        using var resetEnded = await laptop.GetAsync(url + "/console");
        Assert.Equal(HttpStatusCode.Redirect, resetEnded.StatusCode);
        Assert.StartsWith("/console/sign-in", resetEnded.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task AFloodOfSignInsIsRefusedBeforeAnyPasswordIsCheckedOrAudited()
    {
        await using var site = await ConsoleSite.StartAsync("--Console:SignInsPerMinute=3");
        var url = site.BaseAddress.ToString().TrimEnd('/');
        var audit = site.Gateway.Services.GetRequiredService<IAuditLog>();
        using var client = new ConsoleClient();
        var token = await client.TokenAsync(url + "/console/sign-in");
        for (var i = 0; i < 3; i++)
        {
            using var wrong = await client.PostAsync(url + "/console/sign-in", token, ("name", "nobody" + i), ("password", "guess " + i));
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        var audited = (await audit.RecentAsync(100)).Count;

        using var flood = await client.PostAsync(url + "/console/sign-in", token, ("name", "admin"), ("password", ConsoleSite.Password));
        Assert.Equal(HttpStatusCode.TooManyRequests, flood.StatusCode);
        Assert.Equal("Too many sign-in attempts from your address: wait a minute, then try again.", await flood.Content.ReadAsStringAsync());
        Assert.Equal(audited, (await audit.RecentAsync(100)).Count);
        // The form itself and the rest of the site still answer.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(url + "/console/sign-in")).StatusCode);
        Assert.StartsWith("Your balance is", await site.Gateway.TextAsync("+15550000001", "BAL"));
    }

    [Fact]
    public async Task AnUnusableSignInLimitStopsTheNodeWithAClearMessage()
    {
        var problem = await Assert.ThrowsAnyAsync<Exception>(() => ConsoleSite.StartAsync("--Console:SignInsPerMinute=0"));
        Assert.Contains("Console:SignInsPerMinute must be a number of sign-ins from 1 to 1000", problem.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task BehindAnHttpsProxyTheCookiesAreMarkedSecure(bool behindHttpsProxy)
    {
        await using var site = await ConsoleSite.StartAsync($"--Console:BehindHttpsProxy={behindHttpsProxy}");
        var url = site.BaseAddress.ToString().TrimEnd('/');
        // Cookies passed by hand: a cookie jar would not send Secure cookies back over this plain http.
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false });
        using var form = await http.GetAsync(url + "/console/sign-in");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var antiforgery = form.Headers.GetValues("Set-Cookie").Single();
        var token = System.Text.RegularExpressions.Regex.Match(await form.Content.ReadAsStringAsync(), "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        using var post = new HttpRequestMessage(HttpMethod.Post, url + "/console/sign-in")
        {
            Content = new FormUrlEncodedContent([new("name", "viewer"), new("password", ConsoleSite.Password), new("__RequestVerificationToken", token)]),
        };
        post.Headers.Add("Cookie", antiforgery.Split(';')[0]);
        using var signIn = await http.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var session = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("smshall-console="));
        // Over plain http a cookie is Secure only when the proxy in front is said to speak https.
        Assert.Equal(behindHttpsProxy, antiforgery.Contains("; secure", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(behindHttpsProxy, session.Contains("; secure", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task EmptyBoxesGetAClearAnswerNotAServerError()
    {
        await using var site = await ConsoleSite.StartAsync();
        var url = site.BaseAddress.ToString().TrimEnd('/');
        using var client = new ConsoleClient();
        foreach (var (name, password) in new[] { ("", ""), ("  ", "x"), ("admin", ""), ("", ConsoleSite.Password) })
        {
            var token = await client.TokenAsync(url + "/console/sign-in");
            using var response = await client.PostAsync(url + "/console/sign-in", token, ("name", name), ("password", password));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("Enter your name and your password.", await response.Content.ReadAsStringAsync());
        }

        await client.SignInAsync(url, "editor");
        var formToken = await client.TokenAsync(url + "/console/password");
        using var change = await client.PostAsync(url + "/console/password", formToken, ("current", ""), ("password", ""), ("repeat", ""));
        Assert.Equal(HttpStatusCode.BadRequest, change.StatusCode);
        Assert.Contains("The current password is wrong.", await change.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/console/messages?q=1", "/console/messages?q=1")]
    [InlineData("/console\r\nSet-Cookie: evil=1", "/console")]
    [InlineData("/console/%0d%0aSet-Cookie:%20evil=1", "/console")]
    [InlineData("//evil.example/console", "/console")]
    [InlineData("/metrics", "/console")]
    [InlineData("/consolex", "/console")]
    public async Task AfterSigningInOnlyAConsolePageIsWhereTheBrowserGoes(string returnUrl, string expected)
    {
        await using var site = await ConsoleSite.StartAsync();
        var url = site.BaseAddress.ToString().TrimEnd('/');
        using var client = new ConsoleClient();
        var token = await client.TokenAsync(url + "/console/sign-in");
        // Decoded as a browser's query string would be: %0d%0a becomes a real line break.
        var field = Uri.UnescapeDataString(returnUrl);
        using var response = await client.PostAsync(url + "/console/sign-in", token, ("name", "viewer"), ("password", ConsoleSite.Password), ("returnUrl", field));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task AViewerSeesNumbersQuotedInTwiliosErrorTextsMasked()
    {
        const string Chen = "+15550000003";
        await using var twilio = await TwilioStandIn.StartAsync(RestGateway.AccountSid, TestGateway.AuthToken);
        twilio.Faults = (to, _) => to == Chen ? Fault.InvalidNumber : Fault.None;
        var node = $"http://127.0.0.1:{RestGateway.FreePort()}";
        await using var site = await ConsoleSite.StartAsync(s => s.AddSingleton(TimeProvider.System), [$"--urls={node}", .. RestGateway.Settings(twilio, node)]);
        var sid = $"SM{Guid.NewGuid():N}";
        await site.Gateway.TextAsync(Chen, "BAL", sid);

        using var viewer = new ConsoleClient();
        await viewer.SignInAsync(node, "viewer");
        using var editor = new ConsoleClient();
        await editor.SignInAsync(node, "editor");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string delivery;
        while (!(delivery = await (await viewer.GetAsync(node + "/console/delivery")).Content.ReadAsStringAsync()).Contains("21211"))
        {
            Assert.True(DateTime.UtcNow < deadline, "the refused reply never reached the delivery page");
            await Task.Delay(200);
        }
        var trace = await (await viewer.GetAsync(node + "/console/messages/" + sid)).Content.ReadAsStringAsync();
        foreach (var page in new[] { delivery, trace })
        {
            Assert.Contains("The &#x27;To&#x27; number &#x2B;15*******03 is not a valid phone number.", page);
            Assert.DoesNotContain("15550000003", page);
        }
        // An editor sees the number whole.
        Assert.Contains("number &#x2B;15550000003 is not", await (await editor.GetAsync(node + "/console/delivery")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheConsoleDoesNotTouchTheWebhookOrTheOperatorApi()
    {
        await using var site = await ConsoleSite.StartAsync("--Operator:ApiKey=" + TestGateway.OperatorKey);
        Assert.StartsWith("Your balance is", await site.Gateway.TextAsync("+15550000001", "BAL"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/operator/outbox");
        request.Headers.Add("X-Api-Key", TestGateway.OperatorKey);
        Assert.Equal(HttpStatusCode.OK, (await site.Gateway.Http.SendAsync(request)).StatusCode);
    }

    [Theory]
    [InlineData("/console/not-understood?days=abc")]
    [InlineData("/console/not-understood?days=1e99")]
    [InlineData("/console/not-understood?days=0")]
    [InlineData("/console/messages?page=two")]
    [InlineData("/console/messages?page=0")]
    [InlineData("/console/messages?from=yesterday")]
    public async Task ANumberOrTimeThatMakesNoSenseInAQueryGetsA400WithAMessage(string path)
    {
        await using var site = await ConsoleSite.StartAsync();
        var url = site.BaseAddress.ToString().TrimEnd('/');
        using var viewer = new ConsoleClient();
        await viewer.SignInAsync(url, "viewer");
        using var response = await viewer.GetAsync(url + path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("id=\"problem\"", await response.Content.ReadAsStringAsync());
    }
}
