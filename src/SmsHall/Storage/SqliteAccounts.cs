using Dapper;
using SmsHall.Core.Accounts;

namespace SmsHall.Storage;

/// <summary>Reads accounts for the handlers.</summary>
public sealed class SqliteAccounts(Database db) : IAccounts
{
    public async Task<Subscriber?> FindSubscriberAsync(string number, CancellationToken ct = default)
    {
        using var c = db.Open();
        var row = await c.QuerySingleOrDefaultAsync<SubscriberRow>(new CommandDefinition(
            """
            SELECT number, name, language, plan_code AS PlanCode, postpaid, balance_cents AS BalanceCents,
                   valid_until AS ValidUntil, opted_out AS OptedOut
            FROM subscribers WHERE number = @number
            """, new { number }, cancellationToken: ct));
        return row?.ToSubscriber();
    }

    public async Task<IReadOnlyList<Plan>> PlansAsync(CancellationToken ct = default)
    {
        using var c = db.Open();
        var rows = await c.QueryAsync<PlanRow>(new CommandDefinition(
            """
            SELECT code, name, monthly_fee_cents AS MonthlyFeeCents, data_mb AS DataMb, minutes, sms
            FROM plans ORDER BY monthly_fee_cents, code
            """, cancellationToken: ct));
        return rows.Select(r => new Plan(r.Code, r.Name, r.MonthlyFeeCents, (int)r.DataMb, (int)r.Minutes, (int)r.Sms)).ToList();
    }

    public async Task<Usage?> UsageAsync(string number, CancellationToken ct = default)
    {
        using var c = db.Open();
        var row = await c.QuerySingleOrDefaultAsync<UsageRow>(new CommandDefinition(
            """
            SELECT cycle_start AS CycleStart, data_mb_used AS DataMbUsed, minutes_used AS MinutesUsed, sms_used AS SmsUsed
            FROM usage WHERE number = @number
            """, new { number }, cancellationToken: ct));
        return row is null ? null : new Usage(Dates.ReadDate(row.CycleStart), (int)row.DataMbUsed, (int)row.MinutesUsed, (int)row.SmsUsed);
    }

    public async Task<IReadOnlyList<YearMonth>> BillPeriodsAsync(string number, CancellationToken ct = default)
    {
        using var c = db.Open();
        var periods = await c.QueryAsync<string>(new CommandDefinition(
            "SELECT period FROM bills WHERE number = @number ORDER BY period DESC", new { number }, cancellationToken: ct));
        return periods.Select(YearMonth.Parse).ToList();
    }

    public async Task<Bill?> BillAsync(string number, YearMonth period, CancellationToken ct = default)
    {
        using var c = db.Open();
        var bill = await c.QuerySingleOrDefaultAsync<BillRow>(new CommandDefinition(
            """
            SELECT id, total_cents AS TotalCents, due_date AS DueDate, paid_on AS PaidOn
            FROM bills WHERE number = @number AND period = @period
            """, new { number, period = period.ToString() }, cancellationToken: ct));
        if (bill is null) return null;
        var lines = await c.QueryAsync<BillLine>(new CommandDefinition(
            "SELECT description, amount_cents AS AmountCents FROM bill_lines WHERE bill_id = @id ORDER BY position",
            new { id = bill.Id }, cancellationToken: ct));
        return new Bill(period, bill.TotalCents, Dates.ReadDate(bill.DueDate), Dates.ReadDateOrNull(bill.PaidOn), lines.ToList());
    }

    public async Task<long> UnpaidCentsAsync(string number, CancellationToken ct = default)
    {
        using var c = db.Open();
        return await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COALESCE(SUM(total_cents), 0) FROM bills WHERE number = @number AND paid_on IS NULL",
            new { number }, cancellationToken: ct));
    }

    public async Task<PendingAction?> PendingAsync(string number, CancellationToken ct = default)
    {
        using var c = db.Open();
        var row = await c.QuerySingleOrDefaultAsync<PendingRow>(new CommandDefinition(
            """
            SELECT offered_by_sid AS Id, action, argument, offered_at AS OfferedAt, expires_at AS ExpiresAt
            FROM pending_actions WHERE number = @number
            """, new { number }, cancellationToken: ct));
        return row is null ? null : new PendingAction(row.Id, row.Action, row.Argument, Dates.ReadTime(row.OfferedAt), Dates.ReadTime(row.ExpiresAt));
    }

    public async Task<Voucher?> VoucherAsync(string code, CancellationToken ct = default)
    {
        using var c = db.Open();
        var row = await c.QuerySingleOrDefaultAsync<VoucherRow>(new CommandDefinition(
            "SELECT code, amount_cents AS AmountCents, redeemed_at AS RedeemedAt FROM vouchers WHERE code = @code",
            new { code }, cancellationToken: ct));
        return row is null ? null : new Voucher(row.Code, row.AmountCents, row.RedeemedAt is null ? null : Dates.ReadTime(row.RedeemedAt));
    }

    public async Task<IReadOnlyList<DateTimeOffset>> TopUpFailuresAsync(string number, DateTimeOffset since, CancellationToken ct = default)
    {
        using var c = db.Open();
        var times = await c.QueryAsync<string>(new CommandDefinition(
            "SELECT failed_at FROM topup_failures WHERE number = @number AND failed_at > @since ORDER BY failed_at",
            new { number, since = Dates.Write(since) }, cancellationToken: ct));
        return times.Select(Dates.ReadTime).ToList();
    }

    private sealed record VoucherRow(string Code, long AmountCents, string? RedeemedAt);
    private sealed record PlanRow(string Code, string Name, long MonthlyFeeCents, long DataMb, long Minutes, long Sms);
    private sealed record UsageRow(string CycleStart, long DataMbUsed, long MinutesUsed, long SmsUsed);
    private sealed record BillRow(long Id, long TotalCents, string DueDate, string? PaidOn);
    private sealed record PendingRow(string Id, string Action, string Argument, string OfferedAt, string ExpiresAt);

    private sealed record SubscriberRow(
        string Number, string Name, string Language, string PlanCode, long Postpaid, long BalanceCents, string? ValidUntil, long OptedOut)
    {
        public Subscriber ToSubscriber() =>
            new(Number, Name, Language, PlanCode, Postpaid != 0, BalanceCents, Dates.ReadDateOrNull(ValidUntil), OptedOut != 0);
    }
}
