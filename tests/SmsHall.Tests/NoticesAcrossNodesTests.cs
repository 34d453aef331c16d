using System.Text;
using Dapper;
using Npgsql;
using SmsHall.Notices;
using SmsHall.Storage.Tests;

namespace SmsHall.Tests;

/// <summary>
/// The notice run on two real <c>smshall serve</c> processes on one PostgreSQL database at once,
/// both sending through one Twilio stand-in, on the real clock: every notice reaches it exactly once.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class NoticesAcrossNodesTests(PostgresServer server) : IAsyncLifetime
{
    private const double IntervalSeconds = 0.3;

    private readonly string _connectionString = server.CreateDatabase();
    private readonly StringBuilder _log = new();
    private readonly List<GatewayProcess> _processes = [];
    private TwilioStandIn _twilio = null!;

    public async Task InitializeAsync()
    {
        _twilio = await TwilioStandIn.StartAsync(RestGateway.AccountSid, TestGateway.AuthToken);
        string[] database = ["--Database:Provider=Postgres", $"--Database:ConnectionString={_connectionString}"];
        string[] settings =
        [
            .. database,
            $"--Twilio:AccountSid={RestGateway.AccountSid}",
            $"--Twilio:ApiBaseUrl={_twilio.BaseUrl}",
            $"--Twilio:From={NoticeGateway.Sender}",
            "--Twilio:SegmentsPerSecond=10000",
            "--Outbox:PollMilliseconds=50",
            $"--Notices:IntervalSeconds={IntervalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            // On the real clock: a run at night must not be held to the morning.
            "--Hall:QuietHours=",
        ];
        var urls = new[] { $"http://127.0.0.1:{RestGateway.FreePort()}", $"http://127.0.0.1:{RestGateway.FreePort()}" };
        _processes.AddRange(await Task.WhenAll(urls.Select((url, n) => GatewayProcess.StartAsync(url, $"node-{n}", settings, _log))));
        // The accounts arrive while both nodes run: from then on each pass finds the same events.
        var (exit, stdout, stderr) = await CliRun.RunAsync([.. database, $"--Catalogue:Path={Repo.CommandsMd}"], "", "db", "seed", "--subscribers", "30");
        Assert.True(exit == 0, stderr);
        Assert.Contains("5 demo subscriber(s) added", stdout);
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _processes) process.Kill();
        await _twilio.DisposeAsync();
    }

    [Fact]
    public async Task EachNoticeReachesTwilioExactlyOnce()
    {
        // Every notice written is sent, and several passes later nothing more is written nor sent.
        await NoticeGateway.Eventually(() => Notices() >= 5 && _twilio.Sent.Count == Notices(), "the notices to be written and sent");
        for (var pass = 0; pass < 2; pass++)
        {
            var expires = LeaseExpiry();
            await NoticeGateway.Eventually(() => LeaseExpiry() > expires, "another notice pass");
        }
        await NoticeGateway.Eventually(() => _twilio.Sent.Count == Notices(), "the notices to be sent");

        var sent = _twilio.Sent;
        Assert.Equal(sent.Count, sent.DistinctBy(s => (s.To, s.Body)).Count());
        Assert.All(sent, s => Assert.Equal(NoticeGateway.Sender, s.From));
        Assert.Equal(3, sent.Count(s => s.To == NoticeGateway.Chen));
        Assert.Single(sent, s => s.To == NoticeGateway.Bob);
        Assert.Equal(Notices(), Scalar<long>("SELECT COUNT(DISTINCT (to_number, reason)) FROM outbound_messages WHERE purpose = 'notice'"));
        lock (_log) Assert.DoesNotContain("The notice pass failed", _log.ToString());
    }

    private long Notices() => Scalar<long>("SELECT COUNT(*) FROM outbound_messages WHERE purpose = 'notice'");

    private DateTime LeaseExpiry() =>
        Scalar<DateTime?>("SELECT expires_at FROM leases WHERE name = @name", NoticeScheduler.Lease) ?? DateTime.MinValue;

    private T Scalar<T>(string sql, string? name = null)
    {
        using var db = new NpgsqlConnection(_connectionString);
        return db.ExecuteScalar<T>(sql, new { name })!;
    }
}
