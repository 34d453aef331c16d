using Dapper;
using SmsHall.Core.Ports;

namespace SmsHall.Storage.Sqlite;

/// <summary>The message log read back in order, on SQLite.</summary>
public sealed class SqliteLogExport(Database db) : ILogExport
{
    public IEnumerable<ExportedMessage> Read(DateTimeOffset? since, DateTimeOffset? until, string? number)
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
        foreach (var r in rows)
        {
            yield return new ExportedMessage(
                r.Sid, r.FromNumber, r.ToNumber, r.Body, Dates.ReadTime(r.ReceivedAt), r.Status, r.Normalised, r.Command, r.Args, r.Match, r.Keyword,
                r.Language, r.Channel, r.Media,
                r.ReplyId is null ? null : new ExportedReply(
                    r.ReplySid, r.ReplyBody ?? "", r.ReplyStatus ?? "", r.ReplyKey, r.ReplyLanguage, r.ReplyEncoding, r.ReplySegments ?? 0,
                    Dates.ReadTime(r.ReplyAt!), r.ReplyErrorCode));
        }
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
