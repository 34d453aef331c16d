using SmsHall.Core.Accounts;

namespace SmsHall.Storage.Sqlite;

/// <summary>Reads accounts for the handlers, on readers that keep their statements prepared.</summary>
public sealed partial class SqliteAccounts(Database db) : IAccounts
{
    private const string SubscriberSql =
        """
        SELECT number, name, language, plan_code AS PlanCode, postpaid, balance_cents AS BalanceCents,
               valid_until AS ValidUntil, opted_out AS OptedOut
        FROM subscribers WHERE number = @number
        """;

    public Task<Subscriber?> FindSubscriberAsync(string number, CancellationToken ct = default) =>
        Task.FromResult(db.Read(s => s.Single(SubscriberSql, SubscriberRow.Read, ("@number", number)))?.ToSubscriber());

    // One statement, not two: each statement has a fixed cost, on every message. The join from a
    // one-row table gives the count a row even when the number is no subscriber's.
    public Task<SenderAccount> FindSenderAsync(string number, DateTimeOffset handledSince, CancellationToken ct = default) =>
        Task.FromResult(db.Read(s => s.Single(
            """
            SELECT s.number, s.name, s.language, s.plan_code, s.postpaid, s.balance_cents, s.valid_until, s.opted_out,
                   (SELECT COUNT(*) FROM inbound_messages WHERE from_number = @number AND received_at > @since AND status = 'handled')
            FROM (SELECT 1) LEFT JOIN subscribers s ON s.number = @number
            """,
            r => new SenderAccount(r.IsNull(0) ? null : SubscriberRow.Read(r).ToSubscriber(), (int)r.Long(8)),
            ("@number", number), ("@since", Dates.Write(handledSince)))!));

    public Task<IReadOnlyList<Plan>> PlansAsync(CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<Plan>>(db.ReadProducts("plans", s => s.List(
            """
            SELECT code, name, monthly_fee_cents AS MonthlyFeeCents, data_mb AS DataMb, minutes, sms
            FROM plans ORDER BY monthly_fee_cents, code
            """, r => new PlanRow(r.Text(0), r.Text(1), r.Long(2), r.Long(3), r.Long(4), r.Long(5))).Select(r => new Plan(r.Code, r.Name, r.MonthlyFeeCents, (int)r.DataMb, (int)r.Minutes, (int)r.Sms)).ToList()));

    public Task<Usage?> UsageAsync(string number, CancellationToken ct = default)
    {
        var row = db.Read(s => s.Single(
            """
            SELECT cycle_start AS CycleStart, data_mb_used AS DataMbUsed, minutes_used AS MinutesUsed, sms_used AS SmsUsed
            FROM usage WHERE number = @number
            """, r => new UsageRow(r.Text(0), r.Long(1), r.Long(2), r.Long(3)), ("@number", number)));
        return Task.FromResult(row is null ? null : new Usage(Dates.ReadDate(row.CycleStart), (int)row.DataMbUsed, (int)row.MinutesUsed, (int)row.SmsUsed));
    }

    public Task<IReadOnlyList<YearMonth>> BillPeriodsAsync(string number, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<YearMonth>>(db.Read(s => s.List(
            "SELECT period FROM bills WHERE number = @number ORDER BY period DESC", r => r.Text(0), ("@number", number)))
            .Select(YearMonth.Parse).ToList());

    public Task<Bill?> BillAsync(string number, YearMonth period, CancellationToken ct = default) =>
        Task.FromResult(db.Read(s =>
        {
            var bill = s.Single(
                """
                SELECT id, total_cents AS TotalCents, due_date AS DueDate, paid_on AS PaidOn
                FROM bills WHERE number = @number AND period = @period
                """, r => new BillRow(r.Long(0), r.Long(1), r.Text(2), r.TextOrNull(3)), ("@number", number), ("@period", period.ToString()));
            if (bill is null) return null;
            var lines = s.List(
                "SELECT description, amount_cents AS AmountCents FROM bill_lines WHERE bill_id = @id ORDER BY position",
                r => new BillLine(r.Text(0), r.Long(1)), ("@id", bill.Id));
            return new Bill(period, bill.TotalCents, Dates.ReadDate(bill.DueDate), Dates.ReadDateOrNull(bill.PaidOn), lines);
        }));

    public Task<long> UnpaidCentsAsync(string number, CancellationToken ct = default) =>
        Task.FromResult(db.Read(s => s.Scalar<long>(
            "SELECT COALESCE(SUM(total_cents), 0) FROM bills WHERE number = @number AND paid_on IS NULL", ("@number", number))));

    public Task<PendingAction?> PendingAsync(string number, CancellationToken ct = default)
    {
        var row = db.Read(s => s.Single(
            """
            SELECT offered_by_sid AS Id, action, argument, offered_at AS OfferedAt, expires_at AS ExpiresAt
            FROM pending_actions WHERE number = @number
            """, r => new PendingRow(r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4)), ("@number", number)));
        return Task.FromResult(row is null ? null : new PendingAction(row.Id, row.Action, row.Argument, Dates.ReadTime(row.OfferedAt), Dates.ReadTime(row.ExpiresAt)));
    }

    public Task<Voucher?> VoucherAsync(string code, CancellationToken ct = default)
    {
        var row = db.Read(s => s.Single(
            "SELECT code, amount_cents AS AmountCents, redeemed_at AS RedeemedAt FROM vouchers WHERE code = @code",
            r => new VoucherRow(r.Text(0), r.Long(1), r.TextOrNull(2)), ("@code", code)));
        return Task.FromResult(row is null ? null : new Voucher(row.Code, row.AmountCents, row.RedeemedAt is null ? null : Dates.ReadTime(row.RedeemedAt)));
    }

    public Task<IReadOnlyList<DateTimeOffset>> TopUpFailuresAsync(string number, DateTimeOffset since, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<DateTimeOffset>>(db.Read(s => s.List(
            "SELECT failed_at FROM topup_failures WHERE number = @number AND failed_at > @since ORDER BY failed_at", r => r.Text(0), ("@number", number), ("@since", Dates.Write(since)))).Select(Dates.ReadTime).ToList());

    private sealed record VoucherRow(string Code, long AmountCents, string? RedeemedAt);
    private sealed record PlanRow(string Code, string Name, long MonthlyFeeCents, long DataMb, long Minutes, long Sms);
    private sealed record UsageRow(string CycleStart, long DataMbUsed, long MinutesUsed, long SmsUsed);
    private sealed record BillRow(long Id, long TotalCents, string DueDate, string? PaidOn);
    private sealed record PendingRow(string Id, string Action, string Argument, string OfferedAt, string ExpiresAt);

    private sealed record SubscriberRow(
        string Number, string Name, string Language, string PlanCode, long Postpaid, long BalanceCents, string? ValidUntil, long OptedOut)
    {
        public static SubscriberRow Read(Statements.Row r) =>
            new(r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Long(4), r.Long(5), r.TextOrNull(6), r.Long(7));

        public Subscriber ToSubscriber() =>
            new(Number, Name, Language, PlanCode, Postpaid != 0, BalanceCents, Dates.ReadDateOrNull(ValidUntil), OptedOut != 0);
    }
}
