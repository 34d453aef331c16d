using Dapper;
using Npgsql;
using SmsHall.Core;
using SmsHall.Core.Accounts;
using SmsHall.Core.Ports;

namespace SmsHall.Storage.Postgres;

/// <summary>The self-service reads on PostgreSQL: points, payments, itemised records, extras, packs, the last list shown.</summary>
public sealed partial class PostgresAccounts
{
    public async Task<IReadOnlyList<PointLot>> PointsAsync(string number, DateOnly today, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<PointLot>(new CommandDefinition(
            """
            SELECT points_left AS Points, expires_on AS ExpiresOn FROM point_lots
            WHERE number = @number AND points_left > 0 AND expires_on >= @today ORDER BY expires_on, id
            """, new { number, today }, cancellationToken: ct))).ToList();
    }

    public Task<IReadOnlyList<Reward>> RewardsAsync(CancellationToken ct = default) => products.ReadAsync("rewards", async ct =>
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<(string Code, int Points, string Kind, long Amount)>(new CommandDefinition(
                "SELECT code, points, kind, amount FROM rewards ORDER BY points, code", cancellationToken: ct)))
            .Select(r => new Reward(r.Code, r.Points, r.Kind == "data" ? RewardKind.Data : RewardKind.Credit, r.Amount)).ToList();
    }, ct);

    // Voucher top-ups are in the vouchers table; the others in payments.
    public async Task<int> DataAddedMbAsync(string number, DateOnly today, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COALESCE(SUM(data_mb), 0)::int FROM data_added WHERE number = @number AND valid_until >= @today",
            new { number, today }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<Payment>> PaymentsAsync(string number, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<Payment>(new CommandDefinition(
            """
            SELECT paid_on AS "On", amount_cents AS AmountCents, channel FROM payments WHERE number = @number
            UNION ALL
            SELECT (redeemed_at AT TIME ZONE 'UTC')::date, amount_cents, 'voucher' FROM vouchers WHERE redeemed_by = @number
            ORDER BY 1 DESC LIMIT 100
            """, new { number }, cancellationToken: ct))).ToList();
    }

    public async Task<IReadOnlyList<UsageRecord>> RecordsAsync(
        string number, DateTimeOffset from, DateTimeOffset until, string? kind, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<(DateTime At, string Kind, string? Counterpart, long Quantity, long CostCents)>(new CommandDefinition(
                """
                SELECT at, kind, counterpart, quantity, cost_cents FROM usage_records
                WHERE number = @number AND at >= @from AND at < @until AND (@kind::text IS NULL OR kind = @kind)
                ORDER BY at DESC, id DESC
                """, new { number, from = from.ToUniversalTime(), until = until.ToUniversalTime(), kind }, cancellationToken: ct)))
            .Select(r => new UsageRecord(Utc(r.At), r.Kind, r.Counterpart, r.Quantity, r.CostCents)).ToList();
    }

    public async Task<IReadOnlyList<Subscription>> SubscriptionsAsync(string number, CancellationToken ct = default)
    {
        var extras = (await ExtrasAsync(ct)).ToDictionary(e => e.Code);
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<(string ExtraCode, DateOnly Since)>(new CommandDefinition(
                "SELECT extra_code, since FROM subscriptions WHERE number = @number AND cancelled_on IS NULL ORDER BY since, extra_code",
                new { number }, cancellationToken: ct)))
            .Select(r => new Subscription(extras[r.ExtraCode], r.Since)).ToList();
    }

    public Task<IReadOnlyList<Extra>> ExtrasAsync(CancellationToken ct = default) => products.ReadAsync("extras", async ct =>
    {
        await using var c = await db.OpenAsync(ct);
        var extras = await c.QueryAsync<(string Code, long MonthlyFeeCents)>(new CommandDefinition(
            "SELECT code, monthly_fee_cents FROM extras ORDER BY code", cancellationToken: ct));
        var names = (await c.QueryAsync<(string Code, string Language, string Name)>(new CommandDefinition(
            "SELECT code, language, name FROM extra_names ORDER BY code, position", cancellationToken: ct))).ToLookup(n => n.Code);
        return extras.Select(e => new Extra(e.Code, e.MonthlyFeeCents, [.. names[e.Code].Select(n => new ExtraName(n.Language, n.Name))])).ToList();
    }, ct);

    public Task<IReadOnlyList<DataPack>> DataPacksAsync(CancellationToken ct = default) => products.ReadAsync("data_packs", async ct =>
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<DataPack>(new CommandDefinition(
            "SELECT code, data_mb AS DataMb, price_cents AS PriceCents, valid_days AS ValidDays FROM data_packs ORDER BY data_mb, price_cents, code",
            cancellationToken: ct))).ToList();
    }, ct);

    public async Task<ListPage?> LastListAsync(string number, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<ListPage>(new CommandDefinition(
            "SELECT command, args, shown FROM list_pages WHERE number = @number", new { number }, cancellationToken: ct));
    }
}

