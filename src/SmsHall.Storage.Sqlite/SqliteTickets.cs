using Dapper;
using Microsoft.Data.Sqlite;
using SmsHall.Core;
using SmsHall.Core.Accounts;
using SmsHall.Core.Ports;

namespace SmsHall.Storage.Sqlite;

/// <summary>What the hall reads about tickets while handling a message.</summary>
public sealed partial class SqliteAccounts
{
    // AUTOINCREMENT never gives a number twice, whichever process on the file asks; the row itself
    // is not needed once its number is handed out.
    public async Task<long> ReserveTicketAsync(CancellationToken ct = default)
    {
        // A scratch copy (replay, the simulator) is one connection holding its write transaction
        // open: another connection would wait for it in vain, so the number is taken on that one.
        if (db.Scratch)
        {
            return db.Read(s =>
            {
                var reserved = s.Scalar<long>("INSERT INTO ticket_numbers DEFAULT VALUES RETURNING id");
                s.Execute("DELETE FROM ticket_numbers WHERE id = @id", ("@id", reserved));
                return reserved;
            });
        }
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO ticket_numbers DEFAULT VALUES RETURNING id", transaction: tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM ticket_numbers WHERE id = @id", new { id }, tx, cancellationToken: ct));
        tx.Commit();
        return id;
    }

    public Task<long?> AnsweredTicketAsync(string number, DateTimeOffset since, CancellationToken ct = default) =>
        Task.FromResult(db.Read(s => s.Single(
            """
            SELECT id FROM tickets
            WHERE number = @number AND answered_at > @since AND state <> 'closed'
            ORDER BY answered_at DESC LIMIT 1
            """, r => (long?)r.Long(0), ("@number", number), ("@since", Dates.Write(since)))));

    public Task<long?> WaitingTicketAsync(string number, string kind, CancellationToken ct = default) =>
        Task.FromResult(db.Read(s => s.Single(
            """
            SELECT id FROM tickets
            WHERE number = @number AND kind = @kind AND state IN ('open', 'assigned')
            ORDER BY id LIMIT 1
            """, r => (long?)r.Long(0), ("@number", number), ("@kind", kind))));
}

/// <summary>The ticket changes, applied inside a message's commit (<see cref="SqliteMessageLog"/>).</summary>
internal static class SqliteTicketChanges
{
    public static bool Apply(SqliteConnection c, SqliteTransaction tx, InboundMessage m, AccountChange change)
    {
        var at = Dates.Write(m.ReceivedAt);
        switch (change)
        {
            case AccountChange.OpenTicket open:
                // The sid is unique: a message committed twice (a redelivery racing the first) opens one ticket.
                var opened = c.Execute(
                    """
                    INSERT INTO tickets (id, reference, number, kind, text, language, state, created_at, updated_at, opened_by_sid)
                    VALUES (@Id, @reference, @number, @Kind, @Text, @Language, 'open', @at, @at, @sid)
                    ON CONFLICT (opened_by_sid) DO NOTHING
                    """, new { open.Id, reference = Tickets.Reference(open.Id), number = m.From, open.Kind, open.Text, open.Language, at, sid = m.Sid }, tx);
                if (opened == 1) AddMessage(c, tx, open.Id, m, at);
                return true;
            case AccountChange.JoinTicket join:
                // Back in the queue: the subscriber said something an operator should read.
                c.Execute(
                    """
                    UPDATE tickets SET state = CASE WHEN assigned_to IS NULL THEN 'open' ELSE 'assigned' END, updated_at = @at
                    WHERE id = @Id AND state <> 'closed'
                    """, new { join.Id, at }, tx);
                AddMessage(c, tx, join.Id, m, at);
                return true;
            default:
                return false;
        }
    }

    private static void AddMessage(SqliteConnection c, SqliteTransaction tx, long ticket, InboundMessage m, string at) =>
        c.Execute(
            """
            INSERT INTO ticket_messages (ticket_id, at, outgoing, author, text, sid) VALUES (@ticket, @at, 0, NULL, @body, @sid)
            ON CONFLICT (sid) DO NOTHING
            """, new { ticket, at, body = m.Body, sid = m.Sid }, tx);
}

/// <summary>The ticket queue on SQLite.</summary>
public sealed class SqliteTickets(Database db) : ITickets
{
    private const string Columns =
        """
        SELECT id, number, kind, text, language, state, assigned_to AS AssignedTo, created_at AS CreatedAt, updated_at AS UpdatedAt,
               answered_at AS AnsweredAt, opened_by_sid AS OpenedBySid
        FROM tickets
        """;

    public async Task<IReadOnlyList<Ticket>> ListAsync(string? state, int take, CancellationToken ct = default)
    {
        using var c = db.Open();
        return (await c.QueryAsync<TicketRow>(new CommandDefinition(
            $"""
            {Columns} WHERE @state IS NULL OR state = @state
            ORDER BY CASE WHEN state IN ('open', 'assigned') THEN 0 ELSE 1 END,
                     CASE WHEN state IN ('open', 'assigned') THEN updated_at END,
                     CASE WHEN state IN ('open', 'assigned') THEN id END,
                     updated_at DESC, id DESC
            LIMIT @take
            """, new { state, take }, cancellationToken: ct))).Select(r => r.ToTicket()).ToList();
    }

