using System.Globalization;
using Spectre.Console;

namespace SmsHall.Replay;

/// <summary>The report on the terminal: a summary table by command, then each differing turn, recorded against now.</summary>
public static class ConsoleReport
{
    public static void Write(IAnsiConsole console, ReplayReport report, int show)
    {
        var table = new Table().Border(TableBorder.Simple).Title("Replay by command");
        table.AddColumn("command");
        table.AddColumn(new TableColumn("messages").RightAligned());
        foreach (var outcome in Enum.GetValues<Outcome>()) table.AddColumn(new TableColumn(ReplayReport.Label(outcome)).RightAligned());
        foreach (var (command, counts) in report.ByCommand)
        {
            table.AddRow([Shown(command), Number(counts.Sum()), .. counts.Select((n, i) => Cell(n, (Outcome)i))]);
        }
        table.AddRow(["[bold]all[/]", $"[bold]{Number(report.Messages)}[/]", .. report.Totals.Select((n, i) => Cell(n, (Outcome)i))]);
        console.Write(table);

        var shown = report.Differences.Take(show).ToList();
        foreach (var result in shown)
        {
            var turn = result.Turn;
            console.WriteLine();
            console.MarkupLine($"[bold]{Markup.Escape(ReplayReport.Label(result.Outcome))}[/]  {Shown(turn.Source)}  {Shown(turn.Message.From)}  {turn.Message.ReceivedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}  {Shown(result.Command)}");
            console.MarkupLine($"  [grey]>[/] {Shown(turn.Message.Body, keepLineBreaks: true)}");
            console.MarkupLine($"  [red]recorded:[/] {Shown(Indent(turn.Recorded.ToString()), keepLineBreaks: true)}");
            console.MarkupLine($"  [green]now:     [/] {Shown(Indent(result.Error ?? result.Now ?? "(no reply)"), keepLineBreaks: true)}");
        }
        var more = report.Differences.Count - shown.Count + report.DifferencesLeftOut;
        if (more > 0)
        {
            console.WriteLine();
            console.MarkupLine($"… and {Number(more)} more differing turn(s); --html writes them all to one page, --show N prints more here.");
        }

        console.WriteLine();
        if (report.BadLines > 0)
        {
            console.MarkupLine($"[yellow]{Number(report.BadLines)} bad line(s) skipped[/], the first:");
            foreach (var example in report.BadLineExamples.Take(3)) console.MarkupLine($"  {Shown(example)}");
        }
        console.MarkupLine(Markup.Escape(Summary(report)));
    }

    /// <summary>The last line: how much, how fast, and the outcome counts.</summary>
    public static string Summary(ReplayReport report)
    {
        var seconds = Math.Max(report.Elapsed.TotalSeconds, 1e-6);
        var outcomes = string.Join(", ", Enum.GetValues<Outcome>().Select(o => $"{Number(report.Count(o))} {ReplayReport.Label(o)}"));
        return $"{Number(report.Messages)} message(s) replayed in {report.Elapsed.TotalSeconds:0.0} s ({Number((int)(report.Messages / seconds))}/s): {outcomes}";
    }

    /// <summary>A progress line for output that is not a terminal.</summary>
    public static string Progress(ReplayReport report, double fraction) =>
        $"replay: {fraction:P0}, {Number(report.Messages)} message(s): " +
        string.Join(", ", Enum.GetValues<Outcome>().Select(o => $"{Number(report.Count(o))} {ReplayReport.Label(o)}"));

    private static string Cell(int count, Outcome outcome) =>
        count == 0 || outcome == Outcome.Same ? Number(count) : $"[{(outcome == Outcome.Error ? "red" : "yellow")}]{Number(count)}[/]";

    /// <summary>Recorded text as the terminal may receive it: escapes shown, never sent (see <see cref="Printable"/>), markup escaped.</summary>
    private static string Shown(string text, bool keepLineBreaks = false) => Markup.Escape(Printable.Text(text, keepLineBreaks));

    private static string Number(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Indent(string text) => text.Replace("\n", "\n            ");
}
