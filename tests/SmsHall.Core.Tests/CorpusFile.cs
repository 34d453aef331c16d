using System.Globalization;
using System.Text.RegularExpressions;

namespace SmsHall.Core.Tests;

/// <summary>
/// Reading the corpus files: case lines (not blank, not a # comment) and their escapes (\uXXXX, \t,
/// \n). Shared by the corpus tests and, linked, by the grammar benchmark in bench/SmsHall.Bench.
/// </summary>
internal static partial class CorpusFile
{
    /// <summary>The case lines of a corpus file with their line numbers, as written.</summary>
    public static IEnumerable<(int Line, string Text)> Cases(string path) =>
        File.ReadAllLines(path)
            .Select((text, i) => (Line: i + 1, Text: text))
            .Where(c => c.Text.Trim().Length > 0 && !c.Text.StartsWith('#'));

    /// <summary>The message of an understood.txt case: everything before " => ".</summary>
    public static string MessageOf(string understoodCase) =>
        understoodCase[..understoodCase.LastIndexOf(" => ", StringComparison.Ordinal)];

    public static string Unescape(string text) =>
        Escape().Replace(text, m => m.Value[1] switch
        {
            't' => "\t",
            'n' => "\n",
            _ => ((char)int.Parse(m.Value[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString(),
        });

    [GeneratedRegex(@"\\u[0-9a-fA-F]{4}|\\t|\\n")]
    private static partial Regex Escape();
}
