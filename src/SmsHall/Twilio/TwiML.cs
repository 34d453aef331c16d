using System.Text;
using System.Xml;

namespace SmsHall.Twilio;

/// <summary>TwiML answers to an inbound message: one &lt;Message&gt;, or an empty &lt;Response/&gt; for silence.</summary>
public static class TwiML
{
    public const string ContentType = "text/xml; charset=utf-8";

    public static string Message(string? text)
    {
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false };
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, settings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("Response");
            if (!string.IsNullOrEmpty(text))
            {
                xml.WriteStartElement("Message");
                xml.WriteString(XmlSafe(text));
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    // XML 1.0 cannot carry most control characters at all, even escaped: drop them.
    private static string XmlSafe(string text)
    {
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (XmlConvert.IsXmlChar(text[i]))
            {
                sb.Append(text[i]);
            }
            else if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i]))
            {
                sb.Append(text, i, 2);
                i++;
            }
        }
        return sb.ToString();
    }
}
