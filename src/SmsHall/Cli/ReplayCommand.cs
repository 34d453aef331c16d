using System.CommandLine;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using SmsHall.Core;
using SmsHall.Core.Catalogue;
using SmsHall.Core.Ports;
using SmsHall.Replay;
using Spectre.Console;

namespace SmsHall.Cli;

/// <summary>
/// <c>smshall replay</c>: recorded traffic (or hand-written scripts) run again through the webhook's
/// pipeline, each reply compared with the one recorded. Exit 0: nothing changed; 1: something did;
/// 2: the input could not be read.
/// </summary>
public static class ReplayCommand
{
    public static System.CommandLine.Command Create(CliConsole console)
    {
        var inputs = new Argument<string[]>("input")
        {
            Description = "Files to replay: smshall log export JSON Lines, a Twilio message log CSV, or *.sms scripts",
            Arity = ArgumentArity.OneOrMore,
        };
        var format = new Option<string?>("--format") { Description = "log, twilio-csv or script (default: told from each file)" };
        var db = new Option<string?>("--db") { Description = "A database snapshot to start from; it is copied, never modified (default: fresh demo data)" };
        var catalogue = new Option<string?>("--catalogue") { Description = "Replay with this commands.md instead of Catalogue:Path" };
        var ignore = new Option<string[]>("--ignore") { Description = "A regular expression for volatile parts to mask before comparing (repeatable)", AllowMultipleArgumentsPerToken = false };
        var junit = new Option<string?>("--junit") { Description = "Write a JUnit XML report: one test case per conversation" };
        var html = new Option<string?>("--html") { Description = "Write a self-contained HTML report" };
        var skip = new Option<bool>("--skip-bad-lines") { Description = "Carry on past malformed lines, counting them" };
        var keep = new Option<string?>("--keep-db") { Description = "Keep the database as the replay left it (logs, not scripts), to look into" };
        var force = new Option<bool>("--force") { Description = "Write outputs even over another SQLite database or an input (never over --db or the live database)" };
        var show = new Option<int>("--show") { Description = "How many differing turns to print", DefaultValueFactory = _ => 20 };
        var command = new System.CommandLine.Command("replay",
            "Replay recorded messages through the gateway's pipeline and report the replies that would change.")
        {
            inputs, format, db, catalogue, ignore, junit, html, skip, show, keep, force,
        };
        command.SetAction(async (result, ct) =>
        {
            using var services = Settings.Services(console.Settings);
            var cataloguePath = result.GetValue(catalogue) ?? services.GetRequiredService<IOptions<CatalogueOptions>>().Value.Path;
            var budget = services.GetRequiredService<IOptions<CatalogueOptions>>().Value.SegmentBudget;
            var snapshot = result.GetValue(db);
            if (snapshot is not null && !File.Exists(snapshot)) throw new BadInputException(snapshot, 0, "no such database file (--db)");
            if (result.GetValue(show) < 0) throw new UsageException("--show must be 0 or more");
            CheckOutputs(result, services, snapshot, cataloguePath, inputs, keep, junit, html, force);

            var files = result.GetValue(inputs)!.Select(path => ReplayInput.Open(path, Format(result.GetValue(format)))).ToList();
            var settings = new ReplaySettings(
                snapshot,
                CommandCatalogue.Load(cataloguePath, budget),
                services.GetRequiredService<HallOptions>(),
                new ReplyMatcher((result.GetValue(ignore) ?? []).Select(Pattern).ToList()),
                services.GetRequiredService<TimeProvider>().GetUtcNow(),
                Path.GetTempPath(),
                result.GetValue(keep));
            if (settings.KeepDatabase is not null && files.Any(f => f.Format == InputFormat.Script))
                throw new UsageException("--keep-db keeps the database of a log replay; each script case has a database of its own");
            var bad = new BadLines(result.GetValue(skip));
            var trackConversations = result.GetValue(junit) is not null;
            var replayer = new Replayer(settings);

            var interactive = ReferenceEquals(console.Out, Console.Out) && !Console.IsOutputRedirected && !Console.IsErrorRedirected;
            var ansi = Terminal(console.Out, interactive);
            ReplayReport report;
            if (interactive)
            {
                report = null!;
                await ansi.Progress()
                    .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .StartAsync(async progress =>
                    {
                        var task = progress.AddTask("replaying", maxValue: 1);
                        report = await replayer.RunAsync(files, bad, trackConversations, (r, f) =>
                        {
                            task.Value = f;
                            task.Description = Markup.Escape(ConsoleReport.Progress(r, f));
                        }, ct);
                    });
            }
            else
            {
                // Plain lines, every few seconds, on standard error: standard output is the report.
                var every = Stopwatch.StartNew();
                report = await replayer.RunAsync(files, bad, trackConversations, (r, f) =>
                {
                    if (every.Elapsed < TimeSpan.FromSeconds(2) && f < 1) return;
                    every.Restart();
                    console.Error.WriteLine(ConsoleReport.Progress(r, f));
                }, ct);
            }

            ConsoleReport.Write(ansi, report, result.GetValue(show));
            if (result.GetValue(junit) is { } junitPath)
            {
                JUnitReport.Write(junitPath, report);
                console.Out.WriteLine($"JUnit report: {junitPath}");
            }
            if (result.GetValue(html) is { } htmlPath)
            {
                HtmlReport.Write(htmlPath, report);
                console.Out.WriteLine($"HTML report: {htmlPath}");
            }
            return report.AnythingChanged ? 1 : 0;
        });
        return command;
    }

    /// <summary>Before anything runs: no output may land on a database or an input (see <see cref="OutputFiles"/>).</summary>
    private static void CheckOutputs(
        ParseResult result, IServiceProvider services, string? snapshot, string cataloguePath, Argument<string[]> inputs,
        Option<string?> keep, Option<string?> junit, Option<string?> html, Option<bool> force)
    {
        var outputs = new OutputFiles(result.GetValue(force)).Input(cataloguePath, "the catalogue this replay reads");
        if (services.GetRequiredService<IStorageAdmin>().LocalFile is { } live) outputs.Protect(live, "the live database (Database:Path)");
        if (snapshot is not null) outputs.Protect(snapshot, "the --db snapshot this replay starts from");
        foreach (var input in result.GetValue(inputs)!) outputs.Input(input, "an input of this replay");
        outputs.Check(result.GetValue(keep), "--keep-db");
        outputs.Check(result.GetValue(junit), "--junit");
        outputs.Check(result.GetValue(html), "--html");
    }

    private static InputFormat? Format(string? text) => text?.ToLowerInvariant() switch
    {
        null => null,
        "log" or "jsonl" => InputFormat.Log,
        "twilio-csv" or "csv" => InputFormat.TwilioCsv,
        "script" or "sms" => InputFormat.Script,
        _ => throw new UsageException($"--format must be log, twilio-csv or script, not '{text}'"),
    };

    private static Regex Pattern(string text)
    {
        try
        {
            return new Regex(text, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--ignore '{text}' is not a regular expression: {e.Message}");
        }
    }

    /// <summary>Spectre.Console on the CLI's own output: colours and live progress on a terminal, plain text elsewhere.</summary>
    private static IAnsiConsole Terminal(TextWriter output, bool interactive)
    {
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (!interactive) ansi.Profile.Width = 160;
        return ansi;
    }
}
