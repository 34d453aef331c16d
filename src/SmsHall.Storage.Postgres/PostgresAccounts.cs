using Dapper;
using SmsHall.Core.Accounts;

namespace SmsHall.Storage.Postgres;

/// <summary>Reads accounts for the handlers, on PostgreSQL; the products from the node's <see cref="PostgresProductCache"/>.</summary>
public sealed partial class PostgresAccounts(PostgresDatabase db, PostgresProductCache products) : IAccounts
{
    public async Task<Subscriber?> FindSubscriberAsync(string number, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<SubscriberRow>(new CommandDefinition(
            """
            SELECT number, name, language, plan_code AS PlanCode, postpaid, balance_cents AS BalanceCents,
                   valid_until AS ValidUntil, opted_out AS OptedOut
            FROM subscribers WHERE number = @number
            """, new { number }, cancellationToken: ct));
        return row is null ? null : new Subscriber(row.Number, row.Name, row.Language, row.PlanCode, row.Postpaid, row.BalanceCents,
            row.ValidUntil, row.OptedOut);
    }

    public async Task<SenderAccount> FindSenderAsync(string number, DateTimeOffset handledSince, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        // A number that is no subscriber still has a count: the right join keeps the count's one row.
        var row = await c.QuerySingleAsync<SenderRow>(new CommandDefinition(
            """
            SELECT s.number, s.name, s.language, s.plan_code AS PlanCode, s.postpaid, s.balance_cents AS BalanceCents,
                   s.valid_until AS ValidUntil, s.opted_out AS OptedOut, n.handled AS HandledSince
            FROM subscribers s
            RIGHT JOIN (SELECT COUNT(*) AS handled FROM inbound_messages
                        WHERE from_number = @number AND received_at > @since AND status = 'handled') n ON s.number = @number
            """, new { number, since = handledSince.ToUniversalTime() }, cancellationToken: ct));
        var subscriber = row.Number is null ? null : new Subscriber(row.Number, row.Name!, row.Language!, row.PlanCode!, row.Postpaid!.Value,
            row.BalanceCents!.Value, row.ValidUntil, row.OptedOut!.Value);
        return new SenderAccount(subscriber, (int)row.HandledSince);
    }

    public Task<IReadOnlyList<Plan>> PlansAsync(CancellationToken ct = default) => products.ReadAsync("plans", async ct =>
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<Plan>(new CommandDefinition(
            """
            SELECT code, name, monthly_fee_cents AS MonthlyFeeCents, data_mb AS DataMb, minutes, sms
            FROM plans ORDER BY monthly_fee_cents, code
            """, cancellationToken: ct))).ToList();
    }, ct);

    public async Task<Usage?> UsageAsync(string number, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<UsageRow>(new CommandDefinition(
            """
            SELECT cycle_start AS CycleStart, data_mb_used AS DataMbUsed, minutes_used AS MinutesUsed, sms_used AS SmsUsed
            FROM usage WHERE number = @number
            """, new { number }, cancellationToken: ct));
        return row is null ? null : new Usage(row.CycleStart, row.DataMbUsed, row.MinutesUsed, row.SmsUsed);
    }

    public async Task<IReadOnlyList<YearMonth>> BillPeriodsAsync(string number, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<string>(new CommandDefinition(
            "SELECT period FROM bills WHERE number = @number ORDER BY period DESC", new { number }, cancellationToken: ct)))
            .Select(YearMonth.Parse).ToList();
    }

    public async Task<Bill?> BillAsync(string number, YearMonth period, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        // The bill and its lines in one round trip. The lines as arrays from subqueries run for the
        // bill found: a join let the planner scan every bill line before the tables were analysed
        // (271 messages a second in bench/webhook.sh).
        var bill = await c.QuerySingleOrDefaultAsync<BillRow>(new CommandDefinition(
            """
            SELECT total_cents AS TotalCents, due_date AS DueDate, paid_on AS PaidOn,
                   ARRAY(SELECT description FROM bill_lines WHERE bill_id = b.id ORDER BY position) AS Descriptions,
                   ARRAY(SELECT amount_cents FROM bill_lines WHERE bill_id = b.id ORDER BY position) AS Amounts
            FROM bills b WHERE number = @number AND period = @period
            """, new { number, period = period.ToString() }, cancellationToken: ct));
        return bill is null ? null : new Bill(period, bill.TotalCents, bill.DueDate, bill.PaidOn,
            [.. bill.Descriptions.Zip(bill.Amounts, (d, a) => new BillLine(d, a))]);
    }

    public async Task<long> UnpaidCentsAsync(string number, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COALESCE(SUM(total_cents), 0) FROM bills WHERE number = @number AND paid_on IS NULL", new { number }, cancellationToken: ct));
    }

    public async Task<PendingAction?> PendingAsync(string number, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<PendingRow>(new CommandDefinition(
            """
            SELECT offered_by_sid AS Id, action, argument, offered_at AS OfferedAt, expires_at AS ExpiresAt
            FROM pending_actions WHERE number = @number
            """, new { number }, cancellationToken: ct));
        return row is null ? null : new PendingAction(row.Id, row.Action, row.Argument, Utc(row.OfferedAt), Utc(row.ExpiresAt));
    }

    public async Task<Voucher?> VoucherAsync(string code, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<VoucherRow>(new CommandDefinition(
            "SELECT code, amount_cents AS AmountCents, redeemed_at AS RedeemedAt FROM vouchers WHERE code = @code", new { code },
            cancellationToken: ct));
        return row is null ? null : new Voucher(row.Code, row.AmountCents, row.RedeemedAt is { } at ? Utc(at) : null);
    }

    public async Task<IReadOnlyList<DateTimeOffset>> TopUpFailuresAsync(string number, DateTimeOffset since, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<DateTime>(new CommandDefinition(
            "SELECT failed_at FROM topup_failures WHERE number = @number AND failed_at > @since ORDER BY failed_at",
            new { number, since = since.ToUniversalTime() }, cancellationToken: ct))).Select(Utc).ToList();
    }

    /// <summary>Npgsql reads a timestamptz as a UTC DateTime (and a date as a DateOnly).</summary>
    internal static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));

    private sealed record VoucherRow(string Code, long AmountCents, DateTime? RedeemedAt);
    private sealed record UsageRow(DateOnly CycleStart, int DataMbUsed, int MinutesUsed, int SmsUsed);
    // Properties, not a record's constructor: Dapper matches a constructor by the reader's column
    // types, and Npgsql names an array column's type System.Array.
    private sealed class BillRow
    {
        public long TotalCents { get; init; }
        public DateOnly DueDate { get; init; }
        public DateOnly? PaidOn { get; init; }
        public string[] Descriptions { get; init; } = [];
        public long[] Amounts { get; init; } = [];
    }
    private sealed record PendingRow(string Id, string Action, string Argument, DateTime OfferedAt, DateTime ExpiresAt);
    private sealed record SenderRow(
        string? Number, string? Name, string? Language, string? PlanCode, bool? Postpaid, long? BalanceCents, DateOnly? ValidUntil, bool? OptedOut,
        long HandledSince);
    private sealed record SubscriberRow(
        string Number, string Name, string Language, string PlanCode, bool Postpaid, long BalanceCents, DateOnly? ValidUntil, bool OptedOut);
}
