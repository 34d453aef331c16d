using System.Net;
using DiffPlex;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using Microsoft.AspNetCore.Html;

namespace SmsHall.OperatorConsole;

/// <summary>One line of a catalogue diff: "+", "-" or " " (context), its line number in the newer text, or a gap.</summary>
public sealed record DiffLine(char Change, int? Number, string Text, bool Gap = false);

/// <summary>What changed between two replies (<see cref="WordDiff"/>) and between two catalogues (lines), as the console shows it.</summary>
public static class TextDiffs
{
    /// <summary>The two replies as HTML, what only one of them has marked (del in the first, ins in the second).</summary>
    public static (IHtmlContent Old, IHtmlContent New) Replies(string? old, string? @new)
    {
        if (old is null || @new is null)
            return (old is null ? new HtmlString("<i>no reply</i>") : Encoded(old), @new is null ? new HtmlString("<i>no reply</i>") : Encoded(@new));
        var (a, b) = WordDiff.Of(old, @new);
        return (Marked(a, "del"), Marked(b, "ins"));
    }

    /// <summary>The lines that differ between two catalogues, with <paramref name="context"/> lines around each change.</summary>
    public static IReadOnlyList<DiffLine> Lines(string old, string @new, int context = 2)
    {
        var model = new InlineDiffBuilder(new Differ()).BuildDiffModel(old, @new);
        var lines = model.Lines.Select(l => new DiffLine(
            l.Type switch { ChangeType.Inserted => '+', ChangeType.Deleted => '-', _ => ' ' }, l.Position, l.Text ?? "")).ToList();
        var keep = new bool[lines.Count];
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Change == ' ') continue;
            for (var j = Math.Max(0, i - context); j <= Math.Min(lines.Count - 1, i + context); j++) keep[j] = true;
        }
        var shown = new List<DiffLine>();
        for (var i = 0; i < lines.Count; i++)
        {
            if (!keep[i]) continue;
            if (shown.Count > 0 && !keep[i - 1]) shown.Add(new DiffLine(' ', null, "…", Gap: true));
            shown.Add(lines[i]);
        }
        return shown;
    }

    private static HtmlString Encoded(string text) => new(WebUtility.HtmlEncode(text));

    private static HtmlString Marked(IReadOnlyList<DiffPiece> pieces, string tag) =>
        new(string.Concat(pieces.Select(p => p.Changed ? $"<{tag}>{WebUtility.HtmlEncode(p.Text)}</{tag}>" : WebUtility.HtmlEncode(p.Text))));
}
