using Dapper;
using Npgsql;
using SmsHall.Core;
using SmsHall.Core.Ports;

namespace SmsHall.Storage.Postgres;

/// <summary>
/// Messages sent of the gateway's own accord, and the leases of one-node jobs, on PostgreSQL. A
/// queueing locks its subscriber's row first, so two nodes queueing for one number take turns: the
/// second sees the first's message when it counts the day's and looks for the same reason.
/// </summary>
public sealed class PostgresOutgoing(PostgresDatabase db) : IOutgoing, ILeases
{
    public async Task<QueueResult> QueueAsync(OutgoingMessage m, DailyCap cap, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var result = await QueueAsync(c, tx, m, cap, ct);
        if (result == QueueResult.Queued) await tx.CommitAsync(ct);
        return result;
    }

    /// <summary>The queueing within a transaction the caller commits (a ticket's answer is queued with its record).</summary>
    internal static async Task<QueueResult> QueueAsync(NpgsqlConnection c, NpgsqlTransaction tx, OutgoingMessage m, DailyCap cap, CancellationToken ct)
    {
        // Its own statement: under READ COMMITTED the checks below then see whatever the queueing
        // this one waited for committed (a statement sees the data as of its own start).
        await c.ExecuteAsync(new CommandDefinition(
            "SELECT 1 FROM subscribers WHERE number = @number FOR UPDATE", new { number = m.To }, tx, cancellationToken: ct));
        var check = await c.QuerySingleOrDefaultAsync<CheckRow>(new CommandDefinition(
            """
            SELECT s.opted_out AS OptedOut,
                   EXISTS (SELECT 1 FROM alert_refusals r WHERE r.number = s.number AND r.category = @category) AS Refused,
                   EXISTS (SELECT 1 FROM outbound_messages o
                           WHERE o.to_number = s.number AND o.reason = @reason AND o.purpose IN ('notice', 'offer')) AS Sent,
                   (SELECT count(*) FROM outbound_messages o
                    WHERE o.to_number = s.number AND o.purpose IN ('notice', 'offer') AND o.due_at >= @dayStart AND o.due_at < @dayEnd) AS Today
            FROM subscribers s WHERE s.number = @number
            """,
            new { number = m.To, category = m.Category, reason = m.Reason, dayStart = cap.DayStart.ToUniversalTime(), dayEnd = cap.DayEnd.ToUniversalTime() },
            tx, cancellationToken: ct));
        var result = Purposes.Decide(m, check?.OptedOut, check?.Refused ?? false, check?.Sent ?? false, check?.Today ?? 0, cap);
        if (result != QueueResult.Queued) return result;

        await c.ExecuteAsync(new CommandDefinition(
            """
            WITH message AS (
                INSERT INTO outbound_messages (to_number, from_number, body, reply_key, language, encoding, segments, status, created_at,
                                               channel, purpose, reason, category, due_at)
                VALUES (@to, @from, @body, @key, @language, @encoding, @segments, @status, @created, @channel, @purpose, @reason, @category, @due)
                RETURNING id)
            INSERT INTO outbox (id, to_number, channel, state, next_attempt_at, not_before, lane)
            SELECT id, @to, @channel, 'pending', @created, @notBefore, @lane FROM message
            """,
            new
            {
                to = m.To, from = m.From, body = m.Text.Text, key = m.Text.Key, language = m.Text.Language,
                encoding = m.Text.Encoding.ToString().ToLowerInvariant(), segments = m.Text.Segments, status = OutboundStatus.Pending,
                created = m.Created.ToUniversalTime(), channel = ChannelNames.Write(m.Channel), purpose = Purposes.Write(m.Purpose),
                reason = m.Reason, category = m.Category, due = m.Due.ToUniversalTime(), notBefore = m.NotBefore?.ToUniversalTime(), lane = Purposes.Lane(m.Purpose),
            }, tx, cancellationToken: ct));
        return QueueResult.Queued;
    }

    public async Task<IReadOnlySet<string>> RefusedAsync(string number, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<string>(new CommandDefinition(
            "SELECT category FROM alert_refusals WHERE number = @number", new { number }, cancellationToken: ct))).ToHashSet();
    }

    public async Task<bool> TryTakeAsync(string name, string holder, DateTimeOffset now, TimeSpan length, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO leases (name, holder, expires_at) VALUES (@name, @holder, @until)
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE leases.holder = excluded.holder OR leases.expires_at <= @now
            """, new { name, holder, now = now.ToUniversalTime(), until = (now + length).ToUniversalTime() }, cancellationToken: ct)) == 1;
    }

    public async Task ReleaseAsync(string name, string holder, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM leases WHERE name = @name AND holder = @holder", new { name, holder }, cancellationToken: ct));
    }

    private sealed record CheckRow(bool OptedOut, bool Refused, bool Sent, long Today);
}
