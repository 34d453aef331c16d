using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace SmsHall.Tests;

/// <summary>
/// No catalogue file takes the hall down: one too large is not read, one that is not UTF-8 is an
/// error with its line, and the last catalogue that passed is stored, so a node (and the CLI) starts
/// from it when the file on disk is rejected, deleted or unreadable, reporting "degraded".
/// </summary>
public sealed class CatalogueSafetyTests : IDisposable
{
    private const string Alice = "+15550000001";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "smshall-tests", "cat-" + Guid.NewGuid().ToString("N"));
    private readonly string _catalogue;
    private readonly string _db;

    public CatalogueSafetyTests()
    {
        Directory.CreateDirectory(_folder);
        _catalogue = Path.Combine(_folder, "commands.md");
        _db = Path.Combine(_folder, "hall.db");
        File.Copy(Repo.CommandsMd, _catalogue);
    }

    private Task<TestGateway> StartAsync(params string[] settings) =>
        TestGateway.StartAsync([$"--Catalogue:Path={_catalogue}", $"--Database:Path={_db}", .. settings]);

    private Task<(int Exit, string Out, string Err)> Run(params string[] args) =>
        CliRun.RunAsync([$"--Database:Path={_db}", $"--Catalogue:Path={_catalogue}"], "", args);

    private static async Task<JsonElement> HealthAsync(TestGateway gw) =>
        JsonDocument.Parse(await gw.Http.GetStringAsync("/health")).RootElement;

    private static async Task<string?> StatusAsync(TestGateway gw) => (await HealthAsync(gw)).GetProperty("status").GetString();

    private static long? VersionOf(JsonElement health) =>
        health.GetProperty("catalogue").GetProperty("version") is { ValueKind: JsonValueKind.Number } v ? v.GetInt64() : null;

    /// <summary>A catalogue whose English balance reply has bytes that are not UTF-8, and that line's number.</summary>
    private int WriteInvalidUtf8()
    {
        var lines = File.ReadAllLines(Repo.CommandsMd);
        var line = Array.FindIndex(lines, l => l.StartsWith("- en reply: Your balance is {balance},", StringComparison.Ordinal));
        using var file = File.Create(_catalogue);
        for (var i = 0; i < lines.Length; i++)
        {
            file.Write(Encoding.UTF8.GetBytes(lines[i]));
            if (i == line) file.Write([0xC3, 0x28, 0xFF]); // a broken two-byte sequence and a byte UTF-8 never uses
            file.WriteByte((byte)'\n');
        }
        return line + 1;
    }

    private void WriteTooLarge() => File.WriteAllText(_catalogue, File.ReadAllText(Repo.CommandsMd) + new string('#', 200_000));

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        for (var waited = TimeSpan.Zero; waited < TimeSpan.FromSeconds(30); waited += TimeSpan.FromMilliseconds(100))
        {
            if (await condition()) return;
            await Task.Delay(100);
        }
        Assert.Fail("the gateway did not take in the catalogue change within 30 s");
    }

    private long StoredVersions()
    {
        using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_db};Pooling=False");
        return c.ExecuteScalar<long>("SELECT COUNT(*) FROM catalogue_versions");
    }

    [Fact]
    public async Task ACatalogueOverMaxBytesIsNotReadAndWithNothingStoredServeStopsWithOneLine()
    {
        WriteTooLarge();
        var (exit, _, stderr) = await Run("serve", "--urls=http://127.0.0.1:0", "--Twilio:AuthToken=x", "--Catalogue:MaxBytes=100000");
        Assert.Equal(2, exit);
        var line = Assert.Single(stderr.Trim().Split('\n'));
        Assert.Equal($"{_catalogue}: error: the file is larger than Catalogue:MaxBytes (100,000 bytes); it is not read", line);
    }

    [Fact]
    public async Task ARunningGatewayRefusesAnOversizedCatalogueAndKeepsAnswering()
    {
        await using var gw = await StartAsync("--Catalogue:MaxBytes=100000");
        WriteTooLarge();
        await Eventually(async () => await StatusAsync(gw) == "degraded");
        Assert.StartsWith("Your balance is $12.50", await gw.TextAsync(Alice, "BAL"));
    }

    [Fact]
    public async Task InvalidUtf8IsACatalogueErrorWithItsLine()
    {
        var line = WriteInvalidUtf8();
        var (exit, stdout, _) = await Run("catalogue", "check");
        Assert.Equal(1, exit);
        Assert.Contains($"{_catalogue}:{line}: error: not valid UTF-8 (save the file as UTF-8)", stdout);
    }

    [Fact]
    public async Task AnEditThatIsNotUtf8IsRejectedAndSubscribersNeverSeeReplacementCharacters()
    {
        await using var gw = await StartAsync();
        WriteInvalidUtf8();
        await Eventually(async () => await StatusAsync(gw) == "degraded");
        var reply = await gw.TextAsync(Alice, "BAL");
        Assert.StartsWith("Your balance is $12.50", reply);
        Assert.DoesNotContain('\uFFFD', reply!);
    }

    [Fact]
    public async Task ARejectedFileLeftOnDiskDoesNotKeepTheNextStartFromServing()
    {
        long? version;
        await using (var first = await StartAsync())
        {
            version = VersionOf(await HealthAsync(first));
            Assert.NotNull(version);
        }
        File.WriteAllText(_catalogue, File.ReadAllText(Repo.CommandsMd).Replace("{balance}", "{saldo}"));

        await using var second = await StartAsync();
        var health = await HealthAsync(second);
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        Assert.Equal(version, VersionOf(health));
        Assert.StartsWith("Your balance is $12.50", await second.TextAsync(Alice, "BAL"));
    }

    [Fact]
    public async Task ADeletedCatalogueIsDegradedNotOk()
    {
        await using var gw = await StartAsync();
        Assert.Equal("ok", await StatusAsync(gw));
        File.Delete(_catalogue);
        await Eventually(async () => await StatusAsync(gw) == "degraded");
        Assert.StartsWith("Your balance is $12.50", await gw.TextAsync(Alice, "BAL"));

        // Put back as it was: healthy again, with no new version.
        File.Copy(Repo.CommandsMd, _catalogue);
        await Eventually(async () => await StatusAsync(gw) == "ok");
        Assert.Equal(1, StoredVersions());
    }

    [Fact]
    public async Task OnlyAGoodChangedFileBecomesANewVersion()
    {
        await using (var gw = await StartAsync())
        {
            File.WriteAllText(_catalogue, File.ReadAllText(Repo.CommandsMd).Replace("Your balance is {balance},", "You have {balance},"));
            await Eventually(async () => (await gw.TextAsync(Alice, "BAL"))!.StartsWith("You have $12.50", StringComparison.Ordinal));
            Assert.Equal(2, VersionOf(await HealthAsync(gw)));
            File.WriteAllText(_catalogue, File.ReadAllText(_catalogue)); // saved again, unchanged
            File.WriteAllText(_catalogue, File.ReadAllText(Repo.CommandsMd).Replace("{balance}", "{saldo}")); // rejected
            await Eventually(async () => await StatusAsync(gw) == "degraded");
        }
        Assert.Equal(2, StoredVersions());

        // A restart with the edit rejected serves version 2; the CLI reads traffic with it too, and says so.
        await using (var gw = await StartAsync())
        {
            Assert.Equal(2, VersionOf(await HealthAsync(gw)));
            // A sid of its own: the first gateway's sids were counted from 1 too, and would be redeliveries.
            Assert.StartsWith("You have $12.50", await gw.TextAsync(Alice, "BAL", $"SM{Guid.NewGuid():N}"));
        }
        var text = await Run("text", Alice, "bal");
        Assert.Equal(0, text.Exit);
        Assert.StartsWith("You have $12.50", text.Out);
        Assert.StartsWith($"warning: {_catalogue}:", text.Err);
        Assert.Contains("using stored catalogue version 2", text.Err);

        var parse = await Run("parse", "bal");
        Assert.Equal(0, parse.Exit);
        Assert.Contains("\"command\":\"balance\"", parse.Out);
        Assert.Contains("using stored catalogue version 2", parse.Err);

        var unmatched = await Run("log", "unmatched");
        Assert.Equal(0, unmatched.Exit);
        Assert.Contains("using stored catalogue version 2", unmatched.Err);
        Assert.Equal(2, StoredVersions());
    }

    [Fact]
    public async Task WithNoStoredVersionTheCliRefusesARejectedFileWithItsLine()
    {
        File.WriteAllText(_catalogue, File.ReadAllText(Repo.CommandsMd).Replace("{balance}", "{saldo}"));
        var (exit, _, stderr) = await Run("parse", "bal");
        Assert.Equal(2, exit);
        Assert.Contains($"{_catalogue}:", stderr);
        Assert.Contains("{saldo}", stderr);
        Assert.False(File.Exists(_db));
    }

    [Fact]
    public async Task ABackgroundServiceThatFailsStopsTheGatewayWithAFailureExitCode()
    {
        var app = Gateway.Build(
            ["--urls=http://127.0.0.1:0", $"--Database:Path={_db}", $"--Catalogue:Path={_catalogue}", "--Twilio:AuthToken=x", "--Logging:LogLevel:Default=None"],
            services => services.AddHostedService<Failing>());
        Gateway.Prepare(app.Services);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.Equal(1, await Gateway.ServeAsync(app, timeout.Token));
        Assert.False(timeout.IsCancellationRequested);
    }

    private sealed class Failing : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Delay(100, stoppingToken);
            throw new InvalidOperationException("the outbox table is gone");
        }
    }

    public void Dispose()
    {
        TestGateway.DeleteDatabase(_db);
        Directory.Delete(_folder, recursive: true);
    }
}
