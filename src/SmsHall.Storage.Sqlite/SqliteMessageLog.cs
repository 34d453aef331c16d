using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using SmsHall.Core;
using SmsHall.Core.Accounts;
using SmsHall.Core.Ports;

namespace SmsHall.Storage.Sqlite;

/// <summary>
/// The message log and the one place account changes are written: a handled message's changes,
/// its log entry and its reply commit together or not at all. Writes go through the
/// <see cref="LogWriter"/>, which commits many messages at once; it reads nothing but what a write needs.
/// </summary>
public sealed class SqliteMessageLog(LogWriter writer) : IMessageLog
{
    // The message is written before it is handled, and its caller goes on as soon as the row is
    // written: the commit of its reply writes the row again if need be, so the message is durable by
    // the time it is answered, with one commit to wait for instead of two.
    public Task<Answer?> RecordInboundAsync(InboundMessage m, CancellationToken ct = default) =>
        writer.WriteAsync((s, tx) =>
        {
            // A sid seen before but never committed (the earlier attempt failed part-way) is handled again:
            // nothing of that attempt was written, so nothing is done twice.
            if (InsertInbound(s, tx, m) == 1) return null;
            // Numbers are stored bare, so a WhatsApp redelivery compares its channel too: the same
            // number on SMS is another sender as far as the reply is concerned.
            var first = s.Single(
                "SELECT from_number AS FromNumber, to_number AS ToNumber, channel AS Channel FROM inbound_messages WHERE sid = @sid", r => new NumbersRow(r.Text(0), r.Text(1), r.Text(2)), ("@sid", m.Sid))!;
            if (first.FromNumber != m.From || first.ToNumber != m.To || first.Channel != ChannelNames.Write(m.Channel))
                throw new SidConflictException(m.Sid);
            return FindAnswer(s, tx, m.Sid);
        }, beforeCommit: true, oneChange: true); // the insert is its one change, and nothing throws after it inserted

    private static int InsertInbound(Statements s, SqliteTransaction tx, InboundMessage m) =>
        s.Execute(
            """
            INSERT INTO inbound_messages (sid, from_number, to_number, body, received_at, status, channel, media)
            VALUES (@sid, @from, @to, @body, @at, 'received', @channel, @media)
            ON CONFLICT (sid) DO NOTHING
            """, ("@sid", m.Sid), ("@from", m.From), ("@to", m.To), ("@body", m.Body), ("@at", Dates.Write(m.ReceivedAt)),
            ("@channel", ChannelNames.Write(m.Channel)), ("@media", m.Media));

    public Task<Answer> CommitAsync(HandledMessage handled, CancellationToken ct = default) =>
        writer.WriteAsync((s, tx) => Commit(s, tx, handled));

    // Runs inside the writer's transaction: the writer is the only one writing, so the check below holds.
    private static Answer Commit(Statements s, SqliteTransaction tx, HandledMessage handled)
    {
        var m = handled.Inbound;
        // Marking the message handled is also the check that nobody did first (a concurrent delivery
        // of the same sid): only a row still 'received' is marked.
        if (MarkHandled(s, tx, handled) == 0)
        {
            if (FindAnswer(s, tx, m.Sid) is { } earlier) return earlier;
            InsertInbound(s, tx, m); // the commit that recorded it failed: record it with its reply
            MarkHandled(s, tx, handled);
        }

        // Counted in the writer's transaction, which holds the whole database (BEGIN IMMEDIATE): no
        // other message of the number, from any process, commits between the count and this row.
        if (handled.Limit is { } limit && OverLimit(s, tx, handled, limit) is { } over) handled = over;

        foreach (var change in handled.Changes) Apply(s.Connection, tx, m, change);

        var reply = handled.Reply;
        var queued = handled.Status == ReplyStatus.Replied && m.ReplyBy == ReplyBy.Outbox;
        var createdAt = Dates.Write(handled.HandledAt);
        var id = s.Scalar<long>(
            """
            INSERT INTO outbound_messages (inbound_sid, to_number, from_number, body, reply_key, language, encoding, segments, status, created_at, channel)
            VALUES (@sid, @to, @from, @body, @key, @language, @encoding, @segments, @status, @created_at, @channel)
            RETURNING id
            """,
            ("@sid", m.Sid),
            ("@channel", ChannelNames.Write(m.Channel)),
            ("@to", m.From),
            ("@from", m.To),
            ("@body", reply?.Text ?? ""),
            ("@key", reply?.Key),
            ("@language", reply?.Language),
            ("@encoding", reply?.Encoding.ToString().ToLowerInvariant()),
            ("@segments", reply?.Segments ?? 0),
            ("@status", queued ? OutboundStatus.Pending : StatusOf(handled.Status)),
            ("@created_at", createdAt));

        // The reply to send goes in the outbox in this same transaction: if the message is handled,
        // its reply will be sent, even if the gateway stops right after this commit.
        if (queued)
        {
            s.Execute(
                "INSERT INTO outbox (id, to_number, channel, state, next_attempt_at) VALUES (@id, @to, @channel, 'pending', @created_at)", ("@id", id), ("@to", m.From), ("@channel", ChannelNames.Write(m.Channel)), ("@created_at", createdAt));
        }

        return new Answer(handled.Status == ReplyStatus.Replied ? reply?.Text : null, handled.Status);
    }

