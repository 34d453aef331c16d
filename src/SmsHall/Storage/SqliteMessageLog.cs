using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using SmsHall.Core;
using SmsHall.Core.Accounts;

namespace SmsHall.Storage;

/// <summary>
/// The message log and the one place account changes are written: a handled message's changes,
/// its log entry and its reply commit together or not at all. Writes go through the
/// <see cref="LogWriter"/>, which commits many messages at once; reads open their own connections.
/// </summary>
public sealed class SqliteMessageLog(Database db, LogWriter writer) : IMessageLog
{
    public Task<Answer?> RecordInboundAsync(InboundMessage m, CancellationToken ct = default) =>
        writer.WriteAsync((c, tx) =>
        {
            var inserted = c.Execute(
                """
                INSERT INTO inbound_messages (sid, from_number, to_number, body, received_at, status)
                VALUES (@Sid, @From, @To, @Body, @ReceivedAt, 'received')
                ON CONFLICT (sid) DO NOTHING
                """, new { m.Sid, m.From, m.To, m.Body, ReceivedAt = Dates.Write(m.ReceivedAt) }, tx);
            // A sid seen before but never committed (the earlier attempt failed part-way) is handled again:
            // nothing of that attempt was written, so nothing is done twice.
            return inserted == 1 ? null : FindAnswer(c, tx, m.Sid);
        });

    public Task<Answer> CommitAsync(HandledMessage handled, CancellationToken ct = default) =>
        writer.WriteAsync((c, tx) => Commit(c, tx, handled));

    // Runs inside the writer's transaction: the writer is the only one writing, so the check below holds.
    private static Answer Commit(SqliteConnection c, SqliteTransaction tx, HandledMessage handled)
    {
        var m = handled.Inbound;
        if (FindAnswer(c, tx, m.Sid) is { } earlier) return earlier;

        foreach (var change in handled.Changes) Apply(c, tx, m, change);

        var u = handled.Understanding;
        c.Execute(
            """
            UPDATE inbound_messages
            SET status = 'handled', normalised = @Normalised, command = @Command, args = @Args, match = @Match,
                keyword = @Keyword, language = @Language, handled_at = @HandledAt, distance = @Distance,
                suggestions = @Suggestions
            WHERE sid = @Sid
            """,
            new
            {
                m.Sid,
                u.Normalised,
                Command = u.Command.Name,
                Args = JsonSerializer.Serialize(u.Command.Args),
                Match = u.Match.ToString().ToLowerInvariant(),
                u.Keyword,
                Language = handled.Reply?.Language ?? u.Languages.FirstOrDefault(),
                HandledAt = Dates.Write(handled.HandledAt),
                Distance = u.Match == SmsHall.Core.Grammar.MatchKind.Fuzzy ? u.Distance : (int?)null,
                Suggestions = u.Suggestions.Count == 0 ? null : JsonSerializer.Serialize(u.Suggestions),
            }, tx);

        var reply = handled.Reply;
        var queued = handled.Status == ReplyStatus.Replied && m.ReplyBy == ReplyBy.Outbox;
        var createdAt = Dates.Write(handled.HandledAt);
        var id = c.ExecuteScalar<long>(
            """
            INSERT INTO outbound_messages (inbound_sid, to_number, from_number, body, reply_key, language, encoding, segments, status, created_at)
            VALUES (@Sid, @To, @From, @Body, @Key, @Language, @Encoding, @Segments, @Status, @CreatedAt)
            RETURNING id
            """,
            new
            {
                m.Sid,
                To = m.From,
                From = m.To,
                Body = reply?.Text ?? "",
                reply?.Key,
                reply?.Language,
                Encoding = reply?.Encoding.ToString().ToLowerInvariant(),
                Segments = reply?.Segments ?? 0,
                Status = queued ? OutboundStatus.Pending : StatusOf(handled.Status),
                CreatedAt = createdAt,
            }, tx);

        // The reply to send goes in the outbox in this same transaction: if the message is handled,
        // its reply will be sent, even if the gateway stops right after this commit.
        if (queued)
        {
            c.Execute(
                "INSERT INTO outbox (id, to_number, state, next_attempt_at) VALUES (@id, @To, 'pending', @createdAt)",
                new { id, To = m.From, createdAt }, tx);
        }

        return new Answer(handled.Status == ReplyStatus.Replied ? reply?.Text : null, handled.Status);
    }

    public async Task<RecentTraffic> RecentAsync(string number, DateTimeOffset since, CancellationToken ct = default)
    {
        using var c = db.Open();
        var row = await c.QuerySingleAsync<RecentRow>(new CommandDefinition(
            """
            SELECT (SELECT COUNT(*) FROM inbound_messages WHERE from_number = @number AND received_at > @since) AS Messages,
                   EXISTS (SELECT 1 FROM outbound_messages
                           WHERE to_number = @number AND created_at > @since AND reply_key = 'limited') AS Warned
            """, new { number, since = Dates.Write(since) }, cancellationToken: ct));
        return new RecentTraffic((int)row.Messages, row.Warned != 0);
    }

    private static string StatusOf(ReplyStatus status) => status switch
    {
        ReplyStatus.Suppressed => OutboundStatus.Suppressed,
        ReplyStatus.Limited => OutboundStatus.Limited,
        _ => OutboundStatus.Replied,
    };

