using System.Net;
using System.Text;
using SmsHall.Storage.Tests;

namespace SmsHall.Tests.Console;

/// <summary>
/// The console on two real <c>smshall serve</c> processes sharing one PostgreSQL database: a cookie
/// and an antiforgery token from one node are good on the other, a lockout holds on both, and a
/// catalogue published in one node's console is served by the other.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ConsoleAcrossNodesTests(PostgresServer server) : IAsyncLifetime
{
    private readonly string _connectionString = server.CreateDatabase();
    private readonly StringBuilder _log = new();
    private readonly List<GatewayProcess> _processes = [];
    private string[] _urls = [];

    public async Task InitializeAsync()
    {
        string[] database = ["--Database:Provider=Postgres", $"--Database:ConnectionString={_connectionString}"];
        _urls = [$"http://127.0.0.1:{RestGateway.FreePort()}", $"http://127.0.0.1:{RestGateway.FreePort()}"];
        _processes.AddRange(await Task.WhenAll(_urls.Select((url, n) => GatewayProcess.StartAsync(url, $"node-{n}", database, _log))));
        var (exit, stdout, stderr) = await CliRun.RunAsync([.. database, $"--Catalogue:Path={Repo.CommandsMd}"], ConsoleSite.Password + "\n",
            "operator", "add", "ana", "--role", "admin", "--password-stdin");
        Assert.True(exit == 0, stderr);
        Assert.Equal("operator ana added as admin", stdout.Trim());
    }

    public Task DisposeAsync()
    {
        foreach (var process in _processes) process.Kill();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ASignInOnOneNodeIsGoodOnTheOtherAndItsFormsToo()
    {
        using var browser = new ConsoleClient();
        // The sign-in form from node 0, sent to node 1: the antiforgery token is good across nodes.
        using var signedIn = await browser.SignInAsync(_urls[1], "ana", tokenFrom: _urls[0]);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/console", signedIn.Headers.Location!.OriginalString);

        // The cookie node 1 issued works on node 0 (cookies are per host, not per port).
        using var overview = await browser.GetAsync(_urls[0] + "/console/operators");
        Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
        Assert.Contains("ana (admin)", await overview.Content.ReadAsStringAsync());

        // A form from node 0 posted to node 1 as the signed-in operator.
        var token = await browser.TokenAsync(_urls[0] + "/console/operators");
        using var added = await browser.PostAsync(_urls[1] + "/console/operators?handler=Add", token, ("name", "ben"), ("role", "viewer"));
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Contains("ben added as viewer", await added.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task WrongPasswordsSpreadOverBothNodesLockTheAccountOnBoth()
    {
        using var browser = new ConsoleClient();
        var token = await browser.TokenAsync(_urls[0] + "/console/sign-in");
        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(async i =>
        {
            using var response = await browser.PostAsync(_urls[i % 2] + "/console/sign-in", token, ("name", "ana"), ("password", "wrong " + i));
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Unauthorized, a.StatusCode));

        foreach (var url in _urls)
        {
            using var right = await browser.SignInAsync(url, "ana");
            // Locked on both nodes: the right password gets the same answer as a wrong one.
            Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
            Assert.Contains("Wrong name or password.", await right.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task AnAliasPublishedInTheConsoleOfOneNodeIsUnderstoodByTheOther()
    {
        string[] database = ["--Database:Provider=Postgres", $"--Database:ConnectionString={_connectionString}"];
        var (exit, _, stderr) = await CliRun.RunAsync([.. database, $"--Catalogue:Path={Repo.CommandsMd}"], "", "db", "seed");
        Assert.True(exit == 0, stderr);
        Assert.DoesNotContain("Your balance is", await TextAsync(1, "+15550000001", "moneyleft"));

        // On node 0, the editor follows an add-as-alias link and publishes the draft it shows.
        using var browser = new ConsoleClient();
        await browser.SignInAsync(_urls[0], "ana");
        using var editor = await browser.GetAsync(_urls[0] + "/console/catalogue?alias=moneyleft&command=balance");
        var html = await editor.Content.ReadAsStringAsync();
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        var text = document.QuerySelector("#text")!.TextContent;
        Assert.Contains("MONEYLEFT", text);
        var baseVersion = document.QuerySelector("input[name=baseVersion]")!.GetAttribute("value")!;
        var token = document.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value");
        using var published = await browser.PostAsync(_urls[0] + "/console/catalogue?handler=Publish", token,
            ("text", text), ("baseVersion", baseVersion), ("note", "moneyleft is a balance"));
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
        using var after = await browser.GetAsync(_urls[0] + published.Headers.Location!.OriginalString);
        Assert.Contains("every node switches to it", await after.Content.ReadAsStringAsync());

        // Node 1 serves it at once (PostgreSQL's NOTIFY): the webhook there now understands the alias.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string? answer;
        while (!(answer = await TextAsync(1, "+15550000001", "moneyleft"))!.StartsWith("Your balance is", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        Assert.StartsWith("Your balance is", answer);
    }

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Texts node <paramref name="node"/> as Twilio would, signed for that node's URL; the TwiML reply's text, or null.</summary>
    private async Task<string?> TextAsync(int node, string from, string body)
    {
        var form = TestGateway.Form(from, body, $"SM{Guid.NewGuid():N}");
        using var request = new HttpRequestMessage(HttpMethod.Post, _urls[node] + "/twilio/sms") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Twilio-Signature", TwilioSignature.Compute(_urls[node] + "/twilio/sms", form, TestGateway.AuthToken));
        using var response = await _http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {_log}");
        return TestGateway.MessageIn(await response.Content.ReadAsStringAsync());
    }
}
