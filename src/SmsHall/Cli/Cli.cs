using System.CommandLine;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using SmsHall.Core.Catalogue;

namespace SmsHall.Cli;

/// <summary>The smshall command line: serve, text, parse, db.</summary>
public static class Cli
{
    public static async Task<int> RunAsync(string[] args, TextWriter? stdout = null, TextWriter? stderr = null, TextReader? stdin = null)
    {
        var console = new CliConsole(stdout ?? Console.Out, stderr ?? Console.Error, stdin ?? Console.In);

        // Plain "smshall" (and "dotnet run") serves; so does "smshall --Twilio:AuthToken=…".
        if (args.Length == 0 || (args[0].StartsWith('-') && args[0] is not ("-h" or "--help" or "-?" or "--version")))
            args = ["serve", .. args];

        var root = new RootCommand("SmsHall: the SMS self-service gateway.")
        {
            ServeCommand.Create(console),
            TextCommand.Create(console),
            ParseCommand.Create(console),
            DbCommand.Create(console),
        };
        var parsed = root.Parse(args);
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = console.Out, Error = console.Error });
        }
        catch (HostAbortedException)
        {
            throw; // a test host took over the app it built; not an error
        }
        catch (Exception e) when (OneLine(e) is { } line)
        {
            console.Error.WriteLine(line);
            return e is CatalogueException or SettingsException or UsageException ? 2 : 1;
        }
    }

    /// <summary>The one line a user mistake deserves; null for a real bug, which keeps its stack trace.</summary>
    private static string? OneLine(Exception e) => e switch
    {
        CatalogueException c => string.Join(Environment.NewLine, c.Problems.Select(p => p.ToString())),
        SettingsException or UsageException => $"error: {e.Message}",
        SqliteException s => $"error: database: {s.Message}",
        IOException or UnauthorizedAccessException => $"error: {e.Message}",
        TimeZoneNotFoundException => $"error: Hall:TimeZone: {e.Message}",
        _ => null,
    };
}

/// <summary>Where the CLI writes and reads; tests pass their own.</summary>
public sealed record CliConsole(TextWriter Out, TextWriter Error, TextReader In);

/// <summary>The command line was used wrongly; the message says how to use it.</summary>
public sealed class UsageException(string message) : Exception(message);
