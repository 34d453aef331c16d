using Dapper;
using SmsHall.Core.Ports;

namespace SmsHall.Storage.Postgres;

/// <summary>Operators' questions about the message log, on PostgreSQL.</summary>
public sealed class PostgresOperatorQueries(PostgresDatabase db) : IOperatorQueries
{
    public async Task<(LoggedInbound Inbound, LoggedReply? Reply)?> MessageAsync(string sid, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var inbound = await c.QuerySingleOrDefaultAsync<InboundRow>(new CommandDefinition(
            """
            SELECT sid AS Sid, from_number AS FromNumber, to_number AS ToNumber, body AS Body, received_at AS ReceivedAt, status AS Status,
                   command AS Command, args AS Args, match AS Match, keyword AS Keyword, language AS Language, handled_at AS HandledAt
            FROM inbound_messages WHERE sid = @sid
            """, new { sid }, cancellationToken: ct));
        if (inbound is null) return null;
        var reply = await c.QuerySingleOrDefaultAsync<ReplyRow>(new CommandDefinition(
            """
            SELECT body AS Body, reply_key AS ReplyKey, language AS Language, encoding AS Encoding, segments AS Segments, status AS Status,
                   twilio_sid AS TwilioSid, error_code AS ErrorCode, error_message AS ErrorMessage, created_at AS CreatedAt, updated_at AS UpdatedAt
            FROM outbound_messages WHERE inbound_sid = @sid
            """, new { sid }, cancellationToken: ct));
        return (new LoggedInbound(inbound.Sid, inbound.FromNumber, inbound.ToNumber, inbound.Body, PostgresAccounts.Utc(inbound.ReceivedAt),
                inbound.Status, inbound.Command, inbound.Args, inbound.Match, inbound.Keyword, inbound.Language,
                inbound.HandledAt is { } handled ? PostgresAccounts.Utc(handled) : null),
            reply is null ? null : new LoggedReply(reply.Body, reply.ReplyKey, reply.Language, reply.Encoding, reply.Segments, reply.Status,
                reply.TwilioSid, reply.ErrorCode, reply.ErrorMessage, PostgresAccounts.Utc(reply.CreatedAt),
                reply.UpdatedAt is { } updated ? PostgresAccounts.Utc(updated) : null));
    }

    public async Task<IReadOnlyList<UnmatchedMessage>> UnmatchedAsync(DateTimeOffset? since, int top, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<UnmatchedRow>(new CommandDefinition(
            """
            SELECT COALESCE(normalised, '') AS Normalised, COUNT(*) AS Count, MIN(body COLLATE "C") AS Example, MAX(received_at) AS LastSeen
            FROM inbound_messages
            WHERE status = 'handled' AND command = 'unknown' AND (@Since::timestamptz IS NULL OR received_at >= @Since)
            GROUP BY COALESCE(normalised, '')
            ORDER BY COUNT(*) DESC, MAX(received_at) DESC
            LIMIT @Top
            """, new { Since = since?.ToUniversalTime(), Top = top }, cancellationToken: ct));
        return rows.Select(r => new UnmatchedMessage(r.Normalised, r.Count, r.Example, PostgresAccounts.Utc(r.LastSeen))).ToList();
    }

    private sealed record UnmatchedRow(string Normalised, long Count, string Example, DateTime LastSeen);

    private sealed record InboundRow(
        string Sid, string FromNumber, string ToNumber, string Body, DateTime ReceivedAt, string Status, string? Command, string? Args,
        string? Match, string? Keyword, string? Language, DateTime? HandledAt);

    private sealed record ReplyRow(
        string Body, string? ReplyKey, string? Language, string? Encoding, int Segments, string Status, string? TwilioSid,
        int? ErrorCode, string? ErrorMessage, DateTime CreatedAt, DateTime? UpdatedAt);
}
