using System.Globalization;
using System.Xml;

namespace SmsHall.Replay;

/// <summary>
/// <c>--junit report.xml</c>: one test suite per input file and one test case per conversation (a
/// number's messages in a log, a case in a script), so a CI server lists what changed.
/// </summary>
public static class JUnitReport
{
    public static void Write(string path, ReplayReport report) => WholeFile.Write(path, (Stream stream) => Write(stream, report));

    private static void Write(Stream stream, ReplayReport report)
    {
        var settings = new XmlWriterSettings { Indent = true, Encoding = new System.Text.UTF8Encoding(false) };
        using var xml = XmlWriter.Create(stream, settings);
        var conversations = report.Conversations;
        xml.WriteStartElement("testsuites");
        xml.WriteAttributeString("name", "smshall replay");
        WriteCounts(xml, conversations);
        xml.WriteAttributeString("time", Seconds(report.Elapsed));

        foreach (var input in report.Inputs)
        {
            var cases = conversations.Where(c => c.Input == input).ToList();
            xml.WriteStartElement("testsuite");
            xml.WriteAttributeString("name", Shown(input.Name));
            WriteCounts(xml, cases);
            xml.WriteAttributeString("timestamp", report.StartedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
            xml.WriteStartElement("properties");
            Property(xml, "catalogue", report.Catalogue);
            Property(xml, "database", report.Database);
            xml.WriteEndElement();
            foreach (var conversation in cases) WriteCase(xml, input, conversation);
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
    }

    private static void WriteCase(XmlWriter xml, ReplayInput input, ConversationResult conversation)
    {
        xml.WriteStartElement("testcase");
        xml.WriteAttributeString("classname", Shown($"replay.{Path.GetFileNameWithoutExtension(input.Name)}"));
        xml.WriteAttributeString("name", Shown(conversation.Name));
        xml.WriteAttributeString("assertions", conversation.Turns.ToString(CultureInfo.InvariantCulture));
        if (conversation.DifferenceCount > 0)
        {
            xml.WriteStartElement(conversation.HasError ? "error" : "failure");
            xml.WriteAttributeString("message", $"{conversation.DifferenceCount} of {conversation.Turns} repl{(conversation.Turns == 1 ? "y" : "ies")} differ");
            xml.WriteAttributeString("type", conversation.HasError ? "error" : "changed");
            var lines = conversation.Differences.Select(d =>
                $"{ReplayReport.Label(d.Outcome)} at {d.Turn.Source}\n  > {d.Turn.Message.Body}\n  recorded: {d.Turn.Recorded}\n  now:      {d.Error ?? d.Now ?? "(no reply)"}");
            var left = conversation.DifferenceCount - conversation.Differences.Count;
            xml.WriteString(Shown(string.Join("\n\n", lines) + (left > 0 ? $"\n\n… and {left} more" : ""), keepLineBreaks: true));
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
    }

    private static void WriteCounts(XmlWriter xml, IReadOnlyCollection<ConversationResult> cases)
    {
        var errors = cases.Count(c => c.HasError);
        xml.WriteAttributeString("tests", cases.Count.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("failures", cases.Count(c => c.DifferenceCount > 0 && !c.HasError).ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("errors", errors.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("skipped", "0");
    }

    private static void Property(XmlWriter xml, string name, string value)
    {
        xml.WriteStartElement("property");
        xml.WriteAttributeString("name", name);
        xml.WriteAttributeString("value", Shown(value));
        xml.WriteEndElement();
    }

    // XmlWriter refuses what XML 1.0 cannot carry (U+FFFF, most controls, lone surrogates): every
    // recorded text goes through Printable, which shows those as \u escapes.
    private static string Shown(string text, bool keepLineBreaks = false) => Printable.Text(text, keepLineBreaks);

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
}
