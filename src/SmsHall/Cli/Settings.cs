namespace SmsHall.Cli;

/// <summary>
/// Configuration for the CLI commands, read the same way as the gateway's: appsettings.json in the
/// working directory, then environment variables (Twilio__AuthToken), then --Key=value arguments.
/// </summary>
public static class Settings
{
    public static IConfiguration Read(IEnumerable<string> overrides) =>
        new ConfigurationBuilder()
            .SetBasePath(Directory.GetCurrentDirectory())
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(overrides.ToArray())
            .Build();

    /// <summary>Services for a CLI command, optionally with a clock of its own (--now).</summary>
    public static ServiceProvider Services(IEnumerable<string> overrides, TimeProvider? clock = null)
    {
        var services = new ServiceCollection();
        if (clock is not null) services.AddSingleton(clock);
        services.AddSmsHall(Read(overrides));
        return services.BuildServiceProvider();
    }
}

/// <summary>A clock that always says the same time: <c>--now</c> for parse, replay and tests.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
