using System.Collections.Frozen;
using SmsHall.Core.Text;

namespace SmsHall.Core.Grammar;

/// <summary>
/// The ways a subscriber names a language after LANG: its code (<c>fr</c>) or its name in any of
/// our languages (<c>french</c>, <c>français</c>, <c>法语</c>, <c>فرانسوی</c>).
/// </summary>
public static class LanguageNames
{
    private static readonly FrozenDictionary<string, string> Names = new Dictionary<string, string[]>
    {
        ["en"] = ["english", "anglais", "英文", "英语", "انگلیسی"],
        ["zh"] = ["chinese", "chinois", "中文", "汉语", "普通话", "华语", "چینی"],
        ["fr"] = ["french", "francais", "法语", "法文", "فرانسوی"],
        ["fa"] = ["persian", "farsi", "persan", "波斯语", "فارسی"],
    }.SelectMany(l => l.Value.Select(name => (Name: TextNormaliser.Normalise(name), Code: l.Key)))
        .ToFrozenDictionary(n => n.Name, n => n.Code, StringComparer.Ordinal);

    /// <summary>The Chinese language names, so unspaced text can be cut at them.</summary>
    public static IEnumerable<string> HanWords => Names.Keys.Where(w => w.All(TextNormaliser.IsHan));

    public static bool IsLanguageName(string word) => Names.ContainsKey(word);

    /// <summary>The language code a word names: a known name, or any two-letter code (checked against the catalogue later).</summary>
    public static string? Resolve(string word) =>
        Names.TryGetValue(word, out var code) ? code
        : word.Length == 2 && word.All(char.IsAsciiLetterLower) ? word
        : null;
}
