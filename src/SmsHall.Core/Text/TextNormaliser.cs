using System.Text;

namespace SmsHall.Core.Text;

/// <summary>
/// Turns whatever a phone sent into the plain form the grammar reads: NFKC (full-width letters and
/// digits become ASCII), every decimal digit as ASCII, lower case, and words separated by single
/// spaces with punctuation, symbols and control characters gone. '-' and '/' survive inside a word
/// because dates (2026-10, 10/2026) and voucher codes use them.
/// </summary>
public static class TextNormaliser
{
    public static string Normalise(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var folded = text.Normalize(NormalizationForm.FormKC);
        var sb = new StringBuilder(folded.Length);
        foreach (var rune in folded.EnumerateRunes())
        {
            if (rune.Value is 0x200C or 0x200D)
            {
                continue; // zero-width (non-)joiners change how a word looks, not what it says
            }
            if (Rune.IsLetter(rune) || Rune.GetUnicodeCategory(rune) is System.Globalization.UnicodeCategory.NonSpacingMark)
            {
                AppendLower(sb, rune);
            }
            else if (Rune.IsDigit(rune))
            {
                // Persian, Arabic-Indic and other decimal digits all read as ASCII digits.
                sb.Append((char)('0' + (int)Rune.GetNumericValue(rune)));
            }
            else if (rune.Value is '-' or '/')
            {
                sb.Append((char)rune.Value);
            }
            else
            {
                sb.Append(' ');
            }
        }
        return CollapseWords(sb.ToString());
    }

    /// <summary>Splits normalised text into words.</summary>
    public static string[] Words(string normalised) =>
        normalised.Length == 0 ? [] : normalised.Split(' ');

    private static void AppendLower(StringBuilder sb, Rune rune)
    {
        var lower = Rune.ToLowerInvariant(rune);
        Span<char> buffer = stackalloc char[2];
        var n = lower.EncodeToUtf16(buffer);
        sb.Append(buffer[..n]);
    }

    // Splits on spaces, trims the '-' and '/' that only decorate a word ("-bal-", "bill/"), and
    // joins the words with single spaces.
    private static string CollapseWords(string spaced)
    {
        var words = spaced.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.Trim('-', '/'))
            .Where(w => w.Length > 0);
        return string.Join(' ', words);
    }
}
