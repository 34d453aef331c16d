using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;
using SmsHall.Core.Text;

namespace SmsHall.Core.Grammar;

/// <summary>
/// How a subscriber names an amount of data, in any of our languages: <c>1GB</c>, <c>1 g</c>,
/// <c>500mb</c>, <c>1 Go</c>, <c>500 Mo</c>, <c>1G</c>, <c>五百兆</c>, <c>一个G</c>, <c>یک گیگ</c>,
/// <c>۵۰۰ مگ</c>. Number words and unit words are first rewritten to digits and <c>gb</c> or
/// <c>mb</c>; one pattern then reads what is left. The size prints as <c>1GB</c> or <c>500MB</c>.
/// </summary>
public static partial class DataSizes
{
    private static readonly FrozenDictionary<string, string> Units = new Dictionary<string, string>
    {
        ["g"] = "gb",
        ["gb"] = "gb",
        ["go"] = "gb",
        ["gig"] = "gb",
        ["gigs"] = "gb",
        ["giga"] = "gb",
        ["gigas"] = "gb",
        ["gigabyte"] = "gb",
        ["gigabytes"] = "gb",
        ["gigaoctet"] = "gb",
        ["gigaoctets"] = "gb",
        ["گیگ"] = "gb",
        ["گیگابایت"] = "gb",
        ["m"] = "mb",
        ["mb"] = "mb",
        ["mo"] = "mb",
        ["meg"] = "mb",
        ["megs"] = "mb",
        ["mega"] = "mb",
        ["megas"] = "mb",
        ["megabyte"] = "mb",
        ["megabytes"] = "mb",
        ["megaoctet"] = "mb",
        ["megaoctets"] = "mb",
        ["مگ"] = "mb",
        ["مگابایت"] = "mb",
        ["兆"] = "mb",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, int> NumberWords = new Dictionary<string, int>
    {
        ["one"] = 1,
        ["two"] = 2,
        ["three"] = 3,
        ["five"] = 5,
        ["ten"] = 10,
        ["twenty"] = 20,
        ["un"] = 1,
        ["deux"] = 2,
        ["trois"] = 3,
        ["cinq"] = 5,
        ["dix"] = 10,
        ["vingt"] = 20,
        ["یک"] = 1,
        ["دو"] = 2,
        ["سه"] = 3,
        ["پنج"] = 5,
        ["ده"] = 10,
        ["بیست"] = 20,
        ["پانصد"] = 500,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<char, int> HanDigits = new Dictionary<char, int>
    {
        ['一'] = 1,
        ['二'] = 2,
        ['两'] = 2,
        ['三'] = 3,
        ['四'] = 4,
        ['五'] = 5,
        ['六'] = 6,
        ['七'] = 7,
        ['八'] = 8,
        ['九'] = 9,
    }.ToFrozenDictionary();

    /// <summary>The Chinese words a size is written with, so that unspaced text is cut at them.</summary>
    public static IEnumerable<string> HanWords => ["兆", "个"];

    /// <summary>Reads the words of a size ("1 go", "五百兆", "یک گیگ") as megabytes; false when they are not one.</summary>
    public static bool TryRead(IEnumerable<string> words, out int megabytes)
    {
        megabytes = 0;
        // Chinese numerals come one character a word ("五", "百"): read as one number.
        var joined = new List<string>();
        foreach (var word in words.Where(w => w != "个"))
        {
            if (joined.Count > 0 && IsHanNumber(word) && IsHanNumber(joined[^1])) joined[^1] += word;
            else joined.Add(word);
        }
        var canonical = string.Concat(joined.Select(Canonical));
        var match = Size().Match(canonical);
        if (!match.Success) return false;
        var n = match.Groups[1].Success ? int.Parse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture) : 1;
        if (n == 0) return false;
        megabytes = match.Groups[2].Value == "gb" ? n * 1024 : n;
        return true;
    }

    /// <summary>A size as replies and arguments write it: 1GB, 500MB.</summary>
    public static string Name(int megabytes) =>
        megabytes % 1024 == 0
            ? (megabytes / 1024).ToString(CultureInfo.InvariantCulture) + "GB"
            : megabytes.ToString(CultureInfo.InvariantCulture) + "MB";

    /// <summary>Whether a word is a unit or a number word of a size, so it is never taken for a mistyped keyword.</summary>
    public static bool IsSizeWord(string word) => Units.ContainsKey(word) || NumberWords.ContainsKey(word);

    /// <summary>Whether a word is a unit ("go", "gb", "مگ"): after a number it belongs to the number, whatever else it is ("go" in "1 go").</summary>
    public static bool IsUnit(string word) => Units.ContainsKey(word);

    // A word as digits or a unit: "one" is 1, "giga" is gb, "1g" stays for the pattern to split.
    private static string Canonical(string word) =>
        Units.TryGetValue(word, out var unit) ? unit
        : NumberWords.TryGetValue(word, out var n) ? n.ToString(CultureInfo.InvariantCulture)
        : IsHanNumber(word) ? HanNumber(word).ToString(CultureInfo.InvariantCulture)
        : Units.TryGetValue(word.TrimStart("0123456789".ToCharArray()), out unit) ? word[..^(word.TrimStart("0123456789".ToCharArray()).Length)] + unit
        : word;

    private static bool IsHanNumber(string word) => word.Length > 0 && word.All(c => HanDigits.ContainsKey(c) || c is '十' or '百');

    // 五 is 5, 十 is 10, 二十 is 20, 五百 is 500: enough for the sizes packs come in.
    private static int HanNumber(string word)
    {
        var total = 0;
        var digit = 0;
        foreach (var c in word)
        {
            if (HanDigits.TryGetValue(c, out var d)) digit = d;
            else
            {
                total += Math.Max(digit, 1) * (c == '百' ? 100 : 10);
                digit = 0;
            }
        }
        return total + digit;
    }

    // A unit alone is one of it: "a gig", "یک گیگ" (whose "one" is filler), "un giga".
    [GeneratedRegex("^([0-9]{1,5})?(gb|mb)$")]
    private static partial Regex Size();
}
