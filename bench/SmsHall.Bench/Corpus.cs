using System.Globalization;
using System.Text.RegularExpressions;

namespace SmsHall.Bench;

/// <summary>
/// The grammar tests' corpus as plain messages: every case of understood.txt and not-understood.txt
/// (723 understood, 108 noise), escapes expanded as the tests expand them.
/// </summary>
public static partial class Corpus
{
    public static string[] Messages() =>
        [.. Read("understood.txt").Select(line => line[..line.LastIndexOf(" => ", StringComparison.Ordinal)]), .. Read("not-understood.txt")];

    private static IEnumerable<string> Read(string name) =>
        File.ReadLines(Repository.File(Path.Combine("tests", "SmsHall.Core.Tests", "Corpus", name)))
            .Where(line => line.Trim().Length > 0 && !line.StartsWith('#'))
            .Select(Unescape);

    private static string Unescape(string text) =>
        Escape().Replace(text, m => m.Value[1] switch
        {
            't' => "\t",
            'n' => "\n",
            _ => ((char)int.Parse(m.Value[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString(),
        });

    [GeneratedRegex(@"\\u[0-9a-fA-F]{4}|\\t|\\n")]
    private static partial Regex Escape();
}
