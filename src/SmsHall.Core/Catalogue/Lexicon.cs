using System.Collections.Frozen;
using SmsHall.Core.Commands;
using SmsHall.Core.Grammar;
using SmsHall.Core.Text;

namespace SmsHall.Core.Catalogue;

/// <summary>
/// A keyword as the grammar finds it: which command (its catalogue section), in which languages, and
/// whether it is an alias. <see cref="OrOptOut"/> marks a word listed under both <c>cancel</c> and
/// <c>stop</c> (CANCEL): it cancels a waiting confirmation, and opts the number out when nothing is
/// waiting. <see cref="NeedsArgument"/> marks a verb ("switch to") that means its command only
/// together with its argument. <see cref="WithArgument"/> is the command a shared word means when
/// that command's argument follows it ("cancel 2" is services.cancel; CANCEL alone is cancel).
/// </summary>
public sealed record KeywordEntry(string Phrase, string Command, IReadOnlyList<string> Languages, MatchKind Match, int Line, bool OrOptOut = false)
{
    public CommandKind Kind { get; init; } = CommandKind.Reads;

    public bool NeedsArgument { get; init; }

    public string? WithArgument { get; init; }

    /// <summary>Whether a message not understood may be asked about this keyword's command (<see cref="CommandDefinition.Suggested"/>).</summary>
    public bool Suggested { get; init; } = true;

    /// <summary>Whether, leading a message, it takes the rest as free text (<see cref="CommandDefinition.TakesText"/>).</summary>
    public bool TakesText { get; init; }

    /// <summary>Whether it counts only as written, filler words included (<see cref="CommandDefinition.PhrasesAsWritten"/>).</summary>
    public bool AsWritten { get; init; }
}

/// <summary>
/// The word lookups the grammar reads a message with, built once when the catalogue loads: keyword
/// and filler phrases, the Chinese dictionary that splits unspaced text into words, and the words a
/// typo may be a slip of.
/// </summary>
public sealed class Lexicon
{
    private readonly FrozenDictionary<string, KeywordEntry> _keywords;
    private readonly FrozenSet<string> _filler;
    private readonly FrozenSet<string> _hanWords;
    private readonly int _longestHanWord;
    private readonly FrozenDictionary<string, string[]> _wordLanguages;
    private readonly FrozenSet<string> _polite;
    private readonly WordLists _words;

