using Dapper;
using Microsoft.Data.Sqlite;
using SmsHall.Core;
using SmsHall.Core.Ports;

namespace SmsHall.Storage.Sqlite;

/// <summary>
/// The outbox on SQLite (see <see cref="IOutbox"/>). A claim is one UPDATE … RETURNING in a write
/// transaction, and SQLite lets one writer in at a time: two nodes on one file never take the same row.
/// </summary>
public sealed class SqliteOutbox(Database db) : IOutbox
{
    /// <summary>
    /// Takes up to <paramref name="max"/> replies that are due. A row another node took and never
    /// finished (it stopped) is taken again after <paramref name="lease"/>, marked in doubt.
    /// </summary>
    public async Task<IReadOnlyList<OutboxItem>> ClaimAsync(string node, DateTimeOffset now, TimeSpan lease, int max, CancellationToken ct = default)
    {
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        var at = Dates.Write(now);
        var ids = (await c.QueryAsync<long>(new CommandDefinition(
            """
            UPDATE outbox
            SET state = 'sending', claimed_at = @at, claimed_by = @node, attempts = attempts + 1,
                in_doubt = CASE WHEN state = 'sending' THEN 1 ELSE in_doubt END
            WHERE id IN (
                SELECT o.id FROM outbox o
                WHERE ((o.state = 'pending' AND o.next_attempt_at <= @at AND (o.not_before IS NULL OR o.not_before <= @at))
                       OR (o.state = 'sending' AND o.claimed_at < @stale))
                  AND NOT EXISTS (SELECT 1 FROM outbox e
                                  WHERE e.to_number = o.to_number AND e.channel = o.channel AND e.lane = o.lane AND e.id < o.id AND e.state <> 'held'
                                    AND (e.not_before IS NULL OR e.not_before <= @at))
                ORDER BY o.lane <> 'reply', o.id
                LIMIT @max)
            RETURNING id
            """, new { at, node, max, stale = Dates.Write(now - lease) }, tx, cancellationToken: ct))).ToList();
        var items = ids.Count == 0 ? [] : (await c.QueryAsync<ItemRow>(new CommandDefinition(
            """
            SELECT o.id, m.to_number AS ToNumber, m.from_number AS FromNumber, m.body, m.reply_key AS ReplyKey,
                   m.created_at AS CreatedAt, o.attempts, o.in_doubt AS InDoubt, (COALESCE(s.opted_out, 0) OR EXISTS (SELECT 1 FROM alert_refusals r WHERE r.number = m.to_number AND r.category = m.category)) AS OptedOut, o.channel,
                   m.segments, o.not_before AS NotBefore, o.lookup_failures AS LookupFailures,
                   COALESCE(CASE WHEN o.channel = 'whatsapp' THEN (SELECT MAX(i.received_at) FROM inbound_messages i
                                                                  WHERE i.from_number = m.to_number AND i.channel = 'whatsapp') END, '') AS LastWhatsApp
            FROM outbox o
            JOIN outbound_messages m ON m.id = o.id
            LEFT JOIN subscribers s ON s.number = m.to_number
            WHERE o.id IN @ids
            ORDER BY o.lane <> 'reply', o.id
            """, new { ids }, tx, cancellationToken: ct))).Select(r => r.ToItem()).ToList();
        tx.Commit();
        return items;
    }

