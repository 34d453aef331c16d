using System.Text;
using System.Xml;
using System.Xml.Linq;
using Twilio.TwiML;

namespace SmsHall.Twilio;

/// <summary>The webhook's answer, written by the Twilio SDK: one &lt;Message&gt;, or an empty &lt;Response&gt; for silence.</summary>
public static class TwimlAnswer
{
    public const string ContentType = "text/xml; charset=utf-8";

    public static IResult Result(string? text) => Results.Text(Xml(text), ContentType);

    public static string Xml(string? text)
    {
        var response = new MessagingResponse();
        if (!string.IsNullOrEmpty(text)) response.Message(XmlSafe(text));
        return response.ToString(SaveOptions.DisableFormatting);
    }

    // XML 1.0 cannot carry most control characters, nor U+FFFE/U+FFFF, even escaped, and the SDK's
    // writer throws on them: they are dropped, so a stray one in a reply is not a 500.
    private static string XmlSafe(string text)
    {
        if (text.All(XmlConvert.IsXmlChar)) return text;
        var safe = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes()) // a pair is one rune, always allowed; a lone surrogate becomes U+FFFD
            if (!rune.IsBmp || XmlConvert.IsXmlChar((char)rune.Value)) safe.Append(rune.ToString());
        return safe.ToString();
    }
}
