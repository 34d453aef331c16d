using System.Net;
using System.Text;
using SmsHall.Storage.Tests;

namespace SmsHall.Tests.Console;

/// <summary>
/// The console on two real <c>smshall serve</c> processes sharing one PostgreSQL database: a cookie
/// and an antiforgery token from one node are good on the other, and a lockout holds on both.
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
}
