using System.Globalization;
using System.Net;
using System.Text;

namespace SmsHall.Replay;

/// <summary>
/// <c>--html report.html</c>: one self-contained page for a QA lead: what was replayed, the counts,
/// the table by command, and every differing turn with recorded and new reply, the changed words
/// highlighted, filtered by command and outcome in the page itself.
/// </summary>
public static class HtmlReport
{
    public static void Write(string path, ReplayReport report) => WholeFile.Write(path, (Stream stream) => Write(stream, report));

    private static void Write(Stream stream, ReplayReport report)
    {
        using var html = new StreamWriter(stream, new UTF8Encoding(false));
        html.Write($"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>SmsHall replay: {Number(report.Messages)} messages, {Number(report.Messages - report.Count(Outcome.Same))} differ</title>
            <style>{Style}</style>
            </head>
            <body>
            <h1>SmsHall replay</h1>
            <dl class="meta">
            <dt>Input</dt><dd>{E(string.Join(", ", report.Inputs.Select(i => i.Path)))}</dd>
            <dt>Catalogue</dt><dd>{E(report.Catalogue)}</dd>
            <dt>Started from</dt><dd>{E(report.Database)}</dd>
            <dt>Replayed</dt><dd>{report.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, {report.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s</dd>
            </dl>

            """);

        html.Write("<section id=\"summary\">\n");
        html.Write($"<div class=\"count all\"><b id=\"count-all\">{Number(report.Messages)}</b> messages</div>\n");
        foreach (var outcome in Enum.GetValues<Outcome>())
            html.Write($"<div class=\"count {Slug(outcome)}\"><b id=\"count-{Slug(outcome)}\">{Number(report.Count(outcome))}</b> {ReplayReport.Label(outcome)}</div>\n");
        if (report.BadLines > 0) html.Write($"<div class=\"count bad\"><b id=\"count-bad-lines\">{Number(report.BadLines)}</b> bad lines skipped</div>\n");
        html.Write("</section>\n");

        html.Write("<h2>By command</h2>\n<table id=\"by-command\"><thead><tr><th>command</th><th>messages</th>");
        foreach (var outcome in Enum.GetValues<Outcome>()) html.Write($"<th>{ReplayReport.Label(outcome)}</th>");
        html.Write("</tr></thead><tbody>\n");
        foreach (var (command, counts) in report.ByCommand)
        {
            html.Write($"<tr data-command=\"{E(command)}\"><td>{E(command)}</td><td>{Number(counts.Sum())}</td>");
            foreach (var n in counts) html.Write($"<td>{Number(n)}</td>");
            html.Write("</tr>\n");
        }
        html.Write("</tbody></table>\n");

        html.Write("<h2>Replies that differ</h2>\n");
        if (report.DifferencesLeftOut > 0)
            html.Write($"<p class=\"note\">The first {Number(report.Differences.Count)} are listed; {Number(report.DifferencesLeftOut)} more differ (they are in the counts above).</p>\n");
        html.Write("<form id=\"filters\"><label>Command <select id=\"filter-command\"><option value=\"\">all</option>");
        foreach (var command in report.Differences.Select(d => d.Command).Distinct().Order(StringComparer.Ordinal))
            html.Write($"<option>{E(command)}</option>");
        html.Write("</select></label> <label>Outcome <select id=\"filter-outcome\"><option value=\"\">all</option>");
        foreach (var outcome in Enum.GetValues<Outcome>().Where(o => o != Outcome.Same))
            html.Write($"<option value=\"{Slug(outcome)}\">{ReplayReport.Label(outcome)}</option>");
        html.Write($"</select></label> <span id=\"shown\">{Number(report.Differences.Count)}</span> shown</form>\n");

        html.Write("<table id=\"turns\"><thead><tr><th>outcome</th><th>turn</th><th>recorded</th><th>now</th></tr></thead><tbody>\n");
        foreach (var d in report.Differences)
        {
            var m = d.Turn.Message;
            var (recorded, now) = Highlight(d);
            html.Write($"""
                <tr class="turn {Slug(d.Outcome)}" data-command="{E(d.Command)}" data-outcome="{Slug(d.Outcome)}">
                <td class="outcome">{ReplayReport.Label(d.Outcome)}</td>
                <td><div class="source">{E(d.Turn.Source)}</div><div>{E(m.From)} · {m.ReceivedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} · {E(d.Command)}</div><div class="message">&gt; {E(m.Body)}</div></td>
                <td class="reply recorded">{recorded}</td>
                <td class="reply now">{now}</td>
                </tr>

                """);
        }
        html.Write("</tbody></table>\n");
        html.Write($"<script>{Script}</script>\n</body>\n</html>\n");
    }

    /// <summary>The two replies as HTML, the words only one of them has marked.</summary>
    private static (string Recorded, string Now) Highlight(TurnResult d)
    {
        if (d.Error is { } error) return (E(d.Turn.Recorded.ToString()), $"<span class=\"failed\">{E(error)}</span>");
        if (d.Turn.Recorded.IsNone || d.Now is null)
            return (d.Turn.Recorded.IsNone ? "<i>no reply</i>" : E(d.Turn.Recorded.Text!), d.Now is null ? "<i>no reply</i>" : E(d.Now));
        var (recorded, now) = WordDiff.Of(d.Turn.Recorded.Text!, d.Now);
        return (Marked(recorded, "del"), Marked(now, "ins"));
    }

    private static string Marked(IReadOnlyList<DiffPiece> pieces, string tag) =>
        string.Concat(pieces.Select(p => p.Changed ? $"<{tag}>{E(p.Text)}</{tag}>" : E(p.Text)));

    private static string Slug(Outcome outcome) => ReplayReport.Label(outcome).Replace(' ', '-');

    // Escapes and noncharacters shown as \u escapes first: HTML has no place for them either.
    private static string E(string text) => WebUtility.HtmlEncode(Printable.Text(text, keepLineBreaks: true));

    private static string Number(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private const string Style = """
        body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
        .meta dt { float: left; clear: left; width: 8em; color: #666; }
        .meta dd { margin-left: 8em; }
        #summary { display: flex; gap: 1em; margin: 1.5em 0; flex-wrap: wrap; }
        .count { padding: .6em 1em; border-radius: 6px; background: #f2f2f2; }
        .count b { display: block; font-size: 1.6em; }
        .changed, .newly-answered, .no-longer-answered { background: #fff4d6; }
        .error, .bad { background: #fde2e2; }
        table { border-collapse: collapse; margin-bottom: 1.5em; }
        th, td { border-bottom: 1px solid #ddd; padding: .35em .7em; text-align: left; vertical-align: top; }
        #by-command td:not(:first-child) { text-align: right; }
        .reply { white-space: pre-wrap; max-width: 32em; }
        .source { color: #666; font-size: .85em; }
        .message { font-family: ui-monospace, monospace; }
        del { background: #f8c8c8; } ins { background: #c8f0c8; text-decoration: none; }
        .failed { color: #a00; }
        #filters { margin: 1em 0; }
        """;

    // Filtering is the page's only behaviour: rows not matching both selects are hidden.
    private const string Script = """
        (function () {
          var command = document.getElementById('filter-command');
          var outcome = document.getElementById('filter-outcome');
          var shown = document.getElementById('shown');
          function apply() {
            var n = 0;
            document.querySelectorAll('#turns tr.turn').forEach(function (row) {
              var visible = (!command.value || row.dataset.command === command.value) &&
                            (!outcome.value || row.dataset.outcome === outcome.value);
              row.hidden = !visible;
              if (visible) n++;
            });
            shown.textContent = n.toLocaleString('en-US');
          }
          command.addEventListener('change', apply);
          outcome.addEventListener('change', apply);
        })();
        """;
}
