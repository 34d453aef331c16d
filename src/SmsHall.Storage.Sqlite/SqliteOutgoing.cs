using Dapper;
using Microsoft.Data.Sqlite;
using SmsHall.Core;
using SmsHall.Core.Ports;

namespace SmsHall.Storage.Sqlite;

/// <summary>
/// Messages sent of the gateway's own accord, and the leases of one-node jobs, on SQLite. Each
/// queueing is one write transaction, which SQLite lets in one at a time: the checks and the insert
/// see every other queueing whole, from any process on the file.
/// </summary>
public sealed class SqliteOutgoing(Database db) : IOutgoing, ILeases
{
    public async Task<QueueResult> QueueAsync(OutgoingMessage m, DailyCap cap, CancellationToken ct = default)
    {
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        var result = await QueueAsync(c, tx, m, cap, ct);
        if (result == QueueResult.Queued) tx.Commit();
        return result;
    }

    /// <summary>The queueing within a write transaction the caller commits (a ticket's answer is queued with its record).</summary>
    internal static async Task<QueueResult> QueueAsync(SqliteConnection c, SqliteTransaction tx, OutgoingMessage m, DailyCap cap, CancellationToken ct)
    {
        var check = await c.QuerySingleOrDefaultAsync<CheckRow>(new CommandDefinition(
            """
            SELECT s.opted_out AS OptedOut,
                   EXISTS (SELECT 1 FROM alert_refusals r WHERE r.number = s.number AND r.category = @category) AS Refused,
                   EXISTS (SELECT 1 FROM outbound_messages o
                           WHERE o.to_number = s.number AND o.reason = @reason AND o.purpose IN ('notice', 'offer')) AS Sent,
                   (SELECT COUNT(*) FROM outbound_messages o
                    WHERE o.to_number = s.number AND o.purpose IN ('notice', 'offer') AND o.due_at >= @dayStart AND o.due_at < @dayEnd) AS Today
            FROM subscribers s WHERE s.number = @number
            """,
            new { number = m.To, category = m.Category, reason = m.Reason, dayStart = Dates.Write(cap.DayStart), dayEnd = Dates.Write(cap.DayEnd) },
            tx, cancellationToken: ct));
        var result = Purposes.Decide(m, check is null ? null : check.OptedOut != 0, check?.Refused > 0, check?.Sent > 0, check?.Today ?? 0, cap);
        if (result != QueueResult.Queued) return result;

        var created = Dates.Write(m.Created);
        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO outbound_messages (to_number, from_number, body, reply_key, language, encoding, segments, status, created_at,
                                           channel, purpose, reason, category, due_at)
            VALUES (@to, @from, @body, @key, @language, @encoding, @segments, @status, @created, @channel, @purpose, @reason, @category, @due)
            RETURNING id
            """,
            new
            {
                to = m.To, from = m.From, body = m.Text.Text, key = m.Text.Key, language = m.Text.Language,
                encoding = m.Text.Encoding.ToString().ToLowerInvariant(), segments = m.Text.Segments, status = OutboundStatus.Pending,
                created, channel = ChannelNames.Write(m.Channel), purpose = Purposes.Write(m.Purpose), reason = m.Reason, category = m.Category,
                due = Dates.Write(m.Due),
            }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO outbox (id, to_number, channel, state, next_attempt_at, not_before, lane)
            VALUES (@id, @to, @channel, 'pending', @created, @notBefore, @lane)
            """,
            new
            {
                id, to = m.To, channel = ChannelNames.Write(m.Channel), created,
                notBefore = m.NotBefore is { } notBefore ? Dates.Write(notBefore) : null, lane = Purposes.Lane(m.Purpose),
            }, tx, cancellationToken: ct));
        return QueueResult.Queued;
    }

    public async Task<IReadOnlySet<string>> RefusedAsync(string number, CancellationToken ct = default)
    {
        using var c = db.Open();
        return (await c.QueryAsync<string>(new CommandDefinition(
            "SELECT category FROM alert_refusals WHERE number = @number", new { number }, cancellationToken: ct))).ToHashSet();
    }

    public async Task<bool> TryTakeAsync(string name, string holder, DateTimeOffset now, TimeSpan length, CancellationToken ct = default)
    {
        using var c = db.Open();
        return await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO leases (name, holder, expires_at) VALUES (@name, @holder, @until)
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE leases.holder = excluded.holder OR leases.expires_at <= @now
            """, new { name, holder, now = Dates.Write(now), until = Dates.Write(now + length) }, cancellationToken: ct)) == 1;
    }

    public async Task ReleaseAsync(string name, string holder, CancellationToken ct = default)
    {
        using var c = db.Open();
        await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM leases WHERE name = @name AND holder = @holder", new { name, holder }, cancellationToken: ct));
    }

    private sealed record CheckRow(long OptedOut, long Refused, long Sent, long Today);
}
