using System.Net;
using System.Text;
using DiffPlex;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using Microsoft.AspNetCore.Html;

namespace SmsHall.OperatorConsole;

/// <summary>One line of a catalogue diff: "+", "-" or " " (context), its line number in the newer text, or a gap.</summary>
public sealed record DiffLine(char Change, int? Number, string Text, bool Gap = false);

/// <summary>What changed between two replies (words; characters in Chinese) and between two catalogues (lines), as the console shows it.</summary>
public static class TextDiffs
{
    private static readonly char[] WordSeparators = [' ', '\n', ',', '.', ':', ';', '(', ')', '!', '?'];

    /// <summary>The two replies as HTML, what only one of them has marked (del in the first, ins in the second).</summary>
    public static (IHtmlContent Old, IHtmlContent New) Replies(string? old, string? @new)
    {
        if (old is null || @new is null)
            return (old is null ? new HtmlString("<i>no reply</i>") : Encoded(old), @new is null ? new HtmlString("<i>no reply</i>") : Encoded(@new));
        var differ = new Differ();
        // Chinese has no spaces between words: a character is the unit that changes.
        var diff = IsChinese(old) || IsChinese(@new)
            ? differ.CreateCharacterDiffs(old, @new, false)
            : differ.CreateWordDiffs(old, @new, false, WordSeparators);
        var deleted = new HashSet<int>();
        var inserted = new HashSet<int>();
        foreach (var block in diff.DiffBlocks)
        {
            for (var i = 0; i < block.DeleteCountA; i++) deleted.Add(block.DeleteStartA + i);
            for (var i = 0; i < block.InsertCountB; i++) inserted.Add(block.InsertStartB + i);
        }
        return (Marked(diff.PiecesOld, deleted, "del"), Marked(diff.PiecesNew, inserted, "ins"));
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

    private static bool IsChinese(string text) => text.Any(c => c is >= '\u3400' and <= '\u9fff' or >= '\uf900' and <= '\ufaff');

    private static HtmlString Encoded(string text) => new(WebUtility.HtmlEncode(text));

    private static HtmlString Marked(IReadOnlyList<string> pieces, HashSet<int> marked, string tag)
    {
        var html = new StringBuilder();
        for (var i = 0; i < pieces.Count; i++)
            html.Append(marked.Contains(i) ? $"<{tag}>{WebUtility.HtmlEncode(pieces[i])}</{tag}>" : WebUtility.HtmlEncode(pieces[i]));
        return new HtmlString(html.ToString());
    }
}
