using System.Text.Json;
using Dapper;
using Npgsql;
using SmsHall.Core;
using SmsHall.Core.Accounts;
using SmsHall.Core.Ports;

namespace SmsHall.Storage.Postgres;

/// <summary>
/// The message log and the one place account changes are written, on PostgreSQL: a handled message's
/// changes, its log entry and its reply commit together or not at all. Several nodes write at once,
/// so each commit first takes its number's transaction-scoped advisory lock: the rate-limit count,
/// the wrong-code count and the offer it reads cannot change under it until it commits, whichever
/// node the number's other messages reach (on SQLite, BEGIN IMMEDIATE holds the whole file instead).
/// </summary>
public sealed class PostgresMessageLog(PostgresDatabase db) : IMessageLog
{
    private readonly PostgresGroupCommit<HandledMessage, Answer> _commits = new(db, h => h.Inbound.From, CommitBatchAsync);

    /// <summary>
    /// Records a message before it is handled, committed on its own without waiting for the disk (see
    /// <see cref="PostgresDatabase.OpenForRecordsAsync"/>): going through the group commit would queue
    /// every message behind the writer twice (tried: a higher p99).
    /// </summary>
    public async Task<Answer?> RecordInboundAsync(InboundMessage m, CancellationToken ct = default)
    {
        await using var c = await db.OpenForRecordsAsync(ct);
        return await Guarded(async () =>
        {
            // ON CONFLICT: the same sid arriving at two nodes at once is recorded once; the second
            // insert waits for the first to commit, then does nothing.
            if (await InsertInboundAsync(c, null, m, ct) == 1) return null;
            var first = await c.QuerySingleAsync<NumbersRow>(new CommandDefinition(
                "SELECT from_number AS FromNumber, to_number AS ToNumber, channel AS Channel FROM inbound_messages WHERE sid = @Sid",
                new { m.Sid }, cancellationToken: ct));
            if (first.FromNumber != m.From || first.ToNumber != m.To || first.Channel != ChannelNames.Write(m.Channel))
                throw new SidConflictException(m.Sid);
            return await FindAnswerAsync(c, null, m.Sid, ct);
        });
    }

