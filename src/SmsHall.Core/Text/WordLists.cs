using System.IO.Compression;
using System.Text;

namespace SmsHall.Core.Text;

/// <summary>
/// The real words of English, French and Persian, from Debian's dictionaries (wamerican, wfrench,
/// myspell-fa), normalised as messages are and embedded in this assembly (Text/Words/, rebuilt by
/// its build.sh). A word of a message found here is a word, not a typo: "will" is never taken for
/// BILL, nor "parfait" for FORFAIT.
/// </summary>
public sealed class WordLists
{
    private static readonly string[] Available = ["en", "fr", "fa"];

    // Loaded once per process on first use and never changed: a read-only table, like the code.
    private static readonly Dictionary<string, Lazy<SortedWords>> Lists =
        Available.ToDictionary(l => l, l => new Lazy<SortedWords>(() => SortedWords.Load(l)));

    private readonly SortedWords[] _lists;

    private WordLists(SortedWords[] lists) => _lists = lists;

    /// <summary>No words at all: every word may be a typo (a catalogue without these languages).</summary>
    public static readonly WordLists None = new([]);

    /// <summary>The lists of those of a catalogue's languages that have one (Chinese has none: it has no typo matching).</summary>
    public static WordLists For(IEnumerable<string> languages) =>
        new([.. languages.Where(Lists.ContainsKey).Select(l => Lists[l].Value)]);

    /// <summary>Whether a normalised word is a word of one of the languages.</summary>
    public bool Contains(string word)
    {
        foreach (var list in _lists)
        {
            if (list.Contains(word)) return true;
        }
        return false;
    }

    /// <summary>One language's words: one sorted string of lines and where each starts, a few MB at most.</summary>
    private sealed class SortedWords(string text, int[] starts)
    {
        public static SortedWords Load(string language)
        {
            var name = $"SmsHall.Core.Text.Words.{language}.words.gz";
            using var resource = typeof(WordLists).Assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"the word list {name} is not embedded");
            using var gzip = new GZipStream(resource, CompressionMode.Decompress);
            using var reader = new StreamReader(gzip, Encoding.UTF8);
            var text = reader.ReadToEnd();
            var starts = new List<int>(text.Length / 8) { 0 };
            for (var i = 0; i < text.Length - 1; i++)
            {
                if (text[i] == '\n') starts.Add(i + 1);
            }
            return new SortedWords(text, [.. starts]);
        }

        public bool Contains(string word)
        {
            int low = 0, high = starts.Length - 1;
            while (low <= high)
            {
                var mid = (low + high) >>> 1;
                var start = starts[mid];
                var end = text.IndexOf('\n', start);
                var line = text.AsSpan(start, (end < 0 ? text.Length : end) - start);
                var order = line.CompareTo(word, StringComparison.Ordinal);
                if (order == 0) return true;
                if (order < 0) low = mid + 1;
                else high = mid - 1;
            }
            return false;
        }
    }
}