    /// <param name="fillerLanguages">Each filler phrase with the language whose list it is in, to tell the language of a message.</param>
    /// <param name="polite">The filler that may stand beside a YES or NO answer ("please", "请").</param>
    /// <param name="words">The real words of the catalogue's languages, never taken for a typo.</param>
    public Lexicon(
        IEnumerable<KeywordEntry> keywords,
        IEnumerable<string> filler,
        IEnumerable<(string Phrase, string Language)>? fillerLanguages = null,
        IEnumerable<string>? polite = null,
        WordLists? words = null)
    {
        _filler = filler.ToFrozenSet(StringComparer.Ordinal);
        _polite = (polite ?? []).ToFrozenSet(StringComparer.Ordinal);
        _words = words ?? WordLists.None;
        var phrases = keywords.ToDictionary(k => k.Phrase, StringComparer.Ordinal);
        // A phrase is also found without its filler words, since the grammar reads phrases past filler:
        // "switch to" is also "switch", so "switch my plan to gold" reads.
        // Not for answers, opt-outs and courtesies, which count only as written: "not now" without
        // its filler is "not", and "not" alone is no answer. Nor for phrases whose filler says who
        // ("call me back" is not "call u back").
        foreach (var keyword in phrases.Values.Where(k => k.Phrase.Contains(' ') && !k.AsWritten && k.Kind is not (CommandKind.Answer or CommandKind.Subscription or CommandKind.Courtesy)).ToList())
        {
            var bare = string.Join(' ', keyword.Phrase.Split(' ').Where(w => !_filler.Contains(w)));
            if (bare.Length > 0) phrases.TryAdd(bare, keyword);
        }
        _keywords = phrases.ToFrozenDictionary(StringComparer.Ordinal);
        Keywords = [.. _keywords.Values.Distinct()];
        // Chinese words of mixed phrases count too ("sim 卡锁了", "puk 码").
        _hanWords = _keywords.Keys.Concat(_filler).SelectMany(p => p.Split(' ')).Concat(MonthGrammar.HanWords).Concat(LanguageNames.HanWords).Concat(DataSizes.HanWords)
            .Concat(CommandSet.All.SelectMany(d => d.HanWords))
            .Where(w => w.All(TextNormaliser.IsHan)).ToFrozenSet(StringComparer.Ordinal);
        _longestHanWord = _hanWords.Count == 0 ? 1 : _hanWords.Max(w => w.Length);
        LongestPhrase = Math.Max(
            _keywords.Count == 0 ? 1 : _keywords.Keys.Max(WordCount),
            _filler.Count == 0 ? 1 : _filler.Max(WordCount));
        LongestWord = _keywords.Count == 0 ? 0 : _keywords.Keys.Max(k => k.Length);
        // Only keywords are typed with slips: codes and aliases (CXLL, TD, Y) match exactly, and
        // answers, opt-outs and courtesies are never guessed.
        TypoTargets = _keywords.Values.Where(k => k.Match == MatchKind.Exact && k.Kind is CommandKind.Reads or CommandKind.Changes or CommandKind.Info
            && !k.Phrase.Contains(' ') && !k.Phrase.Any(TextNormaliser.IsHan)).Distinct().ToList();
        // The languages a word of a message is a word of: its keywords' (not aliases': codes are
        // everyone's) and its filler's, word by word.
        _wordLanguages = Keywords.Where(k => k.Match == MatchKind.Exact).SelectMany(k => k.Phrase.Split(' ').Select(w => (Word: w, Languages: k.Languages)))
            .Concat((fillerLanguages ?? []).SelectMany(f => f.Phrase.Split(' ').Select(w => (Word: w, Languages: (IReadOnlyList<string>)[f.Language]))))
            // A code or a lone letter tells no language ("Y" is no French, though it ends "vas-y").
            .Where(x => x.Word.Length > 1 && !(_keywords.TryGetValue(x.Word, out var k) && k.Match == MatchKind.Alias))
            .GroupBy(x => x.Word, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.SelectMany(x => x.Languages).Distinct().ToArray(), StringComparer.Ordinal);
    }

