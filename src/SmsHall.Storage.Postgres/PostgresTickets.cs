using Dapper;
using Npgsql;
using SmsHall.Core;
using SmsHall.Core.Accounts;
using SmsHall.Core.Ports;

namespace SmsHall.Storage.Postgres;

/// <summary>What the hall reads about tickets while handling a message.</summary>
public sealed partial class PostgresAccounts
{
    // A sequence never gives a number twice, whichever node asks, and never waits for a transaction.
    public async Task<long> ReserveTicketAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT nextval('ticket_numbers')", cancellationToken: ct));
    }

    public async Task<long?> AnsweredTicketAsync(string number, DateTimeOffset since, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            """
            SELECT id FROM tickets
            WHERE number = @number AND answered_at > @since AND state <> 'closed'
            ORDER BY answered_at DESC LIMIT 1
            """, new { number, since = since.ToUniversalTime() }, cancellationToken: ct));
    }

    public async Task<long?> WaitingTicketAsync(string number, string kind, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            """
            SELECT id FROM tickets
            WHERE number = @number AND kind = @kind AND state IN ('open', 'assigned')
            ORDER BY id LIMIT 1
            """, new { number, kind }, cancellationToken: ct));
    }
}

/// <summary>The ticket changes, applied inside a message's commit (<see cref="PostgresMessageLog"/>).</summary>
internal static class PostgresTicketChanges
{
    public static async Task<bool> ApplyAsync(NpgsqlConnection c, NpgsqlTransaction tx, InboundMessage m, AccountChange change, CancellationToken ct)
    {
        var at = m.ReceivedAt.ToUniversalTime();
        switch (change)
        {
            case AccountChange.OpenTicket open:
                // The sid is unique: a message committed twice (a redelivery on another node) opens one ticket.
                var opened = await c.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO tickets (id, reference, number, kind, text, language, state, created_at, updated_at, opened_by_sid)
                    VALUES (@Id, @reference, @number, @Kind, @Text, @Language, 'open', @at, @at, @sid)
                    ON CONFLICT (opened_by_sid) DO NOTHING
                    """, new { open.Id, reference = Tickets.Reference(open.Id), number = m.From, open.Kind, open.Text, open.Language, at, sid = m.Sid },
                    tx, cancellationToken: ct));
                if (opened == 1) await AddMessageAsync(c, tx, open.Id, m, at, ct);
                return true;
            case AccountChange.JoinTicket join:
                // Back in the queue: the subscriber said something an operator should read.
                await c.ExecuteAsync(new CommandDefinition(
                    """
                    UPDATE tickets SET state = CASE WHEN assigned_to IS NULL THEN 'open' ELSE 'assigned' END, updated_at = @at
                    WHERE id = @Id AND state <> 'closed'
                    """, new { join.Id, at }, tx, cancellationToken: ct));
                await AddMessageAsync(c, tx, join.Id, m, at, ct);
                return true;
            default:
                return false;
        }
    }

    private static Task AddMessageAsync(NpgsqlConnection c, NpgsqlTransaction tx, long ticket, InboundMessage m, DateTimeOffset at, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO ticket_messages (ticket_id, at, outgoing, author, text, sid) VALUES (@ticket, @at, false, NULL, @body, @sid)
            ON CONFLICT (sid) DO NOTHING
            """, new { ticket, at, body = m.Body, sid = m.Sid }, tx, cancellationToken: ct));
}

/// <summary>The ticket queue on PostgreSQL.</summary>
public sealed class PostgresTickets(PostgresDatabase db) : ITickets
{
    private const string Columns =
        """
        SELECT id, number, kind, text, language, state, assigned_to AS AssignedTo, created_at AS CreatedAt, updated_at AS UpdatedAt,
               answered_at AS AnsweredAt, opened_by_sid AS OpenedBySid
        FROM tickets
        """;

