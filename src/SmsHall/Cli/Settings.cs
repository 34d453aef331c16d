namespace SmsHall.Cli;

/// <summary>
/// Configuration for the CLI commands, read the same way as the gateway's: appsettings.json in the
/// working directory, then environment variables (Twilio__AuthToken), then --Key=value arguments.
/// </summary>
public static class Settings
{
    /// <summary>
    /// Separates settings (<c>--Twilio:AuthToken=x</c>, <c>--urls=http://…</c> or <c>--urls http://…</c>)
    /// from the command's own words, so a setting can go anywhere without becoming part of a message.
    /// </summary>
    public static (string[] Command, string[] Settings) Split(IReadOnlyList<string> args)
    {
        var command = new List<string>();
        var settings = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--urls" && i + 1 < args.Count)
            {
                settings.Add($"--urls={args[++i]}");
            }
            else if (arg.StartsWith("--urls=", StringComparison.Ordinal) || IsSectionSetting(arg))
            {
                settings.Add(arg);
            }
            else
            {
                command.Add(arg);
            }
        }
        return ([.. command], [.. settings]);
    }

    private static bool IsSectionSetting(string arg)
    {
        var equals = arg.IndexOf('=');
        return arg.StartsWith("--", StringComparison.Ordinal) && equals > 2 && arg.IndexOf(':', 2, equals - 2) > 2;
    }

    public static IConfiguration Read(IEnumerable<string> overrides) =>
        new ConfigurationBuilder()
            .SetBasePath(Directory.GetCurrentDirectory())
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(overrides.ToArray())
            .Build();

    /// <summary>Services for a CLI command, with its settings checked.</summary>
    public static ServiceProvider Services(IEnumerable<string> overrides)
    {
        var services = new ServiceCollection();
        services.AddSmsHall(Read(overrides));
        var provider = services.BuildServiceProvider();
        Gateway.CheckSettings(provider);
        return provider;
    }
}
