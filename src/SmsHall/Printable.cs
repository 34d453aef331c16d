using System.Globalization;
using System.Text;
using System.Xml;
using SmsHall.Core.Text;

namespace SmsHall;

/// <summary>
/// Any string made safe to show: on a terminal, in XML 1.0 and in HTML. What a terminal would act on
/// instead of showing (control characters such as ESC, the bidirectional controls that reorder text)
/// and what those formats cannot carry (noncharacters such as U+FFFF, lone surrogates) is written as
/// its code in a visible escape: <c>\u001B</c>, <c>\uFFFF</c>, <c>\uD800</c>, and <c>\U0001FFFF</c>
/// beyond U+FFFF. Everything else, emoji and every script included, is left as it is.
/// </summary>
public static class Printable
{
    /// <summary>The text as it can be shown; line breaks (\n) stay when the layout has room for them.</summary>
    public static string Text(string text, bool keepLineBreaks = false)
    {
        if (IsShown(text, keepLineBreaks)) return text;
        var shown = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var codePoint = char.ConvertToUtf32(c, text[i + 1]);
                if (TextNormaliser.IsNoncharacter(codePoint)) shown.Append(CultureInfo.InvariantCulture, $"\\U{codePoint:X8}");
                else shown.Append(c).Append(text[i + 1]);
                i++;
            }
            else if (IsShown(c, keepLineBreaks)) shown.Append(c);
            else shown.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
        }
        return shown.ToString();
    }

    /// <summary>The embeddings, overrides and isolates that display text in another order than it was written.</summary>
    public static bool IsBidiControl(char c) => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    private static bool IsShown(string text, bool keepLineBreaks)
    {
        for (var i = 0; i < text.Length; i++)
        {
            // A surrogate, even paired, takes the slow path: the pair may be a noncharacter.
            if (char.IsSurrogate(text[i]) || !IsShown(text[i], keepLineBreaks)) return false;
        }
        return true;
    }

    // XmlConvert.IsXmlChar covers what XML 1.0 forbids (most C0 controls, U+FFFE, U+FFFF); the rest
    // is what a terminal or a reader would be misled by.
    private static bool IsShown(char c, bool keepLineBreaks) =>
        c == '\n'
            ? keepLineBreaks
            : XmlConvert.IsXmlChar(c) && !char.IsControl(c) && !TextNormaliser.IsNoncharacter(c) && !IsBidiControl(c);
}
