using System.Text.Json;

namespace SmsHall.Tests;

/// <summary>Operators edit commands.md while the gateway runs: good edits take effect, bad ones are refused.</summary>
public sealed class CatalogueReloadTests : IAsyncLifetime
{
    private const string Alice = "+15550000001";
    private readonly string _catalogue = Path.Combine(Path.GetTempPath(), "smshall-tests", Guid.NewGuid().ToString("N"), "commands.md");
    private TestGateway _gw = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_catalogue)!);
        File.Copy(Repo.CommandsMd, _catalogue);
        _gw = await TestGateway.StartAsync($"--Catalogue:Path={_catalogue}", $"--Operator:ApiKey={TestGateway.OperatorKey}");
    }

    public async Task DisposeAsync()
    {
        await _gw.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(_catalogue)!, recursive: true);
    }

    [Fact]
    public async Task AGoodEditTakesEffectWithoutARestart()
    {
        Assert.StartsWith("Sorry, we did not understand", await _gw.TextAsync(Alice, "SALDO"));

        await EditAsync(t => t.Replace("- en aliases: BAL, CXYE", "- en aliases: BAL, CXYE, SALDO")
            .Replace("- en reply: Your balance is {balance},", "- en reply: You have {balance},"));

        await Eventually(async () => (await _gw.TextAsync(Alice, "SALDO"))!.StartsWith("You have $12.50,"));
        Assert.StartsWith("You have $12.50,", await _gw.TextAsync(Alice, "BAL"));
        var health = await HealthAsync();
        Assert.Equal("ok", health.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ABadEditIsRejectedWithItsLinesAndTheLastGoodCatalogueKeepsAnswering()
    {
        await EditAsync(t => t.Replace("- en aliases: BAL, CXYE", "- en aliases: BAL, CXYE, SALDO")
            .Replace("- en reply: Your balance is {balance},", "- en reply: Your balance is {saldo},"));
        var line = File.ReadAllLines(_catalogue).Select((l, i) => (l, i)).First(x => x.l.Contains("{saldo}")).i + 1;

        await Eventually(async () => (await HealthAsync()).GetProperty("status").GetString() == "degraded");
        var errors = (await HealthAsync()).GetProperty("catalogue").GetProperty("rejected").GetProperty("errors");
        Assert.Contains(errors.EnumerateArray(), e => e.GetString()!.StartsWith($"{_catalogue}:{line}: error: reply 'balance' has no placeholder {{saldo}}"));

        Assert.StartsWith("Your balance is $12.50", await _gw.TextAsync(Alice, "BAL"));
        Assert.StartsWith("Sorry, we did not understand", await _gw.TextAsync(Alice, "SALDO"));

        // Fixing the mistake brings the edit in and clears the warning.
        await EditAsync(t => t.Replace("{saldo}", "{balance}"));
        await Eventually(async () => (await _gw.TextAsync(Alice, "SALDO"))!.StartsWith("Your balance is $12.50"));
        Assert.Equal("ok", (await HealthAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task MessagesKeepBeingAnsweredWhileTheCatalogueIsRewritten()
    {
        using var stop = new CancellationTokenSource();
        var editing = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                await EditAsync(t => t.Replace("Plan {plan}.", i % 2 == 0 ? "Plan: {plan}." : "Plan {plan}."));
                await Task.Delay(50);
            }
        });
        for (var i = 0; i < 40; i++) Assert.StartsWith("Your balance is $12.50", await _gw.TextAsync(Alice, "BAL"));
        await stop.CancelAsync();
        await editing;
    }

    private async Task EditAsync(Func<string, string> edit)
    {
        var text = edit(await File.ReadAllTextAsync(_catalogue));
        await File.WriteAllTextAsync(_catalogue, text);
    }

    // With the operator key: a rejected edit's errors are details.
    private async Task<JsonElement> HealthAsync() => (await _gw.HealthAsync(TestGateway.OperatorKey)).Json;

    // The watcher reacts to the file system within a second or so; give it up to ten.
    private static async Task Eventually(Func<Task<bool>> condition)
    {
        for (var waited = TimeSpan.Zero; waited < TimeSpan.FromSeconds(10); waited += TimeSpan.FromMilliseconds(100))
        {
            if (await condition()) return;
            await Task.Delay(100);
        }
        Assert.Fail("the catalogue edit did not take effect within 10 s");
    }
}