/// <summary>
/// The self-service account changes, applied inside a message's commit (<see cref="PostgresMessageLog"/>),
/// under the number's advisory lock: no other message of the number, on any node, commits between
/// a check here and its update.
/// </summary>
internal static class PostgresSelfServiceChanges
{
    public static async Task ApplyAsync(NpgsqlConnection c, NpgsqlTransaction tx, InboundMessage m, AccountChange change, CancellationToken ct)
    {
        var number = m.From;
        switch (change)
        {
            case AccountChange.SpendPoints spend:
                var lots = (await c.QueryAsync<(long Id, int Left)>(new CommandDefinition(
                    "SELECT id, points_left FROM point_lots WHERE number = @number AND points_left > 0 AND expires_on >= @Today ORDER BY expires_on, id FOR UPDATE",
                    new { number, spend.Today }, tx, cancellationToken: ct))).ToList();
                if (lots.Sum(l => l.Left) != spend.PointsBefore) throw new StaleAccountException("the points changed while the reward was read");
                var owed = spend.Points;
                foreach (var (id, left) in lots.TakeWhile(_ => owed > 0))
                {
                    var take = Math.Min(left, owed);
                    await c.ExecuteAsync(new CommandDefinition(
                        "UPDATE point_lots SET points_left = points_left - @take WHERE id = @id", new { take, id }, tx, cancellationToken: ct));
                    owed -= take;
                }
                await c.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO point_redemptions (number, reward_code, points, redeemed_at, sid) VALUES (@number, @Reward, @Points, @at, @sid)",
                    new { number, spend.Reward, spend.Points, at = m.ReceivedAt.ToUniversalTime(), sid = m.Sid }, tx, cancellationToken: ct));
                break;
            case AccountChange.MoveBalance move:
                var moved = await c.ExecuteAsync(new CommandDefinition(
                    """
                    UPDATE subscribers SET balance_cents = balance_cents + @DeltaCents
                    WHERE number = @number AND balance_cents = @BalanceBefore AND balance_cents + @DeltaCents >= 0
                    """, new { number, move.DeltaCents, move.BalanceBefore }, tx, cancellationToken: ct));
                if (moved == 0) throw new StaleAccountException("the balance changed while it was read");
                break;
            case AccountChange.AddToNextBill charge:
                await c.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO next_bill_charges (number, description, amount_cents, added_at, sid) VALUES (@number, @Description, @AmountCents, @at, @sid)",
                    new { number, charge.Description, charge.AmountCents, at = m.ReceivedAt.ToUniversalTime(), sid = m.Sid }, tx, cancellationToken: ct));
                break;
            case AccountChange.AddData data:
                await c.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO data_added (number, source, code, data_mb, valid_until, added_at, sid)
                    VALUES (@number, @Source, @Code, @DataMb, @ValidUntil, @at, @sid)
                    """, new { number, data.Source, data.Code, data.DataMb, data.ValidUntil, at = m.ReceivedAt.ToUniversalTime(), sid = m.Sid },
                    tx, cancellationToken: ct));
                break;
            case AccountChange.CancelExtras cancel:
                var cancelled = await c.ExecuteAsync(new CommandDefinition(
                    """
                    UPDATE subscriptions SET cancelled_on = @On, ends_on = @EndsOn, cancelled_by_sid = @sid
                    WHERE number = @number AND extra_code = ANY(@codes) AND cancelled_on IS NULL
                    """, new { number, codes = cancel.Codes.ToArray(), cancel.On, cancel.EndsOn, sid = m.Sid }, tx, cancellationToken: ct));
                if (cancelled != cancel.Codes.Count) throw new StaleAccountException("an extra was cancelled meanwhile");
                break;
            case AccountChange.RememberList list:
                await c.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO list_pages (number, command, args, shown) VALUES (@number, @Command, @Args, @Shown)
                    ON CONFLICT (number) DO UPDATE SET command = excluded.command, args = excluded.args, shown = excluded.shown
                    """, new { number, list.Page.Command, list.Page.Args, list.Page.Shown }, tx, cancellationToken: ct));
                break;
            case AccountChange.ForgetList:
                await c.ExecuteAsync(new CommandDefinition("DELETE FROM list_pages WHERE number = @number", new { number }, tx, cancellationToken: ct));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(change), change, "unknown account change");
        }
    }
}