    /// <summary>
    /// The language a normalised message is written in, when that can be told: Chinese characters
    /// are Chinese and Arabic script is Persian (the catalogue's languages that use them); otherwise
    /// the language most of its keyword and filler words belong to. Null when nothing tells (codes,
    /// numbers, emoji, words of no catalogue language, a tie).
    /// </summary>
    public string? LanguageOf(string normalised, IReadOnlyList<string> languages)
    {
        if (languages.Contains("zh") && normalised.Any(TextNormaliser.IsHan)) return "zh";
        if (languages.Contains("fa") && normalised.Any(IsArabicScript)) return "fa";
        var votes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var word in normalised.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!_wordLanguages.TryGetValue(word, out var of)) continue;
            foreach (var language in of) votes[language] = votes.GetValueOrDefault(language) + 1;
        }
        if (votes.Count == 0) return null;
        var best = votes.Max(v => v.Value);
        var leaders = votes.Where(v => v.Value == best).Select(v => v.Key).ToList();
        return leaders.Count == 1 && languages.Contains(leaders[0]) ? leaders[0] : null;
    }

    private static bool IsArabicScript(char c) => c is (>= '\u0600' and <= '\u06FF') or (>= '\u0750' and <= '\u077F') or (>= '\uFB50' and <= '\uFDFF') or (>= '\uFE70' and <= '\uFEFF');

    /// <summary>The most words a keyword or filler phrase has ("change plan to" has three).</summary>
    public int LongestPhrase { get; }

    /// <summary>The longest keyword in characters: a glued word is split no further in than this.</summary>
    public int LongestWord { get; }

    /// <summary>Every keyword and alias once (a phrase found without its filler is the same keyword).</summary>
    public IReadOnlyList<KeywordEntry> Keywords { get; }

    /// <summary>The one-word keywords and aliases a mistyped word may be compared with.</summary>
    public IReadOnlyList<KeywordEntry> TypoTargets { get; }

    public bool TryKeyword(string phrase, out KeywordEntry entry) => _keywords.TryGetValue(phrase, out entry!);

    public bool IsFiller(string phrase) => _filler.Contains(phrase);

    /// <summary>Politeness that may stand beside a YES or NO without making it something else ("yes please").</summary>
    public bool IsPolite(string phrase) => _polite.Contains(phrase);

    /// <summary>Whether a normalised word is a real word of a catalogue language (not a typo of anything).</summary>
    public bool IsWord(string word) => _words.Contains(word);

    /// <summary>
    /// Splits normalised text into words. Chinese is written without spaces, so a run of Chinese
    /// characters is cut into the longest dictionary words it starts with ("查余额和账单": 查余额, 和,
    /// 账单); a change of script also cuts ("cxye查余额", "10月").
    /// </summary>
    public List<string> Tokenise(string normalised)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < normalised.Length)
        {
            if (normalised[i] == ' ')
            {
                i++;
                continue;
            }
            var script = ScriptOf(normalised[i]);
            if (script == Script.Han)
            {
                var end = i;
                // Spaces between Chinese characters do not separate words ("换 套餐").
                while (end < normalised.Length && (TextNormaliser.IsHan(normalised[end]) || (normalised[end] == ' ' && end + 1 < normalised.Length && TextNormaliser.IsHan(normalised[end + 1]))))
                    end++;
                SplitHan(normalised[i..end], tokens);
                i = end;
            }
            else
            {
                var end = i;
                while (end < normalised.Length && normalised[end] != ' ' && ScriptOf(normalised[end]) == script) end++;
                tokens.Add(normalised[i..end]);
                i = end;
            }
        }
        return tokens;
    }

    /// <summary>
    /// Cuts a run of Chinese characters (with the spaces a subscriber put in it) into the longest
    /// dictionary words. A space ends a word when what comes before it is a word ("谢谢 你是" is
    /// 谢谢, 你, 是); a space inside a word is a slip and is read through ("余 额" is 余额).
    /// </summary>
    private void SplitHan(string run, List<string> tokens)
    {
        var i = 0;
        while (i < run.Length)
        {
            if (run[i] == ' ')
            {
                i++;
                continue;
            }
            var space = run.IndexOf(' ', i);
            var chunk = space < 0 ? run[i..] : run[i..space];
            var text = space < 0 || _hanWords.Contains(chunk) ? chunk : run[i..].Replace(" ", "");
            var length = Math.Min(_longestHanWord, text.Length);
            while (length > 1 && !_hanWords.Contains(text[..length])) length--;
            tokens.Add(text[..length]);
            // Step over the characters taken, and the spaces among them.
            for (var taken = 0; taken < length; i++)
            {
                if (run[i] != ' ') taken++;
            }
        }
    }

    /// <summary>
    /// A normalised catalogue phrase cut where the script changes, as <see cref="Tokenise"/> cuts a
    /// message: "sim卡锁了" is "sim 卡锁了", "puk码" is "puk 码".
    /// </summary>
    public static string SpacedByScript(string normalised)
    {
        var sb = new System.Text.StringBuilder(normalised.Length + 4);
        for (var i = 0; i < normalised.Length; i++)
        {
            var c = normalised[i];
            if (i > 0 && c != ' ' && normalised[i - 1] != ' ' && ScriptOf(c) != ScriptOf(normalised[i - 1])) sb.Append(' ');
            sb.Append(c);
        }
        return sb.ToString();
    }

    private enum Script
    {
        Han,
        Arabic,
        Other,
    }

    private static Script ScriptOf(char c) =>
        TextNormaliser.IsHan(c) ? Script.Han
        : c is (>= '\u0600' and <= '\u06FF') or (>= '\uFB50' and <= '\uFDFF') or (>= '\uFE70' and <= '\uFEFF') ? Script.Arabic
        : Script.Other;

    private static int WordCount(string phrase) => phrase.Count(c => c == ' ') + 1;
}
