using System.Globalization;
using System.Text;

namespace SmsHall.Core.Text;

/// <summary>
/// Turns whatever a phone sent into the plain form the grammar reads, so that every keyboard's way
/// of writing a word becomes one spelling:
/// <list type="bullet">
/// <item>compatibility forms fold (full-width <c>ＢＡＬ</c> is <c>bal</c>) and accents and Arabic
/// vowel marks go (<c>arrêt</c> is <c>arret</c>);</item>
/// <item>every decimal digit is ASCII (<c>۱۰</c> and <c>١٠</c> are <c>10</c>);</item>
/// <item>Arabic letter forms become Persian ones (ي is ی, ك is ک) and traditional Chinese becomes
/// simplified (餘額 is 余额);</item>
/// <item>apostrophes join (<c>what's</c> is <c>whats</c>) except after a French elision (<c>l'offre</c>
/// is <c>l offre</c>), a hyphen between letters parts words (<c>dois-je</c>), a zero-width non-joiner separates the
/// parts of a Persian word, other invisible characters vanish, and punctuation, symbols and emoji
/// become spaces;</item>
/// <item>lower case, single spaces. '-' and '/' survive inside a word for dates (2026-10, 10/2026)
/// and voucher codes.</item>
/// </list>
/// </summary>
public static class TextNormaliser
{
    public static string Normalise(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        // Normalize throws on broken UTF-16 (a lone surrogate) and on noncharacters (U+FFFE); each
        // becomes U+FFFD, a symbol.
        if (HasUnnormalisable(text)) text = ReplaceUnnormalisable(text);
        var decomposed = text.Normalize(NormalizationForm.FormKD);
        var sb = new StringBuilder(decomposed.Length);
        var pendingSpace = false;
        Span<char> buffer = stackalloc char[2];
        foreach (var rune in decomposed.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (rune.Value == 0x200C)
            {
                // In Persian the half-space separates the parts of a word (صورت‌حساب, موجودی‌ام);
                // anywhere else it is an invisible slip.
                if (sb.Length > 0 && sb[^1] is >= '\u0600' and <= '\u06FF') pendingSpace = true;
                continue;
            }
            if (IsApostrophe(rune.Value))
            {
                // French elides: "l'offre", "d'octobre", "qu'il" are two words; "what's" is one.
                if (EndsWithElision(sb)) pendingSpace = true;
                continue;
            }
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format
                || rune.Value == 0x0640) // the Arabic tatweel only stretches a word
            {
                continue;
            }

            char? single = null;
            if (Rune.IsLetter(rune))
            {
                var lower = Rune.ToLowerInvariant(rune);
                if (lower.IsBmp)
                {
                    single = Fold((char)lower.Value);
                }
                else
                {
                    Flush(sb, ref pendingSpace);
                    sb.Append(buffer[..lower.EncodeToUtf16(buffer)]);
                    continue;
                }
            }
            else if (Rune.IsDigit(rune))
            {
                single = (char)('0' + (int)Rune.GetNumericValue(rune));
            }
            else if (rune.Value is '-' or '/')
            {
                single = (char)rune.Value;
            }

            if (single is { } c)
            {
                Flush(sb, ref pendingSpace);
                sb.Append(c);
            }
            else
            {
                pendingSpace = true;
            }
        }
        return TrimDecorations(sb.ToString().Normalize(NormalizationForm.FormC));
    }

    /// <summary>Whether a character is written in Chinese characters (no spaces between words).</summary>
    public static bool IsHan(char c) => c is (>= '\u4E00' and <= '\u9FFF') or (>= '\u3400' and <= '\u4DBF') or (>= '\uF900' and <= '\uFAFF');

    private static bool HasUnnormalisable(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                if (IsNoncharacter(char.ConvertToUtf32(text[i], text[i + 1]))) return true;
                i++;
            }
            else if (char.IsSurrogate(text[i]) || IsNoncharacter(text[i]))
            {
                return true;
            }
        }
        return false;
    }

    private static string ReplaceUnnormalisable(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes()) // yields U+FFFD for a lone surrogate
            sb.Append(IsNoncharacter(rune.Value) ? Rune.ReplacementChar.ToString() : rune.ToString());
        return sb.ToString();
    }

    /// <summary>U+FDD0–U+FDEF and the last two code points of every plane: reserved never to be characters.</summary>
    public static bool IsNoncharacter(int c) => c is >= 0xFDD0 and <= 0xFDEF || (c & 0xFFFE) == 0xFFFE;

    private static bool IsApostrophe(int c) => c is '\'' or '`' or '\u2018' or '\u2019' or '\u02BC' or '\u00B4';

    private static readonly string[] Elisions = ["l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"];

    /// <summary>Whether the word being written is a French elided article or pronoun (l', d', qu').</summary>
    private static bool EndsWithElision(StringBuilder sb)
    {
        var start = sb.Length;
        while (start > 0 && sb[start - 1] != ' ') start--;
        var length = sb.Length - start;
        if (length is 0 or > 6) return false;
        Span<char> word = stackalloc char[length];
        sb.CopyTo(start, word, length);
        foreach (var elision in Elisions)
        {
            if (word.SequenceEqual(elision)) return true;
        }
        return false;
    }

    private static char Fold(char c) => c switch
    {
        '\u064A' or '\u0649' => '\u06CC', // Arabic yeh and alef maksura: Persian yeh
        '\u0643' => '\u06A9',             // Arabic kaf: Persian keheh
        _ => ChineseVariants.Simplify(c),
    };

    private static void Flush(StringBuilder sb, ref bool pendingSpace)
    {
        if (pendingSpace && sb.Length > 0) sb.Append(' ');
        pendingSpace = false;
    }

    // Drops the '-' and '/' that only decorate a word ("-bal-", "bill/"), and parts words joined by
    // a hyphen between letters ("dois-je", "top-up"); between digits it stays (2026-10, vouchers).
    private static string TrimDecorations(string spaced)
    {
        if (!spaced.Contains('-') && !spaced.Contains('/')) return spaced;
        var chars = spaced.ToCharArray();
        for (var i = 1; i < chars.Length - 1; i++)
        {
            if (chars[i] == '-' && char.IsLetter(chars[i - 1]) && char.IsLetter(chars[i + 1])) chars[i] = ' ';
        }
        var words = new string(chars).Split(' ').Select(w => w.Trim('-', '/')).Where(w => w.Length > 0);
        return string.Join(' ', words);
    }
}
