using System.Text;
using Dapper;
using SmsHall.Core.Ports;

namespace SmsHall.Storage.Postgres;

/// <summary>
/// Operators' questions about the message log, on PostgreSQL. Every question over a window reads the
/// log through its index on received_at (or on from_number and received_at for one number).
/// </summary>
public sealed class PostgresOperatorQueries(PostgresDatabase db) : IOperatorQueries
{
    /// <summary>A message's outcome (see <see cref="LoggedOutcome"/>), from its row.</summary>
    private const string OutcomeSql =
        "CASE WHEN i.status = 'received' THEN 'unhandled' WHEN i.command <> 'unknown' THEN 'understood' " +
        "WHEN i.suggestions IS NOT NULL THEN 'clarified' ELSE 'not_understood' END";

    private const string ListColumns =
        $"""
        SELECT i.sid AS Sid, i.from_number AS FromNumber, i.body AS Body, i.received_at AS ReceivedAt, {OutcomeSql} AS Outcome,
               i.command AS Command, i.match AS Match, i.language AS Language, o.body AS Reply, o.status AS ReplyStatus
        FROM inbound_messages i LEFT JOIN outbound_messages o ON o.inbound_sid = i.sid
        """;

    public async Task<(LoggedInbound Inbound, LoggedReply? Reply)?> MessageAsync(string sid, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var inbound = await c.QuerySingleOrDefaultAsync<InboundRow>(new CommandDefinition(
            """
            SELECT sid AS Sid, from_number AS FromNumber, to_number AS ToNumber, body AS Body, received_at AS ReceivedAt, status AS Status,
                   command AS Command, args AS Args, match AS Match, keyword AS Keyword, language AS Language, handled_at AS HandledAt,
                   normalised AS Normalised, distance AS Distance, suggestions AS Suggestions, channel AS Channel
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
                inbound.HandledAt is { } handled ? PostgresAccounts.Utc(handled) : null, inbound.Normalised, inbound.Distance,
                inbound.Suggestions, inbound.Channel),
            reply is null ? null : new LoggedReply(reply.Body, reply.ReplyKey, reply.Language, reply.Encoding, reply.Segments, reply.Status,
                reply.TwilioSid, reply.ErrorCode, reply.ErrorMessage, PostgresAccounts.Utc(reply.CreatedAt),
                reply.UpdatedAt is { } updated ? PostgresAccounts.Utc(updated) : null));
    }

    public async Task<IReadOnlyList<UnmatchedMessage>> UnmatchedAsync(DateTimeOffset? since, int top, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<UnmatchedRow>(new CommandDefinition(
            """
            SELECT COALESCE(normalised, '') AS Normalised, COUNT(*) AS Count, MIN(body COLLATE "C") AS Example, MAX(received_at) AS LastSeen,
                   ARRAY_AGG(DISTINCT language ORDER BY language) FILTER (WHERE language IS NOT NULL) AS Languages,
                   MAX(suggestions) AS Suggestions
            FROM inbound_messages
            WHERE status = 'handled' AND command = 'unknown' AND (@Since::timestamptz IS NULL OR received_at >= @Since)
            GROUP BY COALESCE(normalised, '')
            ORDER BY COUNT(*) DESC, MAX(received_at) DESC
            LIMIT @Top
            """, new { Since = since?.ToUniversalTime(), Top = top }, cancellationToken: ct));
        return rows.Select(r => new UnmatchedMessage(r.Normalised, r.Count, r.Example, PostgresAccounts.Utc(r.LastSeen),
            r.Languages ?? [], LoggedOutcome.Commands(r.Suggestions))).ToList();
    }

    public async Task<IReadOnlyList<LoggedMessage>> SearchAsync(MessageFilter filter, int skip, int take, CancellationToken ct = default)
    {
        var (where, args) = Where(filter);
        args.Add("skip", skip);
        args.Add("take", take);
        await using var c = await db.OpenAsync(ct);
        return List(await c.QueryAsync<ListRow>(new CommandDefinition(
            $"{ListColumns} {where} ORDER BY i.received_at DESC, i.sid DESC LIMIT @take OFFSET @skip", args, cancellationToken: ct)));
    }

    public async Task<MessageTrace?> TraceAsync(string sid, int around, CancellationToken ct = default)
    {
        if (await MessageAsync(sid, ct) is not var (inbound, reply)) return null;
        await using var c = await db.OpenAsync(ct);
        var events = reply?.TwilioSid is { } twilioSid
            ? (await c.QueryAsync<EventRow>(new CommandDefinition(
                "SELECT status AS Status, error_code AS ErrorCode, received_at AS ReceivedAt FROM status_events WHERE twilio_sid = @twilioSid ORDER BY id",
                new { twilioSid }, cancellationToken: ct))).Select(e => new DeliveryEvent(e.Status, e.ErrorCode, PostgresAccounts.Utc(e.ReceivedAt))).ToList()
            : [];
        var at = new { from = inbound.From, at = inbound.ReceivedAt.ToUniversalTime(), sid, around };
        var before = List(await c.QueryAsync<ListRow>(new CommandDefinition(
            $"""
            {ListColumns} WHERE i.from_number = @from AND (i.received_at, i.sid COLLATE "C") < (@at, @sid COLLATE "C")
            ORDER BY i.received_at DESC, i.sid COLLATE "C" DESC LIMIT @around
            """, at, cancellationToken: ct)));
        var after = List(await c.QueryAsync<ListRow>(new CommandDefinition(
            $"""
            {ListColumns} WHERE i.from_number = @from AND (i.received_at, i.sid COLLATE "C") >= (@at, @sid COLLATE "C")
            ORDER BY i.received_at, i.sid COLLATE "C" LIMIT @around + 1
            """, at, cancellationToken: ct)));
        return new MessageTrace(inbound, reply, events, [.. before.AsEnumerable().Reverse(), .. after]);
    }

    public async Task<LogSummary> SummaryAsync(DateTimeOffset from, DateTimeOffset to, TimeSpan bucket, CancellationToken ct = default)
    {
        var window = new { from = from.ToUniversalTime(), to = to.ToUniversalTime(), seconds = bucket.TotalSeconds };
        const string inWindow = "FROM inbound_messages i WHERE i.received_at >= @from AND i.received_at < @to";
        await using var c = await db.OpenAsync(ct);
        var counts = await c.QueryAsync<CountRow>(new CommandDefinition(
            $"""
            SELECT i.command AS Command, i.match AS Match, i.language AS Language, {OutcomeSql} AS Outcome, COUNT(*) AS Count
            {inWindow} GROUP BY 1, 2, 3, 4
            """, window, cancellationToken: ct));
        var buckets = await c.QueryAsync<(long Bucket, long Count)>(new CommandDefinition(
            $"""
            SELECT floor(extract(epoch FROM i.received_at - @from) / @seconds)::bigint AS Bucket, COUNT(*) AS Count
            {inWindow} GROUP BY 1
            """, window, cancellationToken: ct));
        var statuses = await c.QueryAsync<(string Name, long Count)>(new CommandDefinition(
            """
            SELECT o.status AS Name, COUNT(*) AS Count
            FROM inbound_messages i JOIN outbound_messages o ON o.inbound_sid = i.sid
            WHERE i.received_at >= @from AND i.received_at < @to GROUP BY o.status ORDER BY 2 DESC
            """, window, cancellationToken: ct));
        return new LogSummary(from, to, bucket,
            counts.Select(r => new MessageCount(r.Command, r.Match, r.Language, r.Outcome, r.Count)).ToList(),
            LogSummary.PerBucketOf(from, to, bucket, buckets), statuses.Select(s => new NamedCount(s.Name, s.Count)).ToList());
    }

    public async Task<DeliveryReport> DeliveryAsync(DateTimeOffset since, int top, CancellationToken ct = default)
    {
        var args = new { since = since.ToUniversalTime(), top };
        await using var c = await db.OpenAsync(ct);
        var pending = await c.QueryAsync<PendingRow>(new CommandDefinition(
            """
            SELECT b.id AS Id, m.inbound_sid AS InboundSid, m.to_number AS ToNumber, m.body AS Body, b.state AS State, b.attempts AS Attempts,
                   b.in_doubt AS InDoubt, b.next_attempt_at AS NextAttemptAt, b.last_error AS LastError
            FROM outbox b JOIN outbound_messages m ON m.id = b.id ORDER BY b.id LIMIT @top
            """, args, cancellationToken: ct));
        // Through the messages of the window (received_at's index) to their replies, rather than a scan of every reply ever sent.
        var failed = await c.QueryAsync<FailedRow>(new CommandDefinition(
            """
            SELECT o.inbound_sid AS InboundSid, o.to_number AS ToNumber, o.body AS Body, o.status AS Status, o.error_code AS ErrorCode,
                   o.error_message AS ErrorMessage, COALESCE(o.updated_at, o.created_at) AS At
            FROM inbound_messages i JOIN outbound_messages o ON o.inbound_sid = i.sid
            WHERE i.received_at >= @since AND o.status IN ('failed', 'undelivered', 'expired', 'dropped')
            ORDER BY At DESC LIMIT @top
            """, args, cancellationToken: ct));
        var errors = await c.QueryAsync<ErrorRow>(new CommandDefinition(
            """
            SELECT o.error_code AS Code, COUNT(*) AS Count, MAX(COALESCE(o.updated_at, o.created_at)) AS LastSeen, MAX(o.error_message) AS Message
            FROM inbound_messages i JOIN outbound_messages o ON o.inbound_sid = i.sid
            WHERE i.received_at >= @since AND o.error_code IS NOT NULL
            GROUP BY o.error_code ORDER BY COUNT(*) DESC LIMIT @top
            """, args, cancellationToken: ct));
        var optedOutCount = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM subscribers WHERE opted_out", cancellationToken: ct));
        var optedOut = await c.QueryAsync<string>(new CommandDefinition(
            "SELECT number FROM subscribers WHERE opted_out ORDER BY number COLLATE \"C\" LIMIT @top", args, cancellationToken: ct));
        return new DeliveryReport(
            pending.Select(p => new PendingReply(p.Id, p.InboundSid, p.ToNumber, p.Body, p.State, p.Attempts, p.InDoubt,
                PostgresAccounts.Utc(p.NextAttemptAt), p.LastError)).ToList(),
            failed.Select(f => new FailedReply(f.InboundSid, f.ToNumber, f.Body, f.Status, f.ErrorCode, f.ErrorMessage, PostgresAccounts.Utc(f.At))).ToList(),
            errors.Select(e => new ErrorCount(e.Code, e.Count, PostgresAccounts.Utc(e.LastSeen), e.Message)).ToList(),
            optedOut.ToList(), optedOutCount);
    }

    /// <summary>The filter as a WHERE clause; the text is searched as typed and as normalised, ignoring case.</summary>
    private static (string Where, DynamicParameters Args) Where(MessageFilter f)
    {
        var sql = new StringBuilder("WHERE true");
        var args = new DynamicParameters();
        void Add(string condition, string name, object? value)
        {
            sql.Append(" AND ").Append(condition);
            args.Add(name, value);
        }
        if (f.Number is { } number) Add("i.from_number = @number", "number", number);
        if (f.Text is not null) Add(@"(i.body ILIKE @text ESCAPE '\' OR i.normalised ILIKE @text ESCAPE '\')", "text", f.TextPattern);
        if (f.Command is { } command) Add("i.command = @command", "command", command);
        if (f.Language is { } language) Add("i.language = @language", "language", language);
        if (f.Outcome is { } outcome) Add($"{OutcomeSql} = @outcome", "outcome", outcome);
        if (f.From is { } start) Add("i.received_at >= @start", "start", start.ToUniversalTime());
        if (f.To is { } end) Add("i.received_at < @end", "end", end.ToUniversalTime());
        if (f.After is { } after) Add("i.received_at > @after", "after", after.ToUniversalTime());
        return (sql.ToString(), args);
    }

    private static List<LoggedMessage> List(IEnumerable<ListRow> rows) =>
        rows.Select(r => new LoggedMessage(r.Sid, r.FromNumber, r.Body, PostgresAccounts.Utc(r.ReceivedAt), r.Outcome, r.Command, r.Match,
            r.Language, r.Reply, r.ReplyStatus)).ToList();

    private sealed class UnmatchedRow
    {
        public string Normalised { get; init; } = "";
        public long Count { get; init; }
        public string Example { get; init; } = "";
        public DateTime LastSeen { get; init; }
        public string[]? Languages { get; init; }
        public string? Suggestions { get; init; }
    }

    private sealed class InboundRow
    {
        public string Sid { get; init; } = "";
        public string FromNumber { get; init; } = "";
        public string ToNumber { get; init; } = "";
        public string Body { get; init; } = "";
        public DateTime ReceivedAt { get; init; }
        public string Status { get; init; } = "";
        public string? Command { get; init; }
        public string? Args { get; init; }
        public string? Match { get; init; }
        public string? Keyword { get; init; }
        public string? Language { get; init; }
        public DateTime? HandledAt { get; init; }
        public string? Normalised { get; init; }
        public long? Distance { get; init; }
        public string? Suggestions { get; init; }
        public string Channel { get; init; } = "sms";
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
        public DateTime CreatedAt { get; init; }
        public DateTime? UpdatedAt { get; init; }
    }

    private sealed class ListRow
    {
        public string Sid { get; init; } = "";
        public string FromNumber { get; init; } = "";
        public string Body { get; init; } = "";
        public DateTime ReceivedAt { get; init; }
        public string Outcome { get; init; } = "";
        public string? Command { get; init; }
        public string? Match { get; init; }
        public string? Language { get; init; }
        public string? Reply { get; init; }
        public string? ReplyStatus { get; init; }
    }

    private sealed class EventRow
    {
        public string Status { get; init; } = "";
        public long? ErrorCode { get; init; }
        public DateTime ReceivedAt { get; init; }
    }

    private sealed class CountRow
    {
        public string? Command { get; init; }
        public string? Match { get; init; }
        public string? Language { get; init; }
        public string Outcome { get; init; } = "";
        public long Count { get; init; }
    }

    private sealed class PendingRow
    {
        public long Id { get; init; }
        public string InboundSid { get; init; } = "";
        public string ToNumber { get; init; } = "";
        public string Body { get; init; } = "";
        public string State { get; init; } = "";
        public long Attempts { get; init; }
        public bool InDoubt { get; init; }
        public DateTime NextAttemptAt { get; init; }
        public string? LastError { get; init; }
    }

    private sealed class FailedRow
    {
        public string InboundSid { get; init; } = "";
        public string ToNumber { get; init; } = "";
        public string Body { get; init; } = "";
        public string Status { get; init; } = "";
        public long? ErrorCode { get; init; }
        public string? ErrorMessage { get; init; }
        public DateTime At { get; init; }
    }

    private sealed class ErrorRow
    {
        public long Code { get; init; }
        public long Count { get; init; }
        public DateTime LastSeen { get; init; }
        public string? Message { get; init; }
    }
}