    public async Task<IReadOnlyList<Ticket>> ListAsync(string? state, int take, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<TicketRow>(new CommandDefinition(
            $"""
            {Columns} WHERE @state::text IS NULL OR state = @state
            ORDER BY CASE WHEN state IN ('open', 'assigned') THEN 0 ELSE 1 END,
                     CASE WHEN state IN ('open', 'assigned') THEN updated_at END,
                     CASE WHEN state IN ('open', 'assigned') THEN id END,
                     updated_at DESC, id DESC
            LIMIT @take
            """, new { state, take }, cancellationToken: ct))).Select(r => r.ToTicket()).ToList();
    }

    public async Task<IReadOnlyDictionary<string, long>> CountsAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<(string State, long Count)>(new CommandDefinition(
            "SELECT state, count(*) FROM tickets GROUP BY state", cancellationToken: ct))).ToDictionary(r => r.State, r => r.Count);
    }

    public async Task<Ticket?> FindAsync(long id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QuerySingleOrDefaultAsync<TicketRow>(new CommandDefinition(
            $"{Columns} WHERE id = @id", new { id }, cancellationToken: ct)))?.ToTicket();
    }

    public async Task<IReadOnlyList<TicketMessage>> MessagesAsync(long id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<(DateTime At, bool Outgoing, string? Author, string Text, string? Sid)>(new CommandDefinition(
                "SELECT at, outgoing, author, text, sid FROM ticket_messages WHERE ticket_id = @id ORDER BY id", new { id }, cancellationToken: ct)))
            .Select(r => new TicketMessage(PostgresAccounts.Utc(r.At), r.Outgoing, r.Author, r.Text, r.Sid)).ToList();
    }

    public async Task<IReadOnlyList<NumberMessage>> RecentAsync(string number, int take, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<(DateTime At, bool Outgoing, string Text, string? Command, string? Purpose, string? Reason, string? Status)>(new CommandDefinition(
                """
                SELECT * FROM (
                    SELECT received_at AS at, false AS outgoing, body AS text, command, NULL::text AS purpose, NULL::text AS reason, status
                    FROM inbound_messages WHERE from_number = @number
                    UNION ALL
                    SELECT created_at, true, body, NULL, purpose, reason, status
                    FROM outbound_messages WHERE to_number = @number AND body <> '') m
                ORDER BY at DESC, outgoing DESC LIMIT @take
                """, new { number, take }, cancellationToken: ct)))
            .Select(r => new NumberMessage(PostgresAccounts.Utc(r.At), r.Outgoing, r.Text, r.Command, r.Purpose, r.Reason, r.Status)).ToList();
    }

    public async Task<bool> AssignAsync(long id, string operatorName, DateTimeOffset at, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE tickets SET assigned_to = @operatorName, state = 'assigned', updated_at = @at
            WHERE id = @id AND state IN ('open', 'assigned')
            """, new { id, operatorName, at = at.ToUniversalTime() }, cancellationToken: ct)) == 1;
    }

    public async Task<QueueResult?> AnswerAsync(long id, string operatorName, OutgoingMessage answer, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var when = answer.Created.ToUniversalTime();
        var answered = await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE tickets SET state = 'answered', answered_at = @when, updated_at = @when, assigned_to = COALESCE(assigned_to, @operatorName)
            WHERE id = @id AND state <> 'closed'
            """, new { id, operatorName, when }, tx, cancellationToken: ct));
        if (answered == 0) return null;
        var queued = await PostgresOutgoing.QueueAsync(c, tx, answer, Uncapped(answer), ct);
        if (queued != QueueResult.Queued) return queued; // rolled back: the ticket is as it was
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO ticket_messages (ticket_id, at, outgoing, author, text) VALUES (@id, @when, true, @operatorName, @text)",
            new { id, when, operatorName, text = answer.Text.Text }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return queued;
    }

    // An answer is what the subscriber asked for: never capped (the cap is not even read for it).
    private static DailyCap Uncapped(OutgoingMessage answer) => new(int.MaxValue, answer.Created, answer.Created);

    public async Task<bool> CloseAsync(long id, DateTimeOffset at, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE tickets SET state = 'closed', updated_at = @at WHERE id = @id AND state <> 'closed'",
            new { id, at = at.ToUniversalTime() }, cancellationToken: ct)) == 1;
    }

    private sealed record TicketRow(
        long Id, string Number, string Kind, string Text, string Language, string State, string? AssignedTo,
        DateTime CreatedAt, DateTime UpdatedAt, DateTime? AnsweredAt, string OpenedBySid)
    {
        public Ticket ToTicket() => new(Id, Number, Kind, Text, Language, State, AssignedTo, PostgresAccounts.Utc(CreatedAt),
            PostgresAccounts.Utc(UpdatedAt), AnsweredAt is { } answered ? PostgresAccounts.Utc(answered) : null, OpenedBySid);
    }
}
