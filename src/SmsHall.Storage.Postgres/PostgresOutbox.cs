using Dapper;
using Npgsql;
using SmsHall.Core.Ports;

namespace SmsHall.Storage.Postgres;

/// <summary>
/// The outbox on PostgreSQL (see <see cref="IOutbox"/>), shared by every node's sender. A claim
/// locks the rows it takes with FOR UPDATE SKIP LOCKED: two nodes claiming at once each take other
/// rows, and neither waits for the other.
/// </summary>
public sealed class PostgresOutbox(PostgresDatabase db) : IOutbox
{
    public async Task<IReadOnlyList<OutboxItem>> ClaimAsync(string node, DateTimeOffset now, TimeSpan lease, int max, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        // One statement: lock the due rows nobody else has locked, mark them sent by this node, and
        // read what to send. A row another node claimed meanwhile is either locked (skipped) or,
        // once committed, no longer due (FOR UPDATE looks at its newest version again). Later rows to
        // the same number wait for an earlier one, whatever its state or lock (except held back or parked).
        var rows = await c.QueryAsync<ItemRow>(new CommandDefinition(
            """
            WITH due AS (
                SELECT o.id FROM outbox o
                WHERE ((o.state = 'pending' AND o.next_attempt_at <= @at AND (o.not_before IS NULL OR o.not_before <= @at))
                       OR (o.state = 'sending' AND o.claimed_at < @stale))
                  AND NOT EXISTS (SELECT 1 FROM outbox e
                                  WHERE e.to_number = o.to_number AND e.channel = o.channel AND e.lane = o.lane AND e.id < o.id AND e.state <> 'held'
                                    AND (e.not_before IS NULL OR e.not_before <= @at))
                ORDER BY o.lane <> 'reply', o.id
                LIMIT @max
                FOR UPDATE OF o SKIP LOCKED),
            claimed AS (
                UPDATE outbox o
                SET state = 'sending', claimed_at = @at, claimed_by = @node, attempts = o.attempts + 1,
                    in_doubt = o.in_doubt OR o.state = 'sending'
                FROM due WHERE o.id = due.id
                RETURNING o.id, o.attempts, o.in_doubt, o.channel, o.not_before, o.lookup_failures, o.lane)
            SELECT c.id AS Id, m.to_number AS ToNumber, m.from_number AS FromNumber, m.body AS Body, m.reply_key AS ReplyKey,
                   m.created_at AS CreatedAt, c.attempts AS Attempts, c.in_doubt AS InDoubt, (COALESCE(s.opted_out, false) OR EXISTS (SELECT 1 FROM alert_refusals r WHERE r.number = m.to_number AND r.category = m.category)) AS OptedOut,
                   c.channel AS Channel, m.segments AS Segments, c.not_before AS NotBefore, c.lookup_failures AS LookupFailures,
                   CASE WHEN c.channel = 'whatsapp' THEN (SELECT MAX(i.received_at) FROM inbound_messages i
                                                          WHERE i.from_number = m.to_number AND i.channel = 'whatsapp') END AS LastWhatsApp
            FROM claimed c
            JOIN outbound_messages m ON m.id = c.id
            LEFT JOIN subscribers s ON s.number = m.to_number
            ORDER BY c.lane <> 'reply', c.id
            """, new { at = now.ToUniversalTime(), node, max, stale = (now - lease).ToUniversalTime() }, cancellationToken: ct));
        return rows.Select(r => r.ToItem()).ToList();
    }

