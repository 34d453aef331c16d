using System.Buffers;
using System.Text;
using System.Text.Json;
using Dapper;

namespace SmsHall.Storage;

/// <summary>
/// <c>smshall log export</c>: the message log as JSON Lines, one object per message, each inbound
/// message followed by its reply, oldest first. <c>smshall replay</c> reads it back. Numbers are
/// bare; "channel" says sms or whatsapp, and "media" how many pictures a message had, if any.
/// </summary>
public sealed class LogExport(Database db)
{
    /// <summary>Writes the messages received in [since, until) (from one number if given); returns how many inbound messages.</summary>
    public int Write(TextWriter output, DateTimeOffset? since, DateTimeOffset? until, string? number, CancellationToken ct = default)
    {
        using var c = db.Open();
        // Unbuffered: rows stream from SQLite to the file, so a month of traffic never sits in memory.
        var rows = c.Query<Row>(
            """
            SELECT i.sid AS Sid, i.from_number AS FromNumber, i.to_number AS ToNumber, i.body AS Body,
                   i.received_at AS ReceivedAt, i.status AS Status, i.normalised AS Normalised, i.command AS Command,
                   i.args AS Args, i.match AS Match, i.keyword AS Keyword, i.language AS Language,
                   i.channel AS Channel, i.media AS Media,
                   o.id AS ReplyId, o.twilio_sid AS ReplySid, o.body AS ReplyBody, o.status AS ReplyStatus,
                   o.reply_key AS ReplyKey, o.language AS ReplyLanguage, o.encoding AS ReplyEncoding,
                   o.segments AS ReplySegments, o.created_at AS ReplyAt, o.error_code AS ReplyErrorCode
            FROM inbound_messages i LEFT JOIN outbound_messages o ON o.inbound_sid = i.sid
            WHERE i.received_at >= @since AND i.received_at < @until AND (@number IS NULL OR i.from_number = @number)
            ORDER BY i.received_at, i.sid
            """,
            new
            {
                since = since is { } s ? Dates.Write(s) : "",
                until = until is { } u ? Dates.Write(u) : "~", // sorts after every ISO date
                number,
            },
            buffered: false);

        var count = 0;
        var buffer = new ArrayBufferWriter<byte>();
        using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        foreach (var r in rows)
        {
            ct.ThrowIfCancellationRequested();
            WriteInbound(json, r);
            EndLine(json, buffer, output);
            if (r.ReplyId is not null)
            {
                WriteReply(json, r);
                EndLine(json, buffer, output);
            }
            count++;
        }
        return count;
    }

    private static void WriteInbound(Utf8JsonWriter json, Row r)
    {
        json.WriteStartObject();
        json.WriteString("direction", "inbound");
        json.WriteString("sid", r.Sid);
        json.WriteString("from", r.FromNumber);
        json.WriteString("to", r.ToNumber);
        json.WriteString("channel", r.Channel);
        json.WriteString("body", r.Body);
        if (r.Media > 0) json.WriteNumber("media", r.Media);
        json.WriteString("at", r.ReceivedAt);
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

    private static void WriteReply(Utf8JsonWriter json, Row r)
    {
        json.WriteStartObject();
        json.WriteString("direction", "outbound");
        Optional(json, "sid", r.ReplySid);
        json.WriteString("inbound_sid", r.Sid);
        json.WriteString("from", r.ToNumber);
        json.WriteString("to", r.FromNumber);
        json.WriteString("channel", r.Channel); // a reply goes back on its message's channel
        json.WriteString("body", r.ReplyBody);
        json.WriteString("at", r.ReplyAt);
        json.WriteString("status", r.ReplyStatus);
        Optional(json, "reply_key", r.ReplyKey);
        Optional(json, "language", r.ReplyLanguage);
        Optional(json, "encoding", r.ReplyEncoding);
        json.WriteNumber("segments", r.ReplySegments ?? 0);
        if (r.ReplyErrorCode is { } code) json.WriteNumber("error_code", code);
        json.WriteEndObject();
    }

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

    private sealed class Row
    {
        public string Sid { get; init; } = "";
        public string FromNumber { get; init; } = "";
        public string ToNumber { get; init; } = "";
        public string Body { get; init; } = "";
        public string ReceivedAt { get; init; } = "";
        public string Status { get; init; } = "";
        public string? Normalised { get; init; }
        public string? Command { get; init; }
        public string? Args { get; init; }
        public string? Match { get; init; }
        public string? Keyword { get; init; }
        public string? Language { get; init; }
        public string Channel { get; init; } = ChannelNames.Sms;
        public long Media { get; init; }
        public long? ReplyId { get; init; }
        public string? ReplySid { get; init; }
        public string? ReplyBody { get; init; }
        public string? ReplyStatus { get; init; }
        public string? ReplyKey { get; init; }
        public string? ReplyLanguage { get; init; }
        public string? ReplyEncoding { get; init; }
        public long? ReplySegments { get; init; }
        public string? ReplyAt { get; init; }
        public long? ReplyErrorCode { get; init; }
    }
}