/// <summary>
/// Rewards, extras and packs as operators change them, on PostgreSQL. Each change is forgotten by this
/// node's <see cref="PostgresProductCache"/> as soon as it is committed; the other nodes hear of it by NOTIFY.
/// </summary>
public sealed class PostgresProducts(PostgresDatabase db, PostgresProductCache cache) : IProducts
{
    // xmax = 0 only on a row just inserted, not one an upsert updated: whether the code was new, in the same statement.
    public bool SaveReward(Reward r) => Save("rewards",
        """
        INSERT INTO rewards (code, points, kind, amount) VALUES (@Code, @Points, @kind, @Amount)
        ON CONFLICT (code) DO UPDATE SET points = excluded.points, kind = excluded.kind, amount = excluded.amount RETURNING xmax = 0
        """, new { r.Code, r.Points, kind = r.Kind == RewardKind.Data ? "data" : "credit", r.Amount });

    public bool RemoveReward(string code) => Remove("rewards", code);

    public bool SavePack(DataPack p) => Save("data_packs",
        """
        INSERT INTO data_packs (code, data_mb, price_cents, valid_days) VALUES (@Code, @DataMb, @PriceCents, @ValidDays)
        ON CONFLICT (code) DO UPDATE SET data_mb = excluded.data_mb, price_cents = excluded.price_cents, valid_days = excluded.valid_days RETURNING xmax = 0
        """, p);

    public bool RemovePack(string code) => Remove("data_packs", code);

    public bool SaveExtra(Extra e)
    {
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        var isNew = PostgresSeeding.SaveExtra(c, tx, e, replace: true);
        tx.Commit();
        cache.Changed("extras");
        return isNew;
    }

    public bool RemoveExtra(string code)
    {
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        // Locked first, so nobody subscribes between the count and the delete.
        c.Execute("SELECT 1 FROM extras WHERE code = @code FOR UPDATE", new { code }, tx);
        var subscribed = c.ExecuteScalar<long>("SELECT COUNT(*) FROM subscriptions WHERE extra_code = @code AND cancelled_on IS NULL", new { code }, tx);
        if (subscribed > 0) throw new ProductInUseException(code, subscribed);
        c.Execute("DELETE FROM subscriptions WHERE extra_code = @code", new { code }, tx);
        var removed = c.Execute("DELETE FROM extras WHERE code = @code", new { code }, tx);
        tx.Commit();
        cache.Changed("extras");
        return removed == 1;
    }

    private bool Save(string table, string sql, object row)
    {
        using var c = db.Open();
        var isNew = c.ExecuteScalar<bool>(sql, row);
        cache.Changed(table);
        return isNew;
    }

    private bool Remove(string table, string code)
    {
        using var c = db.Open();
        var removed = c.Execute($"DELETE FROM {table} WHERE code = @code", new { code }) == 1;
        cache.Changed(table);
        return removed;
    }
}