    public async Task<int> RecoverAsync(string node, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE outbox SET state = 'pending', in_doubt = true WHERE state = 'sending' AND claimed_by = @node",
            new { node }, cancellationToken: ct));
    }

    public async Task SentAsync(long id, string sid, string status, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await LockSidAsync(c, tx, sid, ct);
        var at = now.ToUniversalTime();
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE outbound_messages SET twilio_sid = @sid, status = @status, updated_at = @at WHERE id = @id",
            new { id, sid, status = DeliveryStatus.IsKnown(status) ? status : "queued", at }, tx, cancellationToken: ct));
        var latest = await c.QueryAsync<(string Status, int? ErrorCode)>(new CommandDefinition(
            "SELECT status, error_code FROM status_events WHERE twilio_sid = @sid ORDER BY id", new { sid }, tx, cancellationToken: ct));
        foreach (var e in latest) await ApplyStatusAsync(c, tx, sid, e.Status, e.ErrorCode, at, ct);
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM outbox WHERE id = @id", new { id }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    public async Task GiveUpAsync(long id, string status, int? errorCode, string? error, bool optOut, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var number = await c.ExecuteScalarAsync<string>(new CommandDefinition(
            """
            UPDATE outbound_messages SET status = @status, error_code = @errorCode, error_message = @error, updated_at = @at
            WHERE id = @id RETURNING to_number
            """, new { id, status, errorCode, error, at = now.ToUniversalTime() }, tx, cancellationToken: ct));
        if (optOut)
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE subscribers SET opted_out = true WHERE number = @number", new { number }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM outbox WHERE id = @id", new { id }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    public async Task RetryLaterAsync(long id, DateTimeOffset at, bool inDoubt, string error, bool charged = true, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE outbox SET state = 'pending', next_attempt_at = @at, in_doubt = in_doubt OR @inDoubt, last_error = @error,
                claimed_at = NULL, claimed_by = NULL, attempts = attempts - @uncharge
            WHERE id = @id
            """, new { id, at = at.ToUniversalTime(), inDoubt, error, uncharge = charged ? 0 : 1 }, cancellationToken: ct));
    }

    public async Task<bool> LookupFailedAsync(long id, DateTimeOffset at, int maxFailures, string error, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var state = await c.ExecuteScalarAsync<string>(new CommandDefinition(
            """
            UPDATE outbox
            SET lookup_failures = lookup_failures + 1, attempts = attempts - 1, last_error = @error, in_doubt = true,
                state = CASE WHEN lookup_failures + 1 >= @maxFailures THEN 'held' ELSE 'pending' END,
                next_attempt_at = @at, claimed_at = NULL, claimed_by = NULL
            WHERE id = @id
            RETURNING state
            """, new { id, at = at.ToUniversalTime(), maxFailures, error }, cancellationToken: ct));
        return state == "held";
    }

    public async Task<IReadOnlyList<HeldReply>> HeldAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<HeldRow>(new CommandDefinition(
            """
            SELECT o.id AS Id, m.to_number AS ToNumber, m.body AS Body, m.created_at AS CreatedAt, o.lookup_failures AS LookupFailures,
                   o.last_error AS LastError
            FROM outbox o JOIN outbound_messages m ON m.id = o.id
            WHERE o.state = 'held' ORDER BY o.id
            """, cancellationToken: ct));
        return rows.Select(r => new HeldReply(r.Id, r.ToNumber, r.Body, PostgresAccounts.Utc(r.CreatedAt), r.LookupFailures, r.LastError)).ToList();
    }

    public async Task<bool> ResendHeldAsync(long id, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE outbox SET state = 'pending', in_doubt = false, lookup_failures = 0, attempts = 0, next_attempt_at = @now,
                not_before = NULL, last_error = 'resent by an operator'
            WHERE id = @id AND state = 'held'
            """, new { id, now = now.ToUniversalTime() }, cancellationToken: ct)) == 1;
    }

    public async Task<bool> DropHeldAsync(long id, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var dropped = await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM outbox WHERE id = @id AND state = 'held'", new { id }, tx, cancellationToken: ct));
        if (dropped == 1)
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE outbound_messages SET status = 'dropped', error_message = 'dropped by an operator', updated_at = @at WHERE id = @id",
                new { id, at = now.ToUniversalTime() }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return dropped == 1;
    }

    public async Task<IReadOnlySet<string>> KnownSidsAsync(string to, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var sids = await c.QueryAsync<string>(new CommandDefinition(
            "SELECT twilio_sid FROM outbound_messages WHERE to_number = @to AND twilio_sid IS NOT NULL", new { to }, cancellationToken: ct));
        return sids.ToHashSet(StringComparer.Ordinal);
    }

    public async Task RecordStatusAsync(string sid, string status, int? errorCode, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await LockSidAsync(c, tx, sid, ct);
        var at = now.ToUniversalTime();
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO status_events (twilio_sid, status, error_code, received_at) VALUES (@sid, @status, @errorCode, @at)",
            new { sid, status, errorCode, at }, tx, cancellationToken: ct));
        await ApplyStatusAsync(c, tx, sid, status, errorCode, at, ct);
        await tx.CommitAsync(ct);
    }

    public async Task<OutboxStats> StatsAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleAsync<StatsRow>(new CommandDefinition(
            """
            SELECT COUNT(*) FILTER (WHERE state = 'pending') AS Pending,
                   COUNT(*) FILTER (WHERE state = 'sending') AS Sending,
                   COUNT(*) FILTER (WHERE in_doubt AND state <> 'held') AS InDoubt,
                   COUNT(*) FILTER (WHERE state = 'held') AS Held,
                   (SELECT COUNT(*) FROM outbound_messages WHERE status = 'expired' AND updated_at > @hourAgo) AS ExpiredLastHour,
                   MIN(next_attempt_at) FILTER (WHERE state = 'pending') AS OldestDue,
                   (SELECT COUNT(*) FROM outbound_messages WHERE status IN ('failed', 'undelivered') AND updated_at > @hourAgo) AS FailedLastHour
            FROM outbox
            """, new { hourAgo = now.AddHours(-1).ToUniversalTime() }, cancellationToken: ct));
        return new OutboxStats(row.Pending, row.Sending, row.InDoubt, row.Held, row.ExpiredLastHour,
            row.OldestDue is { } due ? PostgresAccounts.Utc(due) : null, row.FailedLastHour);
    }

    /// <summary>
    /// A callback and the sender storing the sid it is about may commit at the same moment, on two
    /// nodes: without this lock neither would see the other's uncommitted row (the callback's update
    /// finds no reply with that sid yet, the sender's read finds no callback yet) and the status would
    /// be lost. Taken first in both, it makes the second wait for the first and see what it wrote.
    /// </summary>
    private static Task LockSidAsync(NpgsqlConnection c, NpgsqlTransaction tx, string sid, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(@SidLock, hashtext(@sid))", new { PostgresDatabase.SidLock, sid }, tx, cancellationToken: ct));

    private static Task ApplyStatusAsync(NpgsqlConnection c, NpgsqlTransaction tx, string sid, string status, int? errorCode, DateTimeOffset at, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE outbound_messages SET status = @status, error_code = COALESCE(@errorCode, error_code), updated_at = @at
            WHERE twilio_sid = @sid AND {RankSql("status")} < @rank
            """, new { sid, status, errorCode, at, rank = DeliveryStatus.Rank(status) }, tx, cancellationToken: ct));

    /// <summary>Twilio's ranking of statuses (<see cref="DeliveryStatus"/>) in SQL, over a column.</summary>
    private static string RankSql(string column) =>
        "(CASE " + column + " " + string.Concat(DeliveryStatus.Ranks.Select(r => $"WHEN '{r.Key}' THEN {r.Value} ")) + "ELSE 0 END)";

    private sealed record ItemRow(
        long Id, string ToNumber, string FromNumber, string Body, string? ReplyKey, DateTime CreatedAt, int Attempts, bool InDoubt, bool OptedOut,
        string Channel, int Segments, DateTime? NotBefore, int LookupFailures, DateTime? LastWhatsApp)
    {
        public OutboxItem ToItem() =>
            new(Id, ToNumber, FromNumber, Body, ReplyKey, PostgresAccounts.Utc(CreatedAt), Attempts, InDoubt, OptedOut,
                ChannelNames.Read(Channel) ?? Core.Channel.Sms, Math.Max(1, Segments), NotBefore is { } nb ? PostgresAccounts.Utc(nb) : null,
                LookupFailures, LastWhatsApp is { } last ? PostgresAccounts.Utc(last) : null);
    }

    private sealed record HeldRow(long Id, string ToNumber, string Body, DateTime CreatedAt, int LookupFailures, string? LastError);

    private sealed record StatsRow(long Pending, long Sending, long InDoubt, long Held, long ExpiredLastHour, DateTime? OldestDue, long FailedLastHour);
}
