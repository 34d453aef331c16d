using System.CommandLine;
using SmsHall.Core.Catalogue;

namespace SmsHall.Cli;

/// <summary>The smshall command line: serve, text, parse, db, catalogue, log, replay.</summary>
public static class Cli
{
    public static async Task<int> RunAsync(
        string[] args, TextWriter? stdout = null, TextWriter? stderr = null, TextReader? stdin = null, CancellationToken ct = default)
    {
        var (commandArgs, settings) = Settings.Split(args);
        var console = new CliConsole(stdout ?? Console.Out, stderr ?? Console.Error, stdin ?? Console.In, settings);

        // Plain "smshall" (and "dotnet run") serves, with or without settings and serve's own options.
        if (commandArgs.Length == 0 || commandArgs[0] == "--demo") commandArgs = ["serve", .. commandArgs];

        var root = new RootCommand("SmsHall: the SMS self-service gateway. Settings go anywhere as --Section:Key=value.")
        {
            ServeCommand.Create(console),
            TextCommand.Create(console),
            ParseCommand.Create(console),
            DbCommand.Create(console),
            CatalogueCommand.Create(console),
            LogCommand.Create(console),
            ReplayCommand.Create(console),
            OperatorCommand.Create(console),
            TicketsCommand.Create(console),
        };
        var parsed = root.Parse(commandArgs);
        if (parsed.Errors.Count > 0)
        {
            var errors = string.Join(" ", parsed.Errors.Select(e => e.Message));
            console.Error.WriteLine($"error: {errors} (see '{CommandPath(parsed.CommandResult)} --help')");
            return 2;
        }
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = console.Out, Error = console.Error, EnableDefaultExceptionHandler = false }, ct);
        }
        catch (Exception e) when (OneLine(e) is { } line)
        {
            // The line may quote an input (a file name, a malformed line): escapes are shown, not sent.
            console.Error.WriteLine(Printable.Text(line, keepLineBreaks: true));
            // 2: the command line, a setting, the catalogue or a replay input is wrong; 1: the database or a file could not be used.
            return e is CatalogueException or SettingsException or UsageException or Replay.BadInputException ? 2 : 1;
        }
    }

    /// <summary>A command running on a stored catalogue version because the file is not usable says so, once.</summary>
    internal static void WarnIfDegraded(CliConsole console, LiveCatalogue live, string path)
    {
        if (live.Current.Rejected is not { } rejected) return;
        console.Error.WriteLine($"warning: {rejected.Problems.FirstOrDefault()?.ToString() ?? path}; using stored catalogue version {live.Current.Version}");
    }

    /// <summary>The setting that says where the database is, to name in an error.</summary>
    internal static string DatabaseSetting(Core.Ports.IStorageAdmin db) => db.LocalFile is null ? "Database:ConnectionString" : "Database:Path";

    private static string CommandPath(System.CommandLine.Parsing.CommandResult? result) =>
        result?.Parent is System.CommandLine.Parsing.CommandResult parent
            ? $"{CommandPath(parent)} {result.Command.Name}"
            : "smshall";

    /// <summary>The one line a user mistake deserves; null for a real bug, which keeps its stack trace.</summary>
    private static string? OneLine(Exception e) => e switch
    {
        CatalogueException c => string.Join(Environment.NewLine, c.Problems.Select(p => p.ToString())),
        SettingsException or UsageException or Replay.BadInputException => $"error: {e.Message}",
        System.Data.Common.DbException or Core.StorageUnavailableException => $"error: database: {e.Message}",
        Core.Ports.ProductInUseException => $"error: {e.Message}",
        IOException or UnauthorizedAccessException => $"error: {e.Message}",
        _ => null,
    };
}

/// <summary>Where the CLI writes and reads, and the settings given on its command line; tests pass their own.</summary>
public sealed record CliConsole(TextWriter Out, TextWriter Error, TextReader In, IReadOnlyList<string> Settings);

/// <summary>The command line was used wrongly; the message says how to use it.</summary>
public sealed class UsageException(string message) : Exception(message);
