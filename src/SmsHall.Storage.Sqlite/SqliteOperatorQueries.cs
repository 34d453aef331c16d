using Dapper;
using SmsHall.Core.Ports;

namespace SmsHall.Storage.Sqlite;

/// <summary>Operators' questions about the message log, on SQLite.</summary>
public sealed class SqliteOperatorQueries(Database db) : IOperatorQueries
{
    public async Task<(LoggedInbound Inbound, LoggedReply? Reply)?> MessageAsync(string sid, CancellationToken ct = default)
    {
        using var c = db.Open();
        var inbound = await c.QuerySingleOrDefaultAsync<InboundRow>(new CommandDefinition(
            """
            SELECT sid, from_number AS FromNumber, to_number AS ToNumber, body, received_at AS ReceivedAt, status, command, args,
                   match, keyword, language, handled_at AS HandledAt
            FROM inbound_messages WHERE sid = @sid
            """, new { sid }, cancellationToken: ct));
        if (inbound is null) return null;
        var reply = await c.QuerySingleOrDefaultAsync<ReplyRow>(new CommandDefinition(
            """
            SELECT body, reply_key AS ReplyKey, language, encoding, segments, status, twilio_sid AS TwilioSid,
                   error_code AS ErrorCode, error_message AS ErrorMessage, created_at AS CreatedAt, updated_at AS UpdatedAt
            FROM outbound_messages WHERE inbound_sid = @sid
            """, new { sid }, cancellationToken: ct));
        return (new LoggedInbound(inbound.Sid, inbound.FromNumber, inbound.ToNumber, inbound.Body, Dates.ReadTime(inbound.ReceivedAt),
                inbound.Status, inbound.Command, inbound.Args, inbound.Match, inbound.Keyword, inbound.Language,
                inbound.HandledAt is null ? null : Dates.ReadTime(inbound.HandledAt)),
            reply is null ? null : new LoggedReply(reply.Body, reply.ReplyKey, reply.Language, reply.Encoding, reply.Segments, reply.Status,
                reply.TwilioSid, reply.ErrorCode, reply.ErrorMessage, Dates.ReadTime(reply.CreatedAt),
                reply.UpdatedAt is null ? null : Dates.ReadTime(reply.UpdatedAt)));
    }

    public async Task<IReadOnlyList<UnmatchedMessage>> UnmatchedAsync(DateTimeOffset? since, int top, CancellationToken ct = default)
    {
        using var c = db.Open();
        var rows = await c.QueryAsync<UnmatchedRow>(new CommandDefinition(
            """
            SELECT COALESCE(normalised, '') AS Normalised, COUNT(*) AS Count, MIN(body) AS Example, MAX(received_at) AS LastSeen
            FROM inbound_messages
            WHERE status = 'handled' AND command = 'unknown' AND received_at >= @Since
            GROUP BY COALESCE(normalised, '')
            ORDER BY COUNT(*) DESC, MAX(received_at) DESC
            LIMIT @Top
            """, new { Since = since is { } s ? Dates.Write(s) : "", Top = top }, cancellationToken: ct));
        return rows.Select(r => new UnmatchedMessage(r.Normalised, r.Count, r.Example, Dates.ReadTime(r.LastSeen))).ToList();
    }

    // Classes, not records: SQLite gives an aggregate's column no declared type, and Dapper matches
    // a record's constructor by type.
    private sealed class UnmatchedRow
    {
        public string Normalised { get; init; } = "";
        public long Count { get; init; }
        public string Example { get; init; } = "";
        public string LastSeen { get; init; } = "";
    }

    private sealed class InboundRow
    {
        public string Sid { get; init; } = "";
        public string FromNumber { get; init; } = "";
        public string ToNumber { get; init; } = "";
        public string Body { get; init; } = "";
        public string ReceivedAt { get; init; } = "";
        public string Status { get; init; } = "";
        public string? Command { get; init; }
        public string? Args { get; init; }
        public string? Match { get; init; }
        public string? Keyword { get; init; }
        public string? Language { get; init; }
        public string? HandledAt { get; init; }
    }

    private sealed class ReplyRow
    {
        public string Body { get; init; } = "";
        public string? ReplyKey { get; init; }
        public string? Language { get; init; }
        public string? Encoding { get; init; }
        public long Segments { get; init; }
        public string Status { get; init; } = "";
        public string? TwilioSid { get; init; }
        public long? ErrorCode { get; init; }
        public string? ErrorMessage { get; init; }
        public string CreatedAt { get; init; } = "";
        public string? UpdatedAt { get; init; }
    }
}
