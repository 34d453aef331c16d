namespace SmsHall.Tests;

/// <summary>
/// <c>smshall catalogue publish|history|rollback</c>: a version published from the command line is
/// what the running gateway answers with, without a restart, and an earlier one can come back.
/// </summary>
public sealed class CataloguePublishTests : IAsyncLifetime
{
    private const string Alice = "+15550000001";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "smshall-tests", Guid.NewGuid().ToString("N"));
    private TestGateway _gw = null!;

    private string Edited => Path.Combine(_folder, "edited.md");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Edited, File.ReadAllText(Repo.CommandsMd).Replace("- en reply: Your balance is {balance},", "- en reply: You have {balance},"));
        _gw = await TestGateway.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _gw.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private Task<(int Exit, string Out, string Err)> Smshall(params string[] args) =>
        CliRun.RunAsync([$"--Database:Path={_gw.DatabasePath}", $"--Catalogue:Path={Repo.CommandsMd}"], "", args);

    [Fact]
    public async Task APublishedVersionIsServedAtOnceAndARollbackBringsTheOldOneBack()
    {
        var first = (await _gw.HealthAsync()).Json.GetProperty("catalogue").GetProperty("version").GetInt64();
        Assert.StartsWith("Your balance is $12.50", await _gw.TextAsync(Alice, "BAL"));

        var published = await Smshall("catalogue", "publish", Edited, "--note", "shorter balance reply");
        Assert.Equal(0, published.Exit);
        Assert.Equal($"{Edited}: published as catalogue version {first + 1}; every node switches to it", published.Out.Trim());
        await Eventually(async () => (await _gw.TextAsync(Alice, "BAL"))!.StartsWith("You have $12.50"));
        Assert.Equal(first + 1, (await _gw.HealthAsync()).Json.GetProperty("catalogue").GetProperty("version").GetInt64());

        // Publishing what is already newest stores nothing.
        Assert.Contains("nothing published", (await Smshall("catalogue", "publish", Edited)).Out);

        var rollback = await Smshall("catalogue", "rollback", first.ToString());
        Assert.Equal(0, rollback.Exit);
        await Eventually(async () => (await _gw.TextAsync(Alice, "BAL"))!.StartsWith("Your balance is $12.50"));

        var history = (await Smshall("catalogue", "history")).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("VERSION", history[0]);
        Assert.Matches($@"^\s*{first + 2}  .* rollback .*  rollback to version {first}$", history[1]);
        Assert.Matches($@"^\s*{first + 1}  .* publish  .*  shorter balance reply$", history[2]);
        Assert.Matches($@"^\s*{first}  .* file ", history[3]);
    }

    [Fact]
    public async Task ACatalogueThatFailsItsCheckIsNotPublished()
    {
        File.WriteAllText(Edited, File.ReadAllText(Repo.CommandsMd).Replace("{balance}, valid", "{saldo}, valid"));
        var (exit, _, stderr) = await Smshall("catalogue", "publish", Edited);
        Assert.Equal(1, exit);
        Assert.Contains("error: reply 'balance' has no placeholder {saldo}", stderr);
        Assert.Contains("not published", stderr);
        Assert.Equal(2, (await Smshall("catalogue", "history")).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // the header and the file's version

        var missing = await Smshall("catalogue", "rollback", "99");
        Assert.Equal(2, missing.Exit);
        Assert.Equal("error: there is no catalogue version 99 (see 'smshall catalogue history')", missing.Err.Trim());
    }

    /// <summary>Tests wait for a switch up to 30 s; it takes a couple of seconds at most (measured by benchmarks, not here).</summary>
    internal static async Task Eventually(Func<Task<bool>> condition)
    {
        for (var waited = TimeSpan.Zero; waited < TimeSpan.FromSeconds(30); waited += TimeSpan.FromMilliseconds(100))
        {
            if (await condition()) return;
            await Task.Delay(100);
        }
        Assert.Fail("the published catalogue was not served within 30 s");
    }
}
