using System.CommandLine;
using SmsHall.Core;
using SmsHall.Core.Catalogue;
using SmsHall.Core.Grammar;
using SmsHall.Core.Ports;
using SmsHall.Storage;

namespace SmsHall.Cli;

/// <summary>
/// <c>smshall log unmatched</c>: what subscribers really type that the catalogue does not understand yet.
/// <c>smshall log export</c>: the message log as JSON Lines, for <c>smshall replay</c>.
/// </summary>
public static class LogCommand
{
    public static System.CommandLine.Command Create(CliConsole console) =>
        new("log", "Read the message log.") { Unmatched(console), Export(console) };

    private static System.CommandLine.Command Unmatched(CliConsole console)
    {
        var since = new Option<string?>("--since") { Description = "Only messages received on or after this date (YYYY-MM-DD)" };
        var top = new Option<int>("--top") { Description = "How many messages to list", DefaultValueFactory = _ => 20 };
        var unmatched = new System.CommandLine.Command("unmatched",
            "List the most frequent messages that were not understood or needed a clarification, with the closest commands.")
        {
            since, top,
        };
        unmatched.SetAction(async (result, ct) =>
        {
            var count = result.GetValue(top);
            if (count < 1) throw new UsageException($"--top must be 1 or more, not {count}");

            using var services = Settings.Services(console.Settings);
            var from = Times.Parse(result.GetValue(since), "--since", services.GetRequiredService<HallOptions>().TimeZoneInfo);
            services.GetRequiredService<IStorageAdmin>().Migrate();
            var source = services.GetRequiredService<CatalogueSource>();
            var live = source.Start(store: false);
            Cli.WarnIfDegraded(console, live, source.Path);
            var catalogue = live.Catalogue;
            var rows = await services.GetRequiredService<IOperatorQueries>().UnmatchedAsync(from, count, ct);
            if (rows.Count == 0)
            {
                console.Out.WriteLine("No unmatched messages" + (from is null ? "." : $" since {result.GetValue(since)}."));
                return 0;
            }
            // A message that normalises to nothing (emoji, punctuation) is shown as it was sent.
            var shown = rows.Select(r => (Row: r, Text: Printable.Text(r.Normalised.Length == 0 ? $"({r.Example.Trim()})" : r.Normalised))).ToList();
            var width = Math.Clamp(shown.Max(s => s.Text.Length), "MESSAGE".Length, 40);
            console.Out.WriteLine($"{"COUNT",5}  {"MESSAGE".PadRight(width)}  CLOSEST");
            foreach (var (row, text) in shown)
            {
                var closest = CommandGrammar.Closest(row.Normalised, catalogue, 2);
                console.Out.WriteLine($"{row.Count,5}  {Cut(text, width).PadRight(width)}  {(closest.Count == 0 ? "-" : string.Join(", ", closest))}");
            }
            return 0;
        });
        return unmatched;
    }

    private static System.CommandLine.Command Export(CliConsole console)
    {
        var since = new Option<string?>("--since") { Description = "From this day (YYYY-MM-DD, the hall's time zone) or instant (ISO 8601)" };
        var until = new Option<string?>("--until") { Description = "Up to and including this day, or up to (not including) this instant" };
        var number = new Option<string?>("--number") { Description = "Only the messages of this number, e.g. +15550000001" };
        var output = new Option<string?>("--out") { Description = "The file to write (default: standard output)" };
        var force = new Option<bool>("--force") { Description = "Write --out even over another SQLite database (never over the live one)" };
        var export = new System.CommandLine.Command("export",
            "Write the message log as JSON Lines (each inbound message, then its reply), oldest first, for smshall replay.")
        {
            since, until, number, output, force,
        };
        export.SetAction((result, ct) =>
        {
            using var services = Settings.Services(console.Settings);
            var zone = services.GetRequiredService<HallOptions>().TimeZoneInfo;
            var from = Times.Parse(result.GetValue(since), "--since", zone);
            var to = Times.Parse(result.GetValue(until), "--until", zone, endOfDay: true);
            if (from is not null && to is not null && to <= from) throw new UsageException("--until must come after --since");
            var db = services.GetRequiredService<IStorageAdmin>();
            var outputs = new OutputFiles(result.GetValue(force));
            if (db.LocalFile is { } live) outputs.Protect(live, "the live database (Database:Path)");
            outputs.Check(result.GetValue(output), "--out");
            if (!db.Exists()) throw new IOException($"{Cli.DatabaseSetting(db)}: there is no database at {db.Location}");
            db.Migrate();
            var exporter = new LogExportWriter(services.GetRequiredService<ILogExport>());
            var who = result.GetValue(number)?.Trim();

            if (result.GetValue(output) is not { } path)
            {
                var written = exporter.Write(console.Out, from, to, who, ct);
                console.Error.WriteLine($"{written} message(s) exported");
                return Task.FromResult(0);
            }
            var count = 0;
            WholeFile.Write(path, (Stream stream) =>
            {
                using var file = new StreamWriter(stream, new System.Text.UTF8Encoding(false));
                count = exporter.Write(file, from, to, who, ct);
            });
            console.Out.WriteLine($"{path}: {count} message(s) exported");
            return Task.FromResult(0);
        });
        return export;
    }

    private static string Cut(string text, int width) => text.Length <= width ? text : text[..(width - 3)] + "...";
}