    public async Task<IReadOnlyDictionary<string, long>> CountsAsync(CancellationToken ct = default)
    {
        using var c = db.Open();
        return (await c.QueryAsync<(string State, long Count)>(new CommandDefinition(
            "SELECT state, COUNT(*) FROM tickets GROUP BY state", cancellationToken: ct))).ToDictionary(r => r.State, r => r.Count);
    }

    public async Task<Ticket?> FindAsync(long id, CancellationToken ct = default)
    {
        using var c = db.Open();
        return (await c.QuerySingleOrDefaultAsync<TicketRow>(new CommandDefinition(
            $"{Columns} WHERE id = @id", new { id }, cancellationToken: ct)))?.ToTicket();
    }

    public async Task<IReadOnlyList<TicketMessage>> MessagesAsync(long id, CancellationToken ct = default)
    {
        using var c = db.Open();
        return (await c.QueryAsync<(string At, long Outgoing, string? Author, string Text, string? Sid)>(new CommandDefinition(
                "SELECT at, outgoing, author, text, sid FROM ticket_messages WHERE ticket_id = @id ORDER BY id", new { id }, cancellationToken: ct)))
            .Select(r => new TicketMessage(Dates.ReadTime(r.At), r.Outgoing != 0, r.Author, r.Text, r.Sid)).ToList();
    }

    public async Task<IReadOnlyList<NumberMessage>> RecentAsync(string number, int take, CancellationToken ct = default)
    {
        using var c = db.Open();
        return (await c.QueryAsync<(string At, long Outgoing, string Text, string? Command, string? Purpose, string? Reason, string? Status)>(new CommandDefinition(
                """
                SELECT * FROM (
                    SELECT received_at AS at, 0 AS outgoing, body AS text, command, NULL AS purpose, NULL AS reason, status
                    FROM inbound_messages WHERE from_number = @number
                    UNION ALL
                    SELECT created_at, 1, body, NULL, purpose, reason, status
                    FROM outbound_messages WHERE to_number = @number AND body <> '')
                ORDER BY at DESC, outgoing DESC LIMIT @take
                """, new { number, take }, cancellationToken: ct)))
            .Select(r => new NumberMessage(Dates.ReadTime(r.At), r.Outgoing != 0, r.Text, r.Command, r.Purpose, r.Reason, r.Status)).ToList();
    }

    public async Task<bool> AssignAsync(long id, string operatorName, DateTimeOffset at, CancellationToken ct = default)
    {
        using var c = db.Open();
        return await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE tickets SET assigned_to = @operatorName, state = 'assigned', updated_at = @at
            WHERE id = @id AND state IN ('open', 'assigned')
            """, new { id, operatorName, at = Dates.Write(at) }, cancellationToken: ct)) == 1;
    }

    public async Task<QueueResult?> AnswerAsync(long id, string operatorName, OutgoingMessage answer, CancellationToken ct = default)
    {
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        var when = Dates.Write(answer.Created);
        var answered = await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE tickets SET state = 'answered', answered_at = @when, updated_at = @when, assigned_to = COALESCE(assigned_to, @operatorName)
            WHERE id = @id AND state <> 'closed'
            """, new { id, operatorName, when }, tx, cancellationToken: ct));
        if (answered == 0) return null;
        var queued = await SqliteOutgoing.QueueAsync(c, tx, answer, Uncapped(answer), ct);
        if (queued != QueueResult.Queued) return queued; // rolled back: the ticket is as it was
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO ticket_messages (ticket_id, at, outgoing, author, text) VALUES (@id, @when, 1, @operatorName, @text)",
            new { id, when, operatorName, text = answer.Text.Text }, tx, cancellationToken: ct));
        tx.Commit();
        return queued;
    }

    // An answer is what the subscriber asked for: never capped (the cap is not even read for it).
    private static DailyCap Uncapped(OutgoingMessage answer) => new(int.MaxValue, answer.Created, answer.Created);

    public async Task<bool> CloseAsync(long id, DateTimeOffset at, CancellationToken ct = default)
    {
        using var c = db.Open();
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE tickets SET state = 'closed', updated_at = @at WHERE id = @id AND state <> 'closed'",
            new { id, at = Dates.Write(at) }, cancellationToken: ct)) == 1;
    }

    private sealed record TicketRow(
        long Id, string Number, string Kind, string Text, string Language, string State, string? AssignedTo,
        string CreatedAt, string UpdatedAt, string? AnsweredAt, string OpenedBySid)
    {
        public Ticket ToTicket() => new(Id, Number, Kind, Text, Language, State, AssignedTo, Dates.ReadTime(CreatedAt), Dates.ReadTime(UpdatedAt),
            AnsweredAt is null ? null : Dates.ReadTime(AnsweredAt), OpenedBySid);
    }
}
