using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace SmsHall.Tests;

/// <summary>A clock the tests move by hand.</summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;
    public override DateTimeOffset GetUtcNow() => Now;
    public void Advance(TimeSpan by) => Now += by;
}

/// <summary>
/// The real clock, which the test can move forward in a jump: delays and timeouts still pass in real
/// time, but "now" is as late as the test says (a reply ten minutes old, without waiting ten minutes).
/// </summary>
public sealed class JumpingClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Jump(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}

/// <summary>
/// The real gateway on Kestrel at 127.0.0.1 (a free port), with its own SQLite file and the
/// repository's commands.md, the clock in the test's hands, and a client that signs like Twilio.
/// </summary>
public sealed class TestGateway : IAsyncDisposable
{
    public const string AuthToken = "test-auth-token";
    public const string ShortCode = "+15005550006";

    /// <summary>The operator key for tests that start the gateway with <c>--Operator:ApiKey=</c> this.</summary>
    public const string OperatorKey = "test-operator-key";
    public static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private readonly WebApplication _app;
    private int _sids;

    private TestGateway(WebApplication app, TestClock clock, string databasePath, Uri baseAddress)
    {
        _app = app;
        Clock = clock;
        DatabasePath = databasePath;
        Http = new HttpClient { BaseAddress = baseAddress };
    }

    public TestClock Clock { get; }
    public string DatabasePath { get; }
    public IServiceProvider Services => _app.Services;
    public HttpClient Http { get; }
    public string SmsUrl => new Uri(Http.BaseAddress!, "/twilio/sms").ToString();

    public static Task<TestGateway> StartAsync(params string[] settings) => StartAsync(_ => { }, settings);

    /// <summary>Starts the gateway with some of its services replaced (after the test clock is put in).</summary>
    public static async Task<TestGateway> StartAsync(Action<IServiceCollection> overrides, params string[] settings)
    {
        var databasePath = NewDatabasePath();
        var clock = new TestClock(Start);
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            $"--Database:Path={databasePath}",
            $"--Catalogue:Path={Repo.CommandsMd}",
            $"--Twilio:AuthToken={AuthToken}",
            "--Logging:LogLevel:Default=Warning",
            // Tests send many messages from one number in a moment; the rate limit has tests of its own.
            "--Hall:RateLimitMessages=10000",
            .. settings,
        ];
        var app = Gateway.Build(args, services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            overrides(services);
        });
        Gateway.Prepare(app.Services, demo: true);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestGateway(app, clock, databasePath, new Uri(address));
    }

    public string NextSid() => $"SM{Interlocked.Increment(ref _sids):D32}";

    /// <summary>Posts Twilio's inbound-message form, signed with the gateway's auth token.</summary>
    public Task<HttpResponseMessage> PostSmsAsync(string from, string body, string? sid = null) =>
        PostFormAsync(Form(from, body, sid ?? NextSid()));

    public static List<KeyValuePair<string, string>> Form(string from, string body, string sid) =>
    [
        new("MessageSid", sid),
        new("SmsSid", sid),
        new("AccountSid", "AC00000000000000000000000000000000"),
        new("From", from),
        new("To", ShortCode),
        new("Body", body),
        new("NumMedia", "0"),
        new("NumSegments", "1"),
        new("FromCountry", "US"),
        new("ApiVersion", "2010-04-01"),
    ];

    public Task<HttpResponseMessage> PostFormAsync(IReadOnlyList<KeyValuePair<string, string>> form, string? signature = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/twilio/sms") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Twilio-Signature", signature ?? TwilioSignature.Compute(SmsUrl, form, AuthToken));
        return Http.SendAsync(request);
    }

    /// <summary>Texts the gateway as a subscriber and returns the reply (null when it says nothing).</summary>
    public async Task<string?> TextAsync(string from, string body, string? sid = null)
    {
        using var response = await PostSmsAsync(from, body, sid);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        return MessageIn(await response.Content.ReadAsStringAsync());
    }

    public static string? MessageIn(string twiml)
    {
        var response = XDocument.Parse(twiml).Root!;
        Assert.Equal("Response", response.Name.LocalName);
        return response.Element("Message")?.Value;
    }

    /// <summary>GET /health, with the operator key or without; its status code and its JSON.</summary>
    public async Task<(System.Net.HttpStatusCode Status, System.Text.Json.JsonElement Json)> HealthAsync(string? apiKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        if (apiKey is not null) request.Headers.Add("X-Api-Key", apiKey);
        using var response = await Http.SendAsync(request);
        var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        return (response.StatusCode, json);
    }

    public SqliteConnection OpenDatabase()
    {
        var c = new SqliteConnection($"Data Source={DatabasePath}");
        c.Open();
        return c;
    }

    /// <summary>A subscriber's plan as the database holds it now.</summary>
    public string PlanOf(string number)
    {
        using var db = OpenDatabase();
        return db.ExecuteScalar<string>("SELECT plan_code FROM subscribers WHERE number = @number", new { number })!;
    }

    /// <summary>A subscriber's balance in cents as the database holds it now.</summary>
    public long BalanceOf(string number)
    {
        using var db = OpenDatabase();
        return db.ExecuteScalar<long>("SELECT balance_cents FROM subscribers WHERE number = @number", new { number });
    }

    /// <summary>Stops the gateway as a graceful shutdown does (the database file stays until disposal).</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        DeleteDatabase(DatabasePath);
    }

    /// <summary>A fresh SQLite file path for one test.</summary>
    public static string NewDatabasePath() =>
        Path.Combine(Path.GetTempPath(), "smshall-tests", Guid.NewGuid().ToString("N") + ".db");

    /// <summary>Removes a test's SQLite file with its WAL companions.</summary>
    public static void DeleteDatabase(string path)
    {
        // Only this file's pools: clearing every pool would pull connections from under tests running alongside.
        foreach (var connectionString in new[] { $"Data Source={path}", new Storage.Sqlite.Database(path).ConnectionString })
        {
            using var connection = new SqliteConnection(connectionString);
            SqliteConnection.ClearPool(connection);
        }
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(path + suffix);
    }
}

/// <summary>The repository's own files, found by walking up to SmsHall.sln.</summary>
internal static class Repo
{
    public static readonly string Root = FindRoot();

    public static string CommandsMd => Path.Combine(Root, "commands.md");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SmsHall.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("SmsHall.sln not found above " + AppContext.BaseDirectory);
    }
}
