namespace SmsHall.Core.Accounts;

/// <summary>A subscriber as the handlers see it. Money is in cents of the operator's currency.</summary>
public sealed record Subscriber(
    string Number,
    string Name,
    string Language,
    string PlanCode,
    bool Postpaid,
    long BalanceCents,
    DateOnly? ValidUntil,
    bool OptedOut);

public sealed record Plan(string Code, string Name, long MonthlyFeeCents, int DataMb, int Minutes, int Sms);

public sealed record Usage(DateOnly CycleStart, int DataMbUsed, int MinutesUsed, int SmsUsed);

public sealed record BillLine(string Description, long AmountCents);

public sealed record Bill(YearMonth Period, long TotalCents, DateOnly Due, DateOnly? PaidOn, IReadOnlyList<BillLine> Lines);

/// <summary>An account change offered to a subscriber and waiting for YES or NO.</summary>
public sealed record PendingAction(string Action, string Argument, DateTimeOffset OfferedAt, DateTimeOffset ExpiresAt);

/// <summary>What the handlers may read about accounts. Writes are returned as <see cref="AccountChange"/>s.</summary>
public interface IAccounts
{
    Task<Subscriber?> FindSubscriberAsync(string number, CancellationToken ct = default);
    Task<IReadOnlyList<Plan>> PlansAsync(CancellationToken ct = default);
    Task<Usage?> UsageAsync(string number, CancellationToken ct = default);
    /// <summary>The months this number has a bill for, newest first.</summary>
    Task<IReadOnlyList<YearMonth>> BillPeriodsAsync(string number, CancellationToken ct = default);
    Task<Bill?> BillAsync(string number, YearMonth period, CancellationToken ct = default);
    /// <summary>The total of this number's bills not yet paid.</summary>
    Task<long> UnpaidCentsAsync(string number, CancellationToken ct = default);
    Task<PendingAction?> PendingAsync(string number, CancellationToken ct = default);
}

/// <summary>
/// A change a handler asks for. Storage applies all of a message's changes in the same transaction
/// that records its reply, so a message either changed the account and was answered, or neither.
/// </summary>
public abstract record AccountChange
{
    public sealed record Offer(PendingAction Action) : AccountChange;
    public sealed record ClearOffer : AccountChange;
    public sealed record ChangePlan(string PlanCode) : AccountChange;
    public sealed record SetLanguage(string Language) : AccountChange;
    public sealed record SetOptedOut(bool OptedOut) : AccountChange;
}
