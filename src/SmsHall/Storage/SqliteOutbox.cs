using Dapper;
using Microsoft.Data.Sqlite;
using SmsHall.Core;

namespace SmsHall.Storage;

/// <summary>
/// A reply taken from the outbox to be sent. <see cref="To"/> and <see cref="From"/> are bare numbers;
/// <see cref="Channel"/> is the channel the message came on, which the reply goes back on.
/// <see cref="InDoubt"/>: an earlier attempt may have reached Twilio.
/// </summary>
public sealed record OutboxItem(
    long Id, string To, string From, string Body, string? ReplyKey, DateTimeOffset Created, int Attempts, bool InDoubt, bool OptedOut,
    Channel Channel = Channel.Sms);

/// <summary>The outbox's counts, for operators.</summary>
public sealed class OutboxStats
{
    public long Pending { get; init; }
    public long Sending { get; init; }
    public long InDoubt { get; init; }
    public string? OldestDue { get; init; }
    public long FailedLastHour { get; init; }
}

/// <summary>
/// The outbox: replies committed with their messages and waiting to be sent, and the record of what
/// Twilio made of each. Rows are taken a few at a time, oldest first and one per number and channel
/// at a time, so a subscriber's replies arrive in the order they were written on each channel.
/// </summary>
public sealed class SqliteOutbox(Database db)
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
                WHERE ((o.state = 'pending' AND o.next_attempt_at <= @at) OR (o.state = 'sending' AND o.claimed_at < @stale))
                  AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.to_number = o.to_number AND e.channel = o.channel AND e.id < o.id)
                ORDER BY o.id
                LIMIT @max)
            RETURNING id
            """, new { at, node, max, stale = Dates.Write(now - lease) }, tx, cancellationToken: ct))).ToList();
        var items = ids.Count == 0 ? [] : (await c.QueryAsync<ItemRow>(new CommandDefinition(
            """
            SELECT o.id, m.to_number AS ToNumber, m.from_number AS FromNumber, m.body, m.reply_key AS ReplyKey,
                   m.created_at AS CreatedAt, o.attempts, o.in_doubt AS InDoubt, COALESCE(s.opted_out, 0) AS OptedOut, o.channel
            FROM outbox o
            JOIN outbound_messages m ON m.id = o.id
            LEFT JOIN subscribers s ON s.number = m.to_number
            WHERE o.id IN @ids
            ORDER BY o.id
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

    /// <summary>Puts a reply back to be tried again later.</summary>
    public async Task RetryLaterAsync(long id, DateTimeOffset at, bool inDoubt, string error, CancellationToken ct = default)
    {
        using var c = db.Open();
        await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE outbox SET state = 'pending', next_attempt_at = @at, in_doubt = MAX(in_doubt, @inDoubt), last_error = @error,
                claimed_at = NULL, claimed_by = NULL
            WHERE id = @id
            """, new { id, at = Dates.Write(at), inDoubt = inDoubt ? 1 : 0, error }, cancellationToken: ct));
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
        return await c.QuerySingleAsync<OutboxStats>(new CommandDefinition(
            """
            SELECT (SELECT COUNT(*) FROM outbox WHERE state = 'pending') AS Pending,
                   (SELECT COUNT(*) FROM outbox WHERE state = 'sending') AS Sending,
                   (SELECT COUNT(*) FROM outbox WHERE in_doubt = 1) AS InDoubt,
                   (SELECT MIN(next_attempt_at) FROM outbox WHERE state = 'pending') AS OldestDue,
                   (SELECT COUNT(*) FROM outbound_messages WHERE status IN ('failed', 'undelivered') AND updated_at > @hourAgo) AS FailedLastHour
            """, new { hourAgo = Dates.Write(now.AddHours(-1)) }, cancellationToken: ct));
    }

    private static Task ApplyStatusAsync(SqliteConnection c, SqliteTransaction tx, string sid, string status, int? errorCode, string at, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE outbound_messages SET status = @status, error_code = COALESCE(@errorCode, error_code), updated_at = @at
            WHERE twilio_sid = @sid AND {DeliveryStatus.RankSql("status")} < @rank
            """, new { sid, status, errorCode, at, rank = DeliveryStatus.Rank(status) }, tx, cancellationToken: ct));

    private sealed record ItemRow(
        long Id, string ToNumber, string FromNumber, string Body, string? ReplyKey, string CreatedAt, long Attempts, long InDoubt, long OptedOut,
        string Channel)
    {
        public OutboxItem ToItem() =>
            new(Id, ToNumber, FromNumber, Body, ReplyKey, Dates.ReadTime(CreatedAt), (int)Attempts, InDoubt != 0, OptedOut != 0,
                ChannelNames.Read(Channel) ?? Core.Channel.Sms);
    }
}

/// <summary>Twilio's message statuses, in the order a message goes through them.</summary>
public static class DeliveryStatus
{
    private static readonly Dictionary<string, int> Ranks = new(StringComparer.Ordinal)
    {
        ["accepted"] = 1,
        ["scheduled"] = 1,
        ["queued"] = 2,
        ["sending"] = 3,
        ["sent"] = 4,
        ["partially_delivered"] = 5,
        ["delivered"] = 6,
        ["undelivered"] = 6,
        ["failed"] = 6,
        ["canceled"] = 6,
        ["read"] = 7,
    };

    public static bool IsKnown(string status) => Ranks.ContainsKey(status);

    /// <summary>How far along a status is; our own statuses (pending, replied, …) count as 0.</summary>
    public static int Rank(string status) => Ranks.GetValueOrDefault(status);

    /// <summary>The same ranking in SQL, over a column.</summary>
    public static string RankSql(string column) =>
        "(CASE " + column + " " + string.Concat(Ranks.Select(r => $"WHEN '{r.Key}' THEN {r.Value} ")) + "ELSE 0 END)";
}
