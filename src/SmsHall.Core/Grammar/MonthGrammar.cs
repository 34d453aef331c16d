using System.Collections.Frozen;
using SmsHall.Core.Accounts;
using SmsHall.Core.Text;
using Sprache;

namespace SmsHall.Core.Grammar;

/// <summary>
/// How a subscriber names a month, in any of our languages: <c>10</c>, <c>oct</c>, <c>October</c>,
/// <c>octobre</c>, <c>اکتبر</c>, <c>十月</c>, <c>10月</c>, <c>oct 2026</c>, <c>2026-10</c>,
/// <c>10/2026</c>, <c>2026年10月</c>, <c>last</c>, <c>dernier</c>, <c>上个月</c>, <c>ماه قبل</c>.
/// Month names and "last" words are first rewritten to numbers and <c>last</c>; Sprache then reads
/// the few shapes a month can take. A month without a year means its latest occurrence not after
/// today, so in November 2026 "dec" is December 2025.
/// </summary>
public static class MonthGrammar
{
    private static readonly string[][] NamesByMonth =
    [
        ["january", "janvier", "ژانویه", "一月"],
        ["february", "fevrier", "فوریه", "二月"],
        ["march", "mars", "مارس", "三月"],
        ["april", "avril", "آوریل", "四月"],
        ["may", "mai", "مه", "五月"],
        ["june", "juin", "ژوئن", "六月"],
        ["july", "juillet", "ژوئیه", "七月"],
        ["august", "aout", "اوت", "八月"],
        ["september", "septembre", "سپتامبر", "九月"],
        ["october", "octobre", "اکتبر", "十月"],
        ["november", "novembre", "نوامبر", "十一月"],
        ["december", "decembre", "دسامبر", "十二月"],
    ];

    private static readonly FrozenSet<string> LastWords = new[]
    {
        "last", "previous", "dernier", "precedent", "قبل", "پیش", "گذشته", "上月", "上个月", "上一个月", "上一月",
    }.Select(TextNormaliser.Normalise).ToFrozenSet();

    // Words that only say "month" or "year" around a month: "last month", "mois dernier", "10月", "2026年".
    private static readonly FrozenSet<string> MonthWords = new[] { "month", "mois", "ماه", "月", "年" }.ToFrozenSet();

    private static readonly FrozenDictionary<string, int> Names = BuildNames();

    /// <summary>The Chinese month words, so unspaced text can be cut at them.</summary>
    public static IEnumerable<string> HanWords =>
        Names.Keys.Concat(LastWords).Concat(MonthWords).Where(w => w.All(TextNormaliser.IsHan));

    private static readonly Parser<int> Year =
        Parse.Digit.Repeat(4).Text().Select(int.Parse).Named("a year");

    private static readonly Parser<int> MonthNumber =
        Parse.Digit.Repeat(1, 2).Text().Select(int.Parse).Where(m => m is >= 1 and <= 12).Named("a month number");

    private static readonly Parser<char> Separator = Parse.Chars('-', '/', ' ');

    private static readonly Parser<Func<DateOnly, YearMonth>> YearThenMonth =
        from y in Year
        from s in Separator
        from m in MonthNumber
        select Fixed(y, m);

    private static readonly Parser<Func<DateOnly, YearMonth>> MonthThenYear =
        from m in MonthNumber
        from s in Separator
        from y in Year
        select Fixed(y, m);

    private static readonly Parser<Func<DateOnly, YearMonth>> MonthAlone =
        MonthNumber.Select(m => (Func<DateOnly, YearMonth>)(today => LatestNotAfter(m, today)));

    private static readonly Parser<Func<DateOnly, YearMonth>> LastMonth =
        Parse.String("last").Return((Func<DateOnly, YearMonth>)(today => YearMonth.Of(today).AddMonths(-1)));

    /// <summary>One month in any of the shapes above, and nothing else.</summary>
    private static readonly Parser<Func<DateOnly, YearMonth>> Month =
        YearThenMonth.Or(MonthThenYear).Or(LastMonth).Or(MonthAlone).End();

    /// <summary>Reads the words of a month ("oct", "2026 10", "上个月") as of today.</summary>
    public static bool TryResolve(IEnumerable<string> words, DateOnly today, out YearMonth month)
    {
        var canonical = string.Join(' ', words.Where(w => !MonthWords.Contains(w)).Select(Canonical));
        var result = Month.TryParse(canonical);
        month = result.WasSuccessful ? result.Value(today) : default;
        return result.WasSuccessful;
    }

    /// <summary>Whether a word only says "month" ("month", "mois", "月"): alone it names no month.</summary>
    public static bool OnlySaysMonth(string word) => MonthWords.Contains(word) && word != "年";

    /// <summary>Whether a word is a month or part of one, so it is never taken for a mistyped keyword.</summary>
    public static bool IsMonthWord(string word) =>
        Names.ContainsKey(word) || LastWords.Contains(word) || MonthWords.Contains(word);

    private static string Canonical(string word) =>
        Names.TryGetValue(word, out var m) ? m.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : LastWords.Contains(word) ? "last"
        : word;

    private static Func<DateOnly, YearMonth> Fixed(int year, int month) => _ => new YearMonth(year, month);

    private static YearMonth LatestNotAfter(int month, DateOnly today) =>
        new(month <= today.Month ? today.Year : today.Year - 1, month);

    // Full names in every language, and the Latin ones' prefixes of at least three letters that name
    // one month only ("oct", "sept", "fev"; not "jui", which is juin or juillet).
    private static FrozenDictionary<string, int> BuildNames()
    {
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var prefixes = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
        for (var i = 0; i < NamesByMonth.Length; i++)
        {
            foreach (var name in NamesByMonth[i].Select(TextNormaliser.Normalise))
            {
                names[name] = i + 1;
                if (!name.All(char.IsAsciiLetter)) continue;
                for (var length = 3; length < name.Length; length++)
                {
                    var prefix = name[..length];
                    if (!prefixes.TryGetValue(prefix, out var months)) prefixes[prefix] = months = [];
                    months.Add(i + 1);
                }
            }
        }
        foreach (var (prefix, months) in prefixes)
        {
            if (months.Count == 1) names.TryAdd(prefix, months.Single());
        }
        return names.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
