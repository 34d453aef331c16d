using System.IO.Compression;
using System.Text;
using SmsHall.Core.Text;

namespace SmsHall.Bench;

/// <summary>
/// <c>smshall-bench words --from FILE [--hunspell] --out FILE.gz</c>: turns a dictionary word list
/// (one word a line, or a hunspell <c>.dic</c> whose first line is a count and whose words may carry
/// <c>/FLAGS</c>) into the compact list the grammar embeds: every word normalised exactly as a
/// message is (<see cref="TextNormaliser"/>), letters only, 3 to 24 characters, sorted, unique,
/// gzip-compressed. Run by src/SmsHall.Core/Text/Words/build.sh.
/// </summary>
public static class WordLists
{
    public static int Run(string[] args)
    {
        var from = Arg(args, "--from") ?? throw new ArgumentException("--from <word list> is needed");
        var output = Arg(args, "--out") ?? throw new ArgumentException("--out <file.gz> is needed");
        var hunspell = args.Contains("--hunspell");

        var words = new SortedSet<string>(StringComparer.Ordinal);
        var lines = File.ReadLines(from, Encoding.UTF8);
        if (hunspell) lines = lines.Skip(1);
        var read = 0;
        foreach (var line in lines)
        {
            read++;
            var word = hunspell ? line.Split('/')[0] : line;
            var normalised = TextNormaliser.Normalise(word);
            if (normalised.Length is >= 3 and <= 24 && normalised.All(char.IsLetter)) words.Add(normalised);
        }

        using (var file = File.Create(output))
        using (var gzip = new GZipStream(file, CompressionLevel.SmallestSize))
        using (var writer = new StreamWriter(gzip, new UTF8Encoding(false)) { NewLine = "\n" })
        {
            foreach (var word in words) writer.WriteLine(word);
        }
        Console.WriteLine($"{from}: {read:N0} lines, {words.Count:N0} words -> {output} ({new FileInfo(output).Length:N0} bytes)");
        return 0;
    }

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
