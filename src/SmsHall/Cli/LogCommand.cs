using System.CommandLine;
using System.Globalization;
using SmsHall.Core.Catalogue;
using SmsHall.Core.Grammar;
using SmsHall.Storage;

namespace SmsHall.Cli;

/// <summary><c>smshall log unmatched</c>: what subscribers really type that the catalogue does not understand yet.</summary>
public static class LogCommand
{
    public static System.CommandLine.Command Create(CliConsole console)
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
            var from = Since(result.GetValue(since));
            var count = result.GetValue(top);
            if (count < 1) throw new UsageException($"--top must be 1 or more, not {count}");

            using var services = Settings.Services(console.Settings);
            services.GetRequiredService<Database>().Migrate();
            var catalogue = services.GetRequiredService<LiveCatalogue>().Catalogue;
            var rows = await services.GetRequiredService<MessageLogReports>().UnmatchedAsync(from, count, ct);
            if (rows.Count == 0)
            {
                console.Out.WriteLine("No unmatched messages" + (from is null ? "." : $" since {result.GetValue(since)}."));
                return 0;
            }
            // A message that normalises to nothing (emoji, punctuation) is shown as it was sent.
            var shown = rows.Select(r => (Row: r, Text: r.Normalised.Length == 0 ? $"({r.Example.Trim()})" : r.Normalised)).ToList();
            var width = Math.Clamp(shown.Max(s => s.Text.Length), "MESSAGE".Length, 40);
            console.Out.WriteLine($"{"COUNT",5}  {"MESSAGE".PadRight(width)}  CLOSEST");
            foreach (var (row, text) in shown)
            {
                var closest = CommandGrammar.Closest(row.Normalised, catalogue, 2);
                console.Out.WriteLine($"{row.Count,5}  {Cut(text, width).PadRight(width)}  {(closest.Count == 0 ? "-" : string.Join(", ", closest))}");
            }
            return 0;
        });
        return new System.CommandLine.Command("log", "Read the message log.") { unmatched };
    }

    private static DateTimeOffset? Since(string? text)
    {
        if (text is null) return null;
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
            : throw new UsageException($"--since must be a date like 2026-11-01, not '{text}'");
    }

    private static string Cut(string text, int width) => text.Length <= width ? text : text[..(width - 3)] + "...";
}
