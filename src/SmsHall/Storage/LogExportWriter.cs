using System.Buffers;
using System.Text;
using System.Text.Json;
using SmsHall.Core.Ports;

namespace SmsHall.Storage;

/// <summary>
/// <c>smshall log export</c>: the message log as JSON Lines, one object per message, each inbound
/// message followed by its reply, oldest first. <c>smshall replay</c> reads it back. Numbers are
/// bare; "channel" says sms or whatsapp, and "media" how many pictures a message had, if any.
/// </summary>
public sealed class LogExportWriter(ILogExport log)
{
    /// <summary>Writes the messages received in [since, until) (from one number if given); returns how many inbound messages.</summary>
    public int Write(TextWriter output, DateTimeOffset? since, DateTimeOffset? until, string? number, CancellationToken ct = default)
    {
        var count = 0;
        var buffer = new ArrayBufferWriter<byte>();
        using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        foreach (var m in log.Read(since, until, number))
        {
            ct.ThrowIfCancellationRequested();
            WriteInbound(json, m);
            EndLine(json, buffer, output);
            if (m.Reply is { } reply)
            {
                WriteReply(json, m, reply);
                EndLine(json, buffer, output);
            }
            count++;
        }
        return count;
    }

    private static void WriteInbound(Utf8JsonWriter json, ExportedMessage r)
    {
        json.WriteStartObject();
        json.WriteString("direction", "inbound");
        json.WriteString("sid", r.Sid);
        json.WriteString("from", r.From);
        json.WriteString("to", r.To);
        json.WriteString("channel", r.Channel);
        json.WriteString("body", r.Body);
        if (r.Media > 0) json.WriteNumber("media", r.Media);
        json.WriteString("at", Time(r.ReceivedAt));
        json.WriteString("status", r.Status);
        Optional(json, "normalised", r.Normalised);
        Optional(json, "command", r.Command);
        if (r.Args is not null)
        {
            json.WritePropertyName("args");
            json.WriteRawValue(r.Args);
        }
        Optional(json, "match", r.Match);
        Optional(json, "keyword", r.Keyword);
        Optional(json, "language", r.Language);
        json.WriteEndObject();
    }

    private static void WriteReply(Utf8JsonWriter json, ExportedMessage m, ExportedReply r)
    {
        json.WriteStartObject();
        json.WriteString("direction", "outbound");
        Optional(json, "sid", r.Sid);
        json.WriteString("inbound_sid", m.Sid);
        json.WriteString("from", m.To);
        json.WriteString("to", m.From);
        json.WriteString("channel", m.Channel); // a reply goes back on its message's channel
        json.WriteString("body", r.Body);
        json.WriteString("at", Time(r.At));
        json.WriteString("status", r.Status);
        Optional(json, "reply_key", r.Key);
        Optional(json, "language", r.Language);
        Optional(json, "encoding", r.Encoding);
        json.WriteNumber("segments", r.Segments);
        if (r.ErrorCode is { } code) json.WriteNumber("error_code", code);
        json.WriteEndObject();
    }

    // Seven decimals and a Z, as the log has always been exported, whichever storage it comes from.
    private static string Time(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static void Optional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null) json.WriteString(name, value);
    }

    // One object a line: the writer takes one JSON value, so it is flushed and reset after each.
    private static void EndLine(Utf8JsonWriter json, ArrayBufferWriter<byte> buffer, TextWriter output)
    {
        json.Flush();
        output.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        output.Write('\n');
        buffer.ResetWrittenCount();
        json.Reset();
    }
}
