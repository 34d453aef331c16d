using System.Net;
using System.Net.Sockets;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace SmsHall.Tests;

/// <summary>
/// The gateway in Rest mode against a local Twilio stand-in, on the real clock (the sender's
/// timeouts and retry delays must really pass). Status callbacks come back to the gateway's own port.
/// </summary>
public sealed class RestGateway : IAsyncDisposable
{
    public const string AccountSid = "AC00000000000000000000000000000000";

    private RestGateway(TestGateway gateway, TwilioStandIn twilio)
    {
        Gateway = gateway;
        Twilio = twilio;
    }

    public TestGateway Gateway { get; }
    public TwilioStandIn Twilio { get; }

    public static Task<RestGateway> StartAsync(params string[] settings) => StartAsync(_ => { }, settings);

    public static async Task<RestGateway> StartAsync(Action<IServiceCollection> overrides, params string[] settings)
    {
        var twilio = await TwilioStandIn.StartAsync(AccountSid, TestGateway.AuthToken);
        var port = FreePort();
        var gateway = await TestGateway.StartAsync(services =>
        {
            services.AddSingleton(TimeProvider.System);
            overrides(services);
        },
        [
            $"--urls=http://127.0.0.1:{port}",
            .. Settings(twilio, $"http://127.0.0.1:{port}"),
            .. settings,
        ]);
        return new RestGateway(gateway, twilio);
    }

    /// <summary>The settings that point a gateway at the stand-in, with retries quick enough for tests.</summary>
    public static string[] Settings(TwilioStandIn twilio, string gatewayUrl) =>
    [
        "--Twilio:ReplyMode=Rest",
        $"--Twilio:ApiBaseUrl={twilio.BaseUrl}",
        $"--Twilio:AccountSid={AccountSid}",
        $"--Twilio:StatusCallbackUrl={gatewayUrl}/twilio/status",
        "--Outbox:AttemptTimeoutSeconds=0.5",
        "--Outbox:RetryDelayMilliseconds=20",
        "--Outbox:MaxRetryAfterSeconds=2",
        "--Outbox:PollMilliseconds=50",
        "--Outbox:BreakSeconds=1",
        "--Outbox:LeaseSeconds=10",
        // Pacing has tests of its own; here replies go as fast as the tests send them.
        "--Twilio:SegmentsPerSecond=10000",
    ];

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Texts the gateway; in Rest mode the webhook's own answer is always empty.</summary>
    public async Task<string> TextAsync(string from, string body, string? sid = null)
    {
        sid ??= Gateway.NextSid();
        Assert.Null(await Gateway.TextAsync(from, body, sid));
        return sid;
    }

    /// <summary>Waits until the reply to a message has reached a status (delivered, failed, …), or fails the test.</summary>
    public Task<ReplyRow> ReplyAsync(string sid, params string[] statuses) => ReplyAsync(Gateway, sid, statuses);

    /// <summary>Waits until the reply to a message on that gateway has reached a status, or fails the test.</summary>
    public static async Task<ReplyRow> ReplyAsync(TestGateway gateway, string sid, params string[] statuses)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            using (var db = gateway.OpenDatabase())
            {
                var row = db.QuerySingleOrDefault<ReplyRow>(
                    """
                    SELECT body AS Body, status AS Status, twilio_sid AS TwilioSid, error_code AS ErrorCode
                    FROM outbound_messages WHERE inbound_sid = @sid
                    """, new { sid });
                if (row is not null && statuses.Contains(row.Status)) return row;
                if (DateTime.UtcNow > deadline) Assert.Fail($"the reply to {sid} is {row?.Status ?? "missing"}, not {string.Join(" or ", statuses)}");
            }
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Twilio.DisposeAsync();
    }
}

public sealed record ReplyRow(string Body, string Status, string? TwilioSid, long? ErrorCode);
