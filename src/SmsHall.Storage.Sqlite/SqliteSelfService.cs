using Dapper;
using Microsoft.Data.Sqlite;
using SmsHall.Core;
using SmsHall.Core.Accounts;
using SmsHall.Core.Ports;

namespace SmsHall.Storage.Sqlite;

/// <summary>The self-service reads: points, payments, itemised records, extras, packs, the last list shown.</summary>
public sealed partial class SqliteAccounts
{
    public Task<IReadOnlyList<PointLot>> PointsAsync(string number, DateOnly today, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<PointLot>>(db.Read(s => s.List(
            """
            SELECT points_left AS Points, expires_on AS ExpiresOn FROM point_lots
            WHERE number = @number AND points_left > 0 AND expires_on >= @today ORDER BY expires_on, id
            """, r => new LotRow(r.Long(0), r.Text(1)), ("@number", number), ("@today", Dates.Write(today))))
            .Select(r => new PointLot((int)r.Points, Dates.ReadDate(r.ExpiresOn))).ToList());

    public Task<IReadOnlyList<Reward>> RewardsAsync(CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<Reward>>(db.ReadProducts("rewards", s => s.List(
            "SELECT code, points, kind, amount FROM rewards ORDER BY points, code", r => new RewardRow(r.Text(0), r.Long(1), r.Text(2), r.Long(3)))
            .Select(r => new Reward(r.Code, (int)r.Points, SelfServiceRows.Kind(r.Kind), r.Amount)).ToList()));

    // Voucher top-ups are in the vouchers table; the others in payments.
    public Task<int> DataAddedMbAsync(string number, DateOnly today, CancellationToken ct = default) =>
        Task.FromResult((int)db.Read(s => s.Scalar<long>(
            "SELECT COALESCE(SUM(data_mb), 0) FROM data_added WHERE number = @number AND valid_until >= @today", ("@number", number), ("@today", Dates.Write(today)))));

    public Task<IReadOnlyList<Payment>> PaymentsAsync(string number, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<Payment>>(db.Read(s => s.List(
            """
            SELECT paid_on AS PaidOn, amount_cents AS AmountCents, channel FROM payments WHERE number = @number
            UNION ALL
            SELECT substr(redeemed_at, 1, 10), amount_cents, 'voucher' FROM vouchers WHERE redeemed_by = @number
            ORDER BY 1 DESC LIMIT 100
            """, r => new PaymentRow(r.Text(0), r.Long(1), r.Text(2)), ("@number", number)))
            .Select(r => new Payment(Dates.ReadDate(r.PaidOn), r.AmountCents, r.Channel)).ToList());

    public Task<IReadOnlyList<UsageRecord>> RecordsAsync(
        string number, DateTimeOffset from, DateTimeOffset until, string? kind, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<UsageRecord>>(db.Read(s => s.List(
            """
            SELECT at, kind, counterpart, quantity, cost_cents AS CostCents FROM usage_records
            WHERE number = @number AND at >= @from AND at < @until AND (@kind IS NULL OR kind = @kind)
            ORDER BY at DESC, id DESC
            """, r => new RecordRow(r.Text(0), r.Text(1), r.TextOrNull(2), r.Long(3), r.Long(4)), ("@number", number), ("@from", Dates.Write(from)), ("@until", Dates.Write(until)), ("@kind", kind)))
            .Select(r => new UsageRecord(Dates.ReadTime(r.At), r.Kind, r.Counterpart, r.Quantity, r.CostCents)).ToList());

    public async Task<IReadOnlyList<Subscription>> SubscriptionsAsync(string number, CancellationToken ct = default)
    {
        var extras = (await ExtrasAsync(ct)).ToDictionary(e => e.Code);
        return db.Read(s => s.List(
                """
                SELECT extra_code AS ExtraCode, since FROM subscriptions
                WHERE number = @number AND cancelled_on IS NULL ORDER BY since, extra_code
                """, r => new SubscriptionRow(r.Text(0), r.Text(1)), ("@number", number)))
            .Select(r => new Subscription(extras[r.ExtraCode], Dates.ReadDate(r.Since))).ToList();
    }

    public Task<IReadOnlyList<Extra>> ExtrasAsync(CancellationToken ct = default) =>
        Task.FromResult(db.ReadProducts("extras", s => SelfServiceRows.Extras(
            s.List("SELECT code, monthly_fee_cents AS MonthlyFeeCents FROM extras ORDER BY code", r => new ExtraRow(r.Text(0), r.Long(1))),
            s.List("SELECT code, language, name FROM extra_names ORDER BY code, position", r => new ExtraNameRow(r.Text(0), r.Text(1), r.Text(2))))));

    public Task<IReadOnlyList<DataPack>> DataPacksAsync(CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<DataPack>>(db.ReadProducts("packs", s => s.List(
            "SELECT code, data_mb AS DataMb, price_cents AS PriceCents, valid_days AS ValidDays FROM data_packs ORDER BY data_mb, price_cents, code",
            r => new PackRow(r.Text(0), r.Long(1), r.Long(2), r.Long(3)))
            .Select(r => new DataPack(r.Code, (int)r.DataMb, r.PriceCents, (int)r.ValidDays)).ToList()));

    public Task<ListPage?> LastListAsync(string number, CancellationToken ct = default) =>
        Task.FromResult(db.Read(s => s.Single("SELECT command, args, shown FROM list_pages WHERE number = @number",
            r => new PageRow(r.Text(0), r.Text(1), r.Long(2)), ("@number", number)))
            is { } row ? new ListPage(row.Command, row.Args, (int)row.Shown) : null);

    private sealed record LotRow(long Points, string ExpiresOn);
    private sealed record RewardRow(string Code, long Points, string Kind, long Amount);
    private sealed record PaymentRow(string PaidOn, long AmountCents, string Channel);
    private sealed record RecordRow(string At, string Kind, string? Counterpart, long Quantity, long CostCents);
    private sealed record SubscriptionRow(string ExtraCode, string Since);
    private sealed record PackRow(string Code, long DataMb, long PriceCents, long ValidDays);
    private sealed record PageRow(string Command, string Args, long Shown);
}

/// <summary>Rows both providers read the same way.</summary>
internal static class SelfServiceRows
{
    public static RewardKind Kind(string kind) => kind == "data" ? RewardKind.Data : RewardKind.Credit;

    public static string Kind(RewardKind kind) => kind == RewardKind.Data ? "data" : "credit";

    public static IReadOnlyList<Extra> Extras(IEnumerable<ExtraRow> extras, IEnumerable<ExtraNameRow> names)
    {
        var byCode = names.ToLookup(n => n.Code);
        return extras.Select(e => new Extra(e.Code, e.MonthlyFeeCents, [.. byCode[e.Code].Select(n => new ExtraName(n.Language, n.Name))])).ToList();
    }
}

internal sealed record ExtraRow(string Code, long MonthlyFeeCents);
internal sealed record ExtraNameRow(string Code, string Language, string Name);

/// <summary>The self-service account changes, applied inside a message's commit (<see cref="SqliteMessageLog"/>).</summary>
internal static class SqliteSelfServiceChanges
{
    public static void Apply(SqliteConnection c, SqliteTransaction tx, InboundMessage m, AccountChange change)
    {
        var number = m.From;
        switch (change)
        {
            case AccountChange.SpendPoints spend:
                // The writer holds the database, so the points read here are the points spent: none
                // can go between the check and the updates.
                var lots = c.Query<(long Id, long Left)>(
                    "SELECT id, points_left FROM point_lots WHERE number = @number AND points_left > 0 AND expires_on >= @today ORDER BY expires_on, id",
                    new { number, today = Dates.Write(spend.Today) }, tx).ToList();
                if (lots.Sum(l => l.Left) != spend.PointsBefore) throw new StaleAccountException("the points changed while the reward was read");
                var owed = (long)spend.Points;
                foreach (var (id, left) in lots.TakeWhile(_ => owed > 0))
                {
                    var take = Math.Min(left, owed);
                    c.Execute("UPDATE point_lots SET points_left = points_left - @take WHERE id = @id", new { take, id }, tx);
                    owed -= take;
                }
                c.Execute(
                    "INSERT INTO point_redemptions (number, reward_code, points, redeemed_at, sid) VALUES (@number, @Reward, @Points, @at, @sid)",
                    new { number, spend.Reward, spend.Points, at = Dates.Write(m.ReceivedAt), sid = m.Sid }, tx);
                break;
            case AccountChange.MoveBalance move:
                var moved = c.Execute(
                    """
                    UPDATE subscribers SET balance_cents = balance_cents + @DeltaCents
                    WHERE number = @number AND balance_cents = @BalanceBefore AND balance_cents + @DeltaCents >= 0
                    """, new { number, move.DeltaCents, move.BalanceBefore }, tx);
                if (moved == 0) throw new StaleAccountException("the balance changed while it was read");
                break;
            case AccountChange.AddToNextBill charge:
                c.Execute(
                    "INSERT INTO next_bill_charges (number, description, amount_cents, added_at, sid) VALUES (@number, @Description, @AmountCents, @at, @sid)",
                    new { number, charge.Description, charge.AmountCents, at = Dates.Write(m.ReceivedAt), sid = m.Sid }, tx);
                break;
            case AccountChange.AddData data:
                c.Execute(
                    """
                    INSERT INTO data_added (number, source, code, data_mb, valid_until, added_at, sid)
                    VALUES (@number, @Source, @Code, @DataMb, @until, @at, @sid)
                    """, new { number, data.Source, data.Code, data.DataMb, until = Dates.Write(data.ValidUntil), at = Dates.Write(m.ReceivedAt), sid = m.Sid }, tx);
                break;
            case AccountChange.CancelExtras cancel:
                var cancelled = c.Execute(
                    """
                    UPDATE subscriptions SET cancelled_on = @on, ends_on = @ends, cancelled_by_sid = @sid
                    WHERE number = @number AND extra_code IN @Codes AND cancelled_on IS NULL
                    """, new { number, cancel.Codes, on = Dates.Write(cancel.On), ends = Dates.Write(cancel.EndsOn), sid = m.Sid }, tx);
                if (cancelled != cancel.Codes.Count) throw new StaleAccountException("an extra was cancelled meanwhile");
                break;
            case AccountChange.RememberList list:
                c.Execute(
                    """
                    INSERT INTO list_pages (number, command, args, shown) VALUES (@number, @Command, @Args, @Shown)
                    ON CONFLICT (number) DO UPDATE SET command = excluded.command, args = excluded.args, shown = excluded.shown
                    """, new { number, list.Page.Command, list.Page.Args, list.Page.Shown }, tx);
                break;
            case AccountChange.ForgetList:
                c.Execute("DELETE FROM list_pages WHERE number = @number", new { number }, tx);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(change), change, "unknown account change");
        }
    }
}

/// <summary>Rewards, extras and packs as operators change them (<c>smshall db rewards|extras|packs</c>).</summary>
public sealed class SqliteProducts(Database db) : IProducts
{
    public bool SaveReward(Reward r) => Save(
        "INSERT INTO rewards (code, points, kind, amount) VALUES (@Code, @Points, @kind, @Amount) ON CONFLICT (code) DO UPDATE SET points = excluded.points, kind = excluded.kind, amount = excluded.amount",
        "rewards", r.Code, new { r.Code, r.Points, kind = SelfServiceRows.Kind(r.Kind), r.Amount });

    public bool RemoveReward(string code) => Remove("rewards", code);

    public bool SavePack(DataPack p) => Save(
        "INSERT INTO data_packs (code, data_mb, price_cents, valid_days) VALUES (@Code, @DataMb, @PriceCents, @ValidDays) ON CONFLICT (code) DO UPDATE SET data_mb = excluded.data_mb, price_cents = excluded.price_cents, valid_days = excluded.valid_days",
        "data_packs", p.Code, p);

    public bool RemovePack(string code) => Remove("data_packs", code);

    public bool SaveExtra(Extra e)
    {
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        var isNew = c.ExecuteScalar<long>("SELECT COUNT(*) FROM extras WHERE code = @Code", new { e.Code }, tx) == 0;
        SqliteSeeding.SaveExtra(c, tx, e, replace: true);
        tx.Commit();
        db.ProductsChanged();
        return isNew;
    }

    public bool RemoveExtra(string code)
    {
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        var subscribed = c.ExecuteScalar<long>("SELECT COUNT(*) FROM subscriptions WHERE extra_code = @code AND cancelled_on IS NULL", new { code }, tx);
        if (subscribed > 0) throw new ProductInUseException(code, subscribed);
        // Cancelled subscriptions keep their history only while the extra exists.
        c.Execute("DELETE FROM subscriptions WHERE extra_code = @code", new { code }, tx);
        var removed = c.Execute("DELETE FROM extras WHERE code = @code", new { code }, tx);
        tx.Commit();
        db.ProductsChanged();
        return removed == 1;
    }

    private bool Save(string sql, string table, string code, object row)
    {
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        var isNew = c.ExecuteScalar<long>($"SELECT COUNT(*) FROM {table} WHERE code = @code", new { code }, tx) == 0;
        c.Execute(sql, row, tx);
        tx.Commit();
        db.ProductsChanged();
        return isNew;
    }

    private bool Remove(string table, string code)
    {
        using var c = db.Open();
        var removed = c.Execute($"DELETE FROM {table} WHERE code = @code", new { code }) == 1;
        db.ProductsChanged();
        return removed;
    }
}