    private static Task<int> InsertInboundAsync(NpgsqlConnection c, NpgsqlTransaction? tx, InboundMessage m, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO inbound_messages (sid, from_number, to_number, body, received_at, status, channel, media)
            VALUES (@Sid, @From, @To, @Body, @At, 'received', @Channel, @Media)
            ON CONFLICT (sid) DO NOTHING
            """, new { m.Sid, m.From, m.To, m.Body, At = m.ReceivedAt.ToUniversalTime(), Channel = ChannelNames.Write(m.Channel), m.Media },
            tx, cancellationToken: ct));

    /// <summary>Commits a handled message with the others waiting at this moment (group commit); see <see cref="PostgresGroupCommit{TItem,TResult}"/>.</summary>
    public Task<Answer> CommitAsync(HandledMessage handled, CancellationToken ct = default) => _commits.RunAsync(handled);

    /// <summary>
    /// Commits a batch of handled messages in the transaction, in three steps so that the batch shares
    /// its round trips: (1) every message's number lock, its mark as handled and its rate-limit count,
    /// all in one round trip; (2) what only some messages need, one by one (an account change, a
    /// record that went missing); (3) every reply, with its place in the outbox, in one more.
    /// </summary>
    private static async Task<IReadOnlyList<Answer>> CommitBatchAsync(NpgsqlConnection c, NpgsqlTransaction tx, IReadOnlyList<HandledMessage> batch)
    {
        var first = await LockMarkAndCountAsync(c, tx, batch);
        var answers = new Answer[batch.Count];
        var replies = new List<(int Index, HandledMessage Handled)>();
        for (var i = 0; i < batch.Count; i++)
        {
            var (handled, marked, count) = (batch[i], first[i].Marked, first[i].Count);
            var settled = await ItemFailedException.For(i, () => SettleAsync(c, tx, handled, marked, count));
            if (settled.Earlier is { } earlier) answers[i] = earlier;
            else
            {
                replies.Add((i, settled.Handled));
                answers[i] = new Answer(settled.Handled.Status == ReplyStatus.Replied ? settled.Handled.Reply?.Text : null, settled.Handled.Status);
            }
        }
        await InsertRepliesAsync(c, tx, replies);
        return answers;
    }

    /// <summary>
    /// One message after its lock, mark and count: the answer it already had (the same sid handled
    /// by another node first), or the message as it commits, its changes applied.
    /// </summary>
    private static async Task<(Answer? Earlier, HandledMessage Handled)> SettleAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, HandledMessage handled, int marked, LimitRow? count)
    {
        var m = handled.Inbound;
        // Marking the message handled is also the check that nobody did first (the same sid
        // delivered to another node): only a row still 'received' is marked.
        if (marked == 0)
        {
            if (await FindAnswerAsync(c, tx, m.Sid, CancellationToken.None) is { } earlier) return (earlier, handled);
            await InsertInboundAsync(c, tx, m, CancellationToken.None); // its record was lost: record it with its reply
            await using (var mark = new NpgsqlBatch(c, tx))
            {
                Add(mark, [], 0, LockAndMarkSql, LockAndMarkValues(handled, 0)); // the lock is held already: taking it again is free
                await mark.ExecuteNonQueryAsync();
            }
            if (handled.Limit is { } again) count = await LimitCountAsync(c, tx, m.From, again, CancellationToken.None);
        }

        if (handled.Limit is { } limit && count is { } seen && Over(handled, limit, seen) is { } over) handled = over;

        foreach (var change in handled.Changes) await ApplyAsync(c, tx, m, change, CancellationToken.None);
        return (null, handled);
    }

    /// <summary>
    /// Every message's number lock (every later statement of this transaction sees what the number's
    /// earlier messages committed, on any node, and none of its other messages commits before this
    /// one does), its mark as handled, and its rate-limit count: two statements a message, the whole
    /// batch in one round trip. Returns each message's rows marked and count (null without a limit).
    /// </summary>
    private static async Task<(int Marked, LimitRow? Count)[]> LockMarkAndCountAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, IReadOnlyList<HandledMessage> batch)
    {
        await using var commands = new NpgsqlBatch(c, tx);
        var owners = new List<int>();
        for (var i = 0; i < batch.Count; i++)
        {
            var handled = batch[i];
            var m = handled.Inbound;
            Add(commands, owners, i, LockAndMarkSql, LockAndMarkValues(handled, i));
            if (handled.Limit is { } limit) Add(commands, owners, i, $"SELECT $3::int, {LimitColumns}", m.From, limit.Since.ToUniversalTime(), i);
        }

        var marked = new int[batch.Count];
        var counts = new LimitRow?[batch.Count];
        await Attributed(commands, owners, async () =>
        {
            await using var reader = await commands.ExecuteReaderAsync();
            do
            {
                // Each row starts with its message's place in the batch: a mark's has two columns, a count's three.
                while (await reader.ReadAsync())
                {
                    if (reader.FieldCount == 2) marked[reader.GetInt32(0)] = (int)reader.GetInt64(1);
                    else counts[reader.GetInt32(0)] = new LimitRow(reader.GetInt64(1), reader.GetBoolean(2));
                }
            }
            while (await reader.NextResultAsync());
        });
        return [.. marked.Select((mark, i) => (mark, counts[i]))];
    }

    // The lock and the mark in one statement (the mark, in its WITH, runs whatever the rest reads;
    // it needs no lock, its row's own is enough), the count in the next: a statement sees what
    // committed before it began, so the count must begin after the lock is held. Returns the
    // message's place in the batch ($13) and the rows marked.
    private const string LockAndMarkSql =
        """
        WITH marked AS (
            UPDATE inbound_messages
            SET status = 'handled', normalised = $2, command = $3, args = $4, match = $5, keyword = $6, language = $7,
                handled_at = $8, distance = $9, suggestions = $10
            WHERE sid = $1 AND status = 'received'
            RETURNING 1)
        SELECT $13::int, (SELECT COUNT(*) FROM marked) FROM (SELECT pg_advisory_xact_lock($11, hashtext($12))) AS turn
        """;

    private static object[] LockAndMarkValues(HandledMessage handled, int index)
    {
        var u = handled.Understanding;
        return
        [
            handled.Inbound.Sid,
            u.Normalised,
            u.Command.Name,
            JsonSerializer.Serialize(u.Command.Args),
            u.Match.ToString().ToLowerInvariant(),
            (object?)u.Keyword ?? DBNull.Value,
            (object?)(handled.Reply?.Language ?? u.Languages.FirstOrDefault()) ?? DBNull.Value,
            handled.HandledAt.ToUniversalTime(),
            u.Match == Core.Grammar.MatchKind.Fuzzy ? u.Distance : DBNull.Value,
            u.Suggestions.Count == 0 ? DBNull.Value : JsonSerializer.Serialize(u.Suggestions),
            PostgresDatabase.NumberLock,
            handled.Inbound.From,
            index,
        ];
    }

    /// <summary>
    /// Every reply of the batch, each with its place in the outbox when it is to be sent from there,
    /// in one round trip: if a message is handled, its reply will be sent, even if the node stops
    /// right after this commit.
    /// </summary>
    private static async Task InsertRepliesAsync(NpgsqlConnection c, NpgsqlTransaction tx, List<(int Index, HandledMessage Handled)> replies)
    {
        if (replies.Count == 0) return;
        await using var commands = new NpgsqlBatch(c, tx);
        var owners = new List<int>();
        foreach (var (index, handled) in replies)
        {
            var m = handled.Inbound;
            var reply = handled.Reply;
            var queued = handled.Status == ReplyStatus.Replied && m.ReplyBy == ReplyBy.Outbox;
            Add(commands, owners, index,
                """
                WITH reply AS (
                    INSERT INTO outbound_messages (inbound_sid, to_number, from_number, body, reply_key, language, encoding, segments, status, created_at, channel)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                    RETURNING id)
                INSERT INTO outbox (id, to_number, channel, state, next_attempt_at)
                SELECT id, $2, $11, 'pending', $10 FROM reply WHERE $12
                """,
                m.Sid,
                m.From,
                m.To,
                reply?.Text ?? "",
                (object?)reply?.Key ?? DBNull.Value,
                (object?)reply?.Language ?? DBNull.Value,
                (object?)reply?.Encoding.ToString().ToLowerInvariant() ?? DBNull.Value,
                reply?.Segments ?? 0,
                queued ? OutboundStatus.Pending : StatusOf(handled.Status),
                handled.HandledAt.ToUniversalTime(),
                ChannelNames.Write(m.Channel),
                queued);
        }
        await Attributed(commands, owners, () => commands.ExecuteNonQueryAsync());
    }

    private static NpgsqlBatchCommand Add(NpgsqlBatch batch, List<int> owners, int owner, string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        batch.BatchCommands.Add(command);
        owners.Add(owner);
        return command;
    }

    /// <summary>Runs a batch; an error in one message's statement (a lost race) is that message's, not the batch's.</summary>
    private static async Task Attributed(NpgsqlBatch batch, List<int> owners, Func<Task> run)
    {
        try
        {
            await run();
        }
        catch (PostgresException e) when (e.BatchCommand is { } failed && !PostgresErrors.CannotWrite(e))
        {
            throw new ItemFailedException(owners[batch.BatchCommands.IndexOf(failed)], e);
        }
    }

    // A number's handled messages since $2, and whether it was warned since then.
    private const string LimitColumns =
        """
        (SELECT COUNT(*) FROM inbound_messages WHERE from_number = $1 AND received_at > $2 AND status = 'handled'),
        EXISTS (SELECT 1 FROM outbound_messages WHERE to_number = $1 AND created_at > $2 AND reply_key = 'limited')
        """;

    private static async Task<LimitRow> LimitCountAsync(NpgsqlConnection c, NpgsqlTransaction tx, string number, RateLimit limit, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"SELECT {LimitColumns}", c, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = number });
        command.Parameters.Add(new NpgsqlParameter { Value = limit.Since.ToUniversalTime() });
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new LimitRow(reader.GetInt64(0), reader.GetBoolean(1));
    }

    /// <summary>The message as the rate limit has it when its number is past the limit, else null.</summary>
    private static HandledMessage? Over(HandledMessage handled, RateLimit limit, LimitRow row)
    {
        if (row.Handled <= limit.Messages) return null;
        return row.Warned
            ? handled with { Changes = [], Reply = null, Status = ReplyStatus.Limited }
            : handled with { Changes = [], Reply = limit.Notice, Status = ReplyStatus.Replied };
    }
    private static string StatusOf(ReplyStatus status) => status switch
    {
        ReplyStatus.Suppressed => OutboundStatus.Suppressed,
        ReplyStatus.Limited => OutboundStatus.Limited,
        _ => OutboundStatus.Replied,
    };

    /// <summary>The answer already committed for a sid, if any.</summary>
    private static async Task<Answer?> FindAnswerAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string sid, CancellationToken ct)
    {
        var row = await c.QuerySingleOrDefaultAsync<OutboundRow>(new CommandDefinition(
            "SELECT body AS Body, status AS Status FROM outbound_messages WHERE inbound_sid = @sid", new { sid }, tx, cancellationToken: ct));
        return row?.Status switch
        {
            null => null,
            OutboundStatus.Suppressed => new Answer(null, ReplyStatus.Suppressed),
            OutboundStatus.Limited => new Answer(null, ReplyStatus.Limited),
            _ => new Answer(row.Body),
        };
    }

    private static async Task ApplyAsync(NpgsqlConnection c, NpgsqlTransaction tx, InboundMessage m, AccountChange change, CancellationToken ct)
    {
        var number = m.From;
        switch (change)
        {
            case AccountChange.Offer offer:
                await c.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO pending_actions (number, action, argument, offered_at, expires_at, offered_by_sid)
                    VALUES (@number, @Action, @Argument, @OfferedAt, @ExpiresAt, @Id)
                    ON CONFLICT (number) DO UPDATE SET action = excluded.action, argument = excluded.argument,
                        offered_at = excluded.offered_at, expires_at = excluded.expires_at, offered_by_sid = excluded.offered_by_sid
                    """,
                    new
                    {
                        number,
                        offer.Action.Action,
                        offer.Action.Argument,
                        offer.Action.Id,
                        OfferedAt = offer.Action.OfferedAt.ToUniversalTime(),
                        ExpiresAt = offer.Action.ExpiresAt.ToUniversalTime(),
                    }, tx, cancellationToken: ct));
                break;
            case AccountChange.TakeOffer take:
                var taken = await c.ExecuteAsync(new CommandDefinition(
                    "DELETE FROM pending_actions WHERE number = @number AND offered_by_sid = @OfferId", new { number, take.OfferId }, tx, cancellationToken: ct));
                if (taken == 0) throw new StaleAccountException($"the offer {take.OfferId} is no longer pending");
                break;
            case AccountChange.ChangePlan plan:
                await c.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO plan_changes (number, from_plan, to_plan, changed_at, confirmed_by_sid)
                    SELECT number, plan_code, @to, @at, @sid FROM subscribers WHERE number = @number FOR UPDATE;
                    UPDATE subscribers SET plan_code = @to WHERE number = @number
                    """,
                    new { number, to = plan.PlanCode, at = m.ReceivedAt.ToUniversalTime(), sid = m.Sid }, tx, cancellationToken: ct));
                break;
            case AccountChange.SetLanguage lang:
                await c.ExecuteAsync(new CommandDefinition(
                    "UPDATE subscribers SET language = @Language WHERE number = @number", new { number, lang.Language }, tx, cancellationToken: ct));
                break;
            case AccountChange.SetOptedOut opt:
                await c.ExecuteAsync(new CommandDefinition(
                    "UPDATE subscribers SET opted_out = @OptedOut WHERE number = @number", new { number, opt.OptedOut }, tx, cancellationToken: ct));
                break;
            case AccountChange.SetAlerts alerts:
                await c.ExecuteAsync(new CommandDefinition(alerts.On
                    ? "DELETE FROM alert_refusals WHERE number = @number AND category = ANY(@categories)"
                    : "INSERT INTO alert_refusals (number, category, refused_at) SELECT @number, unnest(@categories), @at ON CONFLICT DO NOTHING",
                    new { number, categories = alerts.Categories.ToArray(), at = m.ReceivedAt.ToUniversalTime() }, tx, cancellationToken: ct));
                break;
            case AccountChange.RedeemVoucher redeem:
                // All guarded: a voucher redeemed meanwhile, by anyone (the row lock makes a second
                // redemption wait, then find it redeemed), a balance moved by another message, or a
                // wrong code counted meanwhile, sends this message round again on fresh data.
                await TopUpFailuresUnchangedAsync(c, tx, number, redeem.Failures, ct);
                var redeemed = await c.ExecuteAsync(new CommandDefinition(
                    """
                    UPDATE vouchers SET redeemed_by = @number, redeemed_at = @at, redeemed_by_sid = @sid
                    WHERE code = @Code AND redeemed_at IS NULL
                    """, new { number, redeem.Code, at = m.ReceivedAt.ToUniversalTime(), sid = m.Sid }, tx, cancellationToken: ct));
                if (redeemed == 0) throw new StaleAccountException($"voucher {redeem.Code} is no longer unused");
                var credited = await c.ExecuteAsync(new CommandDefinition(
                    """
                    UPDATE subscribers SET balance_cents = balance_cents + @AmountCents
                    WHERE number = @number AND balance_cents = @BalanceBefore
                    """, new { number, redeem.AmountCents, redeem.BalanceBefore }, tx, cancellationToken: ct));
                if (credited == 0) throw new StaleAccountException("the balance changed while the voucher was read");
                break;
            case AccountChange.RecordTopUpFailure failure:
                // The lockout counts exactly: a code is tried, and counted, only on the count it was judged by.
                await TopUpFailuresUnchangedAsync(c, tx, number, failure.Failures, ct);
                await c.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO topup_failures (number, sid, failed_at) VALUES (@number, @sid, @at) ON CONFLICT (sid) DO NOTHING",
                    new { number, sid = m.Sid, at = m.ReceivedAt.ToUniversalTime() }, tx, cancellationToken: ct));
                break;
            default:
                if (await PostgresTicketChanges.ApplyAsync(c, tx, m, change, ct)) break;
                await PostgresSelfServiceChanges.ApplyAsync(c, tx, m, change, ct);
                break;
        }
    }

    private static async Task TopUpFailuresUnchangedAsync(NpgsqlConnection c, NpgsqlTransaction tx, string number, TopUpFailuresSeen seen, CancellationToken ct)
    {
        var now = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM topup_failures WHERE number = @number AND failed_at > @since",
            new { number, since = seen.Since.ToUniversalTime() }, tx, cancellationToken: ct));
        if (now != seen.Count) throw new StaleAccountException("a wrong voucher code was counted meanwhile");
    }

    /// <summary>A database that cannot be written is the core's StorageUnavailableException: the caller answers "not now".</summary>
    private static async Task<T> Guarded<T>(Func<Task<T>> write)
    {
        try
        {
            return await write();
        }
        catch (Exception e) when (PostgresErrors.CannotWrite(e))
        {
            throw PostgresErrors.Translate(e);
        }
    }

    private sealed record OutboundRow(string Body, string Status);
    private sealed record NumbersRow(string FromNumber, string ToNumber, string Channel);
    private sealed record LimitRow(long Handled, bool Warned);
}