    /// <summary>The message as the rate limit has it when its number is past the limit, else null.</summary>
    private static HandledMessage? OverLimit(Statements s, SqliteTransaction tx, HandledMessage handled, RateLimit limit)
    {
        var row = s.Single(
            """
            SELECT (SELECT COUNT(*) FROM inbound_messages WHERE from_number = @number AND received_at > @since AND status = 'handled') AS Handled,
                   EXISTS (SELECT 1 FROM outbound_messages
                           WHERE to_number = @number AND created_at > @since AND reply_key = 'limited') AS Warned
            """, r => new LimitRow(r.Long(0), r.Long(1)), ("@number", handled.Inbound.From), ("@since", Dates.Write(limit.Since)))!;
        if (row.Handled <= limit.Messages) return null;
        return row.Warned != 0
            ? handled with { Changes = [], Reply = null, Status = ReplyStatus.Limited }
            : handled with { Changes = [], Reply = limit.Notice, Status = ReplyStatus.Replied };
    }

    private static int MarkHandled(Statements s, SqliteTransaction tx, HandledMessage handled)
    {
        var m = handled.Inbound;
        var u = handled.Understanding;
        return s.Execute(
            """
            UPDATE inbound_messages
            SET status = 'handled', normalised = @normalised, command = @command, args = @args, match = @match,
                keyword = @keyword, language = @language, handled_at = @handled_at, distance = @distance,
                suggestions = @suggestions
            WHERE sid = @sid AND status = 'received'
            """,
            ("@sid", m.Sid),
            ("@normalised", u.Normalised),
            ("@command", u.Command.Name),
            ("@args", JsonSerializer.Serialize(u.Command.Args)),
            ("@match", u.Match.ToString().ToLowerInvariant()),
            ("@keyword", u.Keyword),
            ("@language", handled.Reply?.Language ?? u.Languages.FirstOrDefault()),
            ("@handled_at", Dates.Write(handled.HandledAt)),
            ("@distance", u.Match == SmsHall.Core.Grammar.MatchKind.Fuzzy ? u.Distance : null),
            ("@suggestions", u.Suggestions.Count == 0 ? null : JsonSerializer.Serialize(u.Suggestions)));
    }

    private static string StatusOf(ReplyStatus status) => status switch
    {
        ReplyStatus.Suppressed => OutboundStatus.Suppressed,
        ReplyStatus.Limited => OutboundStatus.Limited,
        _ => OutboundStatus.Replied,
    };

    /// <summary>The answer already committed for a sid, if any.</summary>
    private static Answer? FindAnswer(Statements s, SqliteTransaction tx, string sid)
    {
        var row = s.Single(
            "SELECT body, status FROM outbound_messages WHERE inbound_sid = @sid", r => new OutboundRow(r.Text(0), r.Text(1)), ("@sid", sid));
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
            case AccountChange.SetAlerts alerts:
                foreach (var category in alerts.Categories)
                {
                    c.Execute(alerts.On
                        ? "DELETE FROM alert_refusals WHERE number = @number AND category = @category"
                        : "INSERT INTO alert_refusals (number, category, refused_at) VALUES (@number, @category, @at) ON CONFLICT DO NOTHING",
                        new { number, category, at = Dates.Write(m.ReceivedAt) }, tx);
                }
                break;
            case AccountChange.RedeemVoucher redeem:
                // All guarded: a voucher redeemed meanwhile, by anyone, a balance moved by another
                // message, or a wrong code counted meanwhile, sends this message round again on fresh data.
                TopUpFailuresUnchanged(c, tx, number, redeem.Failures);
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
            case AccountChange.RecordTopUpFailure failure:
                // The lockout counts exactly: a code is tried, and counted, only on the count it was judged by.
                TopUpFailuresUnchanged(c, tx, number, failure.Failures);
                c.Execute(
                    "INSERT INTO topup_failures (number, sid, failed_at) VALUES (@number, @sid, @at) ON CONFLICT (sid) DO NOTHING",
                    new { number, sid = m.Sid, at = Dates.Write(m.ReceivedAt) }, tx);
                break;
            default:
                if (SqliteTicketChanges.Apply(c, tx, m, change)) break;
                SqliteSelfServiceChanges.Apply(c, tx, m, change);
                break;
        }
    }

    private static void TopUpFailuresUnchanged(SqliteConnection c, SqliteTransaction tx, string number, TopUpFailuresSeen seen)
    {
        var now = c.ExecuteScalar<long>(
            "SELECT COUNT(*) FROM topup_failures WHERE number = @number AND failed_at > @since",
            new { number, since = Dates.Write(seen.Since) }, tx);
        if (now != seen.Count) throw new StaleAccountException("a wrong voucher code was counted meanwhile");
    }

    private sealed record OutboundRow(string Body, string Status);
    private sealed record NumbersRow(string FromNumber, string ToNumber, string Channel);
    private sealed record LimitRow(long Handled, long Warned);
}
