using System.Collections.Frozen;
using System.Text;

namespace SmsHall.Core.Replies;

/// <summary>
/// Replaces characters outside the GSM-7 alphabet with look-alikes inside it (curly quotes, long
/// dashes, no-break spaces, accents GSM lacks), so an English or French reply costs a 160-character
/// segment instead of a 70-character UCS-2 one. Text that would still need UCS-2 afterwards (Chinese,
/// Persian) is left exactly as written.
/// </summary>
public static class GsmLookAlikes
{
    // Each group of characters and the GSM-7 text that stands in for them.
    private static readonly (string Characters, string LookAlike)[] Groups =
    [
        ("\u2018\u2019\u201A\u201B\u2032\u00B4`", "'"),
        ("\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB", "\""),
        ("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2022", "-"),
        ("\u00A0\u202F\u2007\u2009\u200A\u2002\u2003", " "),
        ("\u2026", "..."),
        ("âáã", "a"), ("êë", "e"), ("îïí", "i"), ("ôóõ", "o"), ("ûú", "u"), ("ÿ", "y"), ("ç", "c"), ("œ", "oe"),
        ("ÂÁÀÃ", "A"), ("ÊÈË", "E"), ("ÎÏÍÌ", "I"), ("ÔÓÒÕ", "O"), ("ÛÙÚ", "U"), ("Œ", "OE"), ("Ÿ", "Y"),
    ];

    private static readonly FrozenDictionary<char, string> Replacements =
        Groups.SelectMany(g => g.Characters.Select(c => (c, g.LookAlike))).ToFrozenDictionary(r => r.c, r => r.LookAlike);

    /// <summary>The text to send: with look-alikes if that makes it all GSM-7, otherwise unchanged.</summary>
    public static string ForSending(string text)
    {
        if (SmsSegments.IsGsm7(text)) return text;
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (Replacements.TryGetValue(c, out var replacement)) sb.Append(replacement);
            else sb.Append(c);
        }
        var replaced = sb.ToString();
        return SmsSegments.IsGsm7(replaced) ? replaced : text;
    }
}