    /// <summary>On start: what this node was sending when it stopped is sent again, after looking whether Twilio has it.</summary>
    public async Task<int> RecoverAsync(string node, CancellationToken ct = default)
    {
        using var c = db.Open();
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE outbox SET state = 'pending', in_doubt = 1 WHERE state = 'sending' AND claimed_by = @node",
            new { node }, cancellationToken: ct));
    }

    /// <summary>Twilio took the reply: its sid is kept, and any status Twilio already reported for it applied.</summary>
    public async Task SentAsync(long id, string sid, string status, DateTimeOffset now, CancellationToken ct = default)
    {
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE outbound_messages SET twilio_sid = @sid, status = @status, updated_at = @at WHERE id = @id",
            new { id, sid, status = DeliveryStatus.IsKnown(status) ? status : "queued", at = Dates.Write(now) }, tx, cancellationToken: ct));
        var latest = await c.QueryAsync<(string Status, long? ErrorCode, string ReceivedAt)>(new CommandDefinition(
            "SELECT status, error_code, received_at FROM status_events WHERE twilio_sid = @sid ORDER BY id", new { sid }, tx, cancellationToken: ct));
        foreach (var e in latest) await ApplyStatusAsync(c, tx, sid, e.Status, (int?)e.ErrorCode, e.ReceivedAt, ct);
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM outbox WHERE id = @id", new { id }, tx, cancellationToken: ct));
        tx.Commit();
    }

    /// <summary>The reply will not be sent: Twilio refused it, it ran out of attempts, or the number opted out meanwhile.</summary>
    public async Task GiveUpAsync(long id, string status, int? errorCode, string? error, bool optOut, DateTimeOffset now, CancellationToken ct = default)
    {
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        var number = await c.ExecuteScalarAsync<string>(new CommandDefinition(
            """
            UPDATE outbound_messages SET status = @status, error_code = @errorCode, error_message = @error, updated_at = @at
            WHERE id = @id RETURNING to_number
            """, new { id, status, errorCode, error, at = Dates.Write(now) }, tx, cancellationToken: ct));
        if (optOut)
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE subscribers SET opted_out = 1 WHERE number = @number", new { number }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM outbox WHERE id = @id", new { id }, tx, cancellationToken: ct));
        tx.Commit();
    }

    /// <summary>
    /// Puts a reply back to be tried again later. <paramref name="charged"/> false: the round it was
    /// claimed for does not count (nothing was tried: Twilio's circuit was open).
    /// </summary>
    public async Task RetryLaterAsync(long id, DateTimeOffset at, bool inDoubt, string error, bool charged = true, CancellationToken ct = default)
    {
        using var c = db.Open();
        await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE outbox SET state = 'pending', next_attempt_at = @at, in_doubt = MAX(in_doubt, @inDoubt), last_error = @error,
                claimed_at = NULL, claimed_by = NULL, attempts = attempts - @uncharge
            WHERE id = @id
            """, new { id, at = Dates.Write(at), inDoubt = inDoubt ? 1 : 0, error, uncharge = charged ? 0 : 1 }, cancellationToken: ct));
    }

    /// <summary>
    /// A look at Twilio's message list for an in-doubt reply failed. The reply waits until
    /// <paramref name="at"/> for another look (the round is not charged: nothing was sent), or, after
    /// <paramref name="maxFailures"/> failed looks, is parked for an operator. True when it was parked.
    /// </summary>
    public async Task<bool> LookupFailedAsync(long id, DateTimeOffset at, int maxFailures, string error, CancellationToken ct = default)
    {
        using var c = db.Open();
        var state = await c.ExecuteScalarAsync<string>(new CommandDefinition(
            """
            UPDATE outbox
            SET lookup_failures = lookup_failures + 1, attempts = attempts - 1, last_error = @error, in_doubt = 1,
                state = CASE WHEN lookup_failures + 1 >= @maxFailures THEN 'held' ELSE 'pending' END,
                next_attempt_at = @at, claimed_at = NULL, claimed_by = NULL
            WHERE id = @id
            RETURNING state
            """, new { id, at = Dates.Write(at), maxFailures, error }, cancellationToken: ct));
        return state == "held";
    }

    /// <summary>The replies parked for an operator, oldest first.</summary>
    public async Task<IReadOnlyList<HeldReply>> HeldAsync(CancellationToken ct = default)
    {
        using var c = db.Open();
        var rows = await c.QueryAsync<HeldRow>(new CommandDefinition(
            """
            SELECT o.id, m.to_number AS ToNumber, m.body, m.created_at AS CreatedAt, o.lookup_failures AS LookupFailures, o.last_error AS LastError
            FROM outbox o JOIN outbound_messages m ON m.id = o.id
            WHERE o.state = 'held' ORDER BY o.id
            """, cancellationToken: ct));
        return rows.Select(r => new HeldReply(r.Id, r.ToNumber, r.Body, Dates.ReadTime(r.CreatedAt), (int)r.LookupFailures, r.LastError)).ToList();
    }

    /// <summary>
    /// An operator's decision on a parked reply: send it (as new, without looking at Twilio first:
    /// the operator has taken that risk) now. False when no such reply is parked.
    /// </summary>
    public async Task<bool> ResendHeldAsync(long id, DateTimeOffset now, CancellationToken ct = default)
    {
        using var c = db.Open();
        return await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE outbox SET state = 'pending', in_doubt = 0, lookup_failures = 0, attempts = 0, next_attempt_at = @now,
                not_before = NULL, last_error = 'resent by an operator'
            WHERE id = @id AND state = 'held'
            """, new { id, now = Dates.Write(now) }, cancellationToken: ct)) == 1;
    }

    /// <summary>An operator's decision on a parked reply: it is not sent (status 'dropped'). False when no such reply is parked.</summary>
    public async Task<bool> DropHeldAsync(long id, DateTimeOffset now, CancellationToken ct = default)
    {
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        var dropped = await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM outbox WHERE id = @id AND state = 'held'", new { id }, tx, cancellationToken: ct));
        if (dropped == 1)
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE outbound_messages SET status = 'dropped', error_message = 'dropped by an operator', updated_at = @at WHERE id = @id",
                new { id, at = Dates.Write(now) }, tx, cancellationToken: ct));
        tx.Commit();
        return dropped == 1;
    }

    /// <summary>The sids Twilio gave earlier replies to this number: a lost answer is never mistaken for one of them.</summary>
    public async Task<IReadOnlySet<string>> KnownSidsAsync(string to, CancellationToken ct = default)
    {
        using var c = db.Open();
        var sids = await c.QueryAsync<string>(new CommandDefinition(
            "SELECT twilio_sid FROM outbound_messages WHERE to_number = @to AND twilio_sid IS NOT NULL", new { to }, cancellationToken: ct));
        return sids.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Records a status callback and moves the reply's status on. Callbacks can arrive out of order;
    /// a status is never replaced by an earlier one (sent after delivered is ignored).
    /// </summary>
    public async Task RecordStatusAsync(string sid, string status, int? errorCode, DateTimeOffset now, CancellationToken ct = default)
    {
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        var at = Dates.Write(now);
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO status_events (twilio_sid, status, error_code, received_at) VALUES (@sid, @status, @errorCode, @at)",
            new { sid, status, errorCode, at }, tx, cancellationToken: ct));
        await ApplyStatusAsync(c, tx, sid, status, errorCode, at, ct);
        tx.Commit();
    }

    public async Task<OutboxStats> StatsAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        using var c = db.Open();
        var row = await c.QuerySingleAsync<StatsRow>(new CommandDefinition(
            """
            SELECT (SELECT COUNT(*) FROM outbox WHERE state = 'pending') AS Pending,
                   (SELECT COUNT(*) FROM outbox WHERE state = 'sending') AS Sending,
                   (SELECT COUNT(*) FROM outbox WHERE in_doubt = 1 AND state <> 'held') AS InDoubt,
                   (SELECT COUNT(*) FROM outbox WHERE state = 'held') AS Held,
                   (SELECT COUNT(*) FROM outbound_messages WHERE status = 'expired' AND updated_at > @hourAgo) AS ExpiredLastHour,
                   (SELECT MIN(next_attempt_at) FROM outbox WHERE state = 'pending') AS OldestDue,
                   (SELECT COUNT(*) FROM outbound_messages WHERE status IN ('failed', 'undelivered') AND updated_at > @hourAgo) AS FailedLastHour
            """, new { hourAgo = Dates.Write(now.AddHours(-1)) }, cancellationToken: ct));
        return new OutboxStats(row.Pending, row.Sending, row.InDoubt, row.Held, row.ExpiredLastHour,
            row.OldestDue is null ? null : Dates.ReadTime(row.OldestDue), row.FailedLastHour);
    }

    /// <summary>Twilio's ranking of statuses (<see cref="DeliveryStatus"/>) in SQL, over a column.</summary>
    private static string RankSql(string column) =>
        "(CASE " + column + " " + string.Concat(DeliveryStatus.Ranks.Select(r => $"WHEN '{r.Key}' THEN {r.Value} ")) + "ELSE 0 END)";

    private static Task ApplyStatusAsync(SqliteConnection c, SqliteTransaction tx, string sid, string status, int? errorCode, string at, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE outbound_messages SET status = @status, error_code = COALESCE(@errorCode, error_code), updated_at = @at
            WHERE twilio_sid = @sid AND {RankSql("status")} < @rank
            """, new { sid, status, errorCode, at, rank = DeliveryStatus.Rank(status) }, tx, cancellationToken: ct));

    private sealed record ItemRow(
        long Id, string ToNumber, string FromNumber, string Body, string? ReplyKey, string CreatedAt, long Attempts, long InDoubt, long OptedOut,
        string Channel, long Segments, string? NotBefore, long LookupFailures, string LastWhatsApp)
    {
        public OutboxItem ToItem() =>
            new(Id, ToNumber, FromNumber, Body, ReplyKey, Dates.ReadTime(CreatedAt), (int)Attempts, InDoubt != 0, OptedOut != 0,
                ChannelNames.Read(Channel) ?? Core.Channel.Sms, (int)Math.Max(1, Segments), NotBefore is null ? null : Dates.ReadTime(NotBefore),
                (int)LookupFailures, LastWhatsApp.Length == 0 ? null : Dates.ReadTime(LastWhatsApp));
    }

    // A class, not a record: SQLite gives a subquery's column no declared type, and Dapper matches a
    // record's constructor by type.
    private sealed class StatsRow
    {
        public long Pending { get; init; }
        public long Sending { get; init; }
        public long InDoubt { get; init; }
        public long Held { get; init; }
        public long ExpiredLastHour { get; init; }
        public string? OldestDue { get; init; }
        public long FailedLastHour { get; init; }
    }

    private sealed record HeldRow(long Id, string ToNumber, string Body, string CreatedAt, long LookupFailures, string? LastError);
}