    /// <summary>The answer already committed for a sid, if any.</summary>
    private static Answer? FindAnswer(SqliteConnection c, SqliteTransaction? tx, string sid)
    {
        var row = c.QuerySingleOrDefault<OutboundRow>(
            "SELECT body, status FROM outbound_messages WHERE inbound_sid = @sid", new { sid }, tx);
        return row?.Status switch
        {
            null => null,
            OutboundStatus.Suppressed => new Answer(null, ReplyStatus.Suppressed),
            OutboundStatus.Limited => new Answer(null, ReplyStatus.Limited),
            _ => new Answer(row.Body),
        };
    }

    private static void Apply(SqliteConnection c, SqliteTransaction tx, InboundMessage m, AccountChange change)
    {
        var number = m.From;
        switch (change)
        {
            case AccountChange.Offer offer:
                c.Execute(
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
                        OfferedAt = Dates.Write(offer.Action.OfferedAt),
                        ExpiresAt = Dates.Write(offer.Action.ExpiresAt),
                    }, tx);
                break;
            case AccountChange.TakeOffer take:
                var taken = c.Execute(
                    "DELETE FROM pending_actions WHERE number = @number AND offered_by_sid = @OfferId", new { number, take.OfferId }, tx);
                if (taken == 0) throw new StaleAccountException($"the offer {take.OfferId} is no longer pending");
                break;
            case AccountChange.ChangePlan plan:
                c.Execute(
                    """
                    INSERT INTO plan_changes (number, from_plan, to_plan, changed_at, confirmed_by_sid)
                    SELECT number, plan_code, @to, @at, @sid FROM subscribers WHERE number = @number;
                    UPDATE subscribers SET plan_code = @to WHERE number = @number;
                    """,
                    new { number, to = plan.PlanCode, at = Dates.Write(m.ReceivedAt), sid = m.Sid }, tx);
                break;
            case AccountChange.SetLanguage lang:
                c.Execute("UPDATE subscribers SET language = @Language WHERE number = @number", new { number, lang.Language }, tx);
                break;
            case AccountChange.SetOptedOut opt:
                c.Execute("UPDATE subscribers SET opted_out = @OptedOut WHERE number = @number", new { number, opt.OptedOut }, tx);
                break;
            case AccountChange.RedeemVoucher redeem:
                // Both guarded: a voucher redeemed meanwhile, by anyone, or a balance moved by another
                // message, sends this message round again on fresh data.
                var redeemed = c.Execute(
                    """
                    UPDATE vouchers SET redeemed_by = @number, redeemed_at = @at, redeemed_by_sid = @sid
                    WHERE code = @Code AND redeemed_at IS NULL
                    """, new { number, redeem.Code, at = Dates.Write(m.ReceivedAt), sid = m.Sid }, tx);
                if (redeemed == 0) throw new StaleAccountException($"voucher {redeem.Code} is no longer unused");
                var credited = c.Execute(
                    """
                    UPDATE subscribers SET balance_cents = balance_cents + @AmountCents
                    WHERE number = @number AND balance_cents = @BalanceBefore
                    """, new { number, redeem.AmountCents, redeem.BalanceBefore }, tx);
                if (credited == 0) throw new StaleAccountException("the balance changed while the voucher was read");
                break;
            case AccountChange.RecordTopUpFailure:
                c.Execute(
                    "INSERT INTO topup_failures (number, sid, failed_at) VALUES (@number, @sid, @at) ON CONFLICT (sid) DO NOTHING",
                    new { number, sid = m.Sid, at = Dates.Write(m.ReceivedAt) }, tx);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(change), change, "unknown account change");
        }
    }

    private sealed record OutboundRow(string Body, string Status);
    private sealed record RecentRow(long Messages, long Warned);
}

/// <summary>The status column of outbound_messages, before Twilio's own statuses take over.</summary>
public static class OutboundStatus
{
    /// <summary>Answered inside the webhook's TwiML (or to the CLI).</summary>
    public const string Replied = "replied";

    /// <summary>In the outbox, not yet accepted by Twilio.</summary>
    public const string Pending = "pending";

    /// <summary>Not sent: the number has opted out.</summary>
    public const string Suppressed = "suppressed";

    /// <summary>Not sent: the number is over the rate limit and had its notice.</summary>
    public const string Limited = "limited";

    /// <summary>Twilio refused it, or it could not be sent; error_code says why.</summary>
    public const string Failed = "failed";
}

/// <summary>One line of <c>smshall log unmatched</c>: a message as normalised, how often it came, and one as sent.</summary>
public sealed class UnmatchedMessage
{
    public string Normalised { get; init; } = "";
    public long Count { get; init; }
    public string Example { get; init; } = "";
    public string LastSeen { get; init; } = "";
}

/// <summary>Reports over the message log for operators.</summary>
public sealed class MessageLogReports(Database db)
{
    /// <summary>The most frequent messages that were not understood or needed a clarification.</summary>
    public async Task<IReadOnlyList<UnmatchedMessage>> UnmatchedAsync(DateTimeOffset? since, int top, CancellationToken ct = default)
    {
        using var c = db.Open();
        var rows = await c.QueryAsync<UnmatchedMessage>(new CommandDefinition(
            """
            SELECT COALESCE(normalised, '') AS Normalised, COUNT(*) AS Count, MIN(body) AS Example, MAX(received_at) AS LastSeen
            FROM inbound_messages
            WHERE status = 'handled' AND command = 'unknown' AND received_at >= @Since
            GROUP BY COALESCE(normalised, '')
            ORDER BY COUNT(*) DESC, MAX(received_at) DESC
            LIMIT @Top
            """, new { Since = since is { } s ? Dates.Write(s) : "", Top = top }, cancellationToken: ct));
        return rows.ToList();
    }
}
