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

/// <summary>
/// An account change offered to a subscriber and waiting for YES or NO. <see cref="Id"/> is the sid
/// of the message that asked for it, so a YES takes exactly the offer it was answering.
/// </summary>
public sealed record PendingAction(string Id, string Action, string Argument, DateTimeOffset OfferedAt, DateTimeOffset ExpiresAt);

/// <summary>A top-up voucher; <see cref="RedeemedAt"/> is set once it has been used.</summary>
public sealed record Voucher(string Code, long AmountCents, DateTimeOffset? RedeemedAt);

/// <summary>
/// Who sent a message, as the hall first reads it: the subscriber (null for a number that is none)
/// and how many of the number's messages were handled since an instant, for the rate limit's quick look.
/// </summary>
public sealed record SenderAccount(Subscriber? Subscriber, int HandledSince);

/// <summary>What the handlers may read about accounts. Writes are returned as <see cref="AccountChange"/>s.</summary>
public partial interface IAccounts
{
    Task<Subscriber?> FindSubscriberAsync(string number, CancellationToken ct = default);

    /// <summary>
    /// The subscriber behind a number and its messages handled since <paramref name="handledSince"/>,
    /// in one read: every message starts with it, so on a database server it is one round trip.
    /// </summary>
    Task<SenderAccount> FindSenderAsync(string number, DateTimeOffset handledSince, CancellationToken ct = default);
    Task<IReadOnlyList<Plan>> PlansAsync(CancellationToken ct = default);
    Task<Usage?> UsageAsync(string number, CancellationToken ct = default);
    /// <summary>The months this number has a bill for, newest first.</summary>
    Task<IReadOnlyList<YearMonth>> BillPeriodsAsync(string number, CancellationToken ct = default);
    Task<Bill?> BillAsync(string number, YearMonth period, CancellationToken ct = default);
    /// <summary>The total of this number's bills not yet paid.</summary>
    Task<long> UnpaidCentsAsync(string number, CancellationToken ct = default);
    Task<PendingAction?> PendingAsync(string number, CancellationToken ct = default);
    /// <summary>A voucher by its code (letters and digits, upper case), or null if there is none.</summary>
    Task<Voucher?> VoucherAsync(string code, CancellationToken ct = default);
    /// <summary>When this number sent a wrong voucher code, since an instant, oldest first.</summary>
    Task<IReadOnlyList<DateTimeOffset>> TopUpFailuresAsync(string number, DateTimeOffset since, CancellationToken ct = default);
}

/// <summary>
/// A change a handler asks for. Storage applies all of a message's changes in the same transaction
/// that records its reply, so a message either changed the account and was answered, or neither.
/// </summary>
public abstract partial record AccountChange
{
    /// <summary>Makes an offer, replacing any earlier one.</summary>
    public sealed record Offer(PendingAction Action) : AccountChange;

    /// <summary>Takes the offer with this id away; if it is no longer there, the message is handled again.</summary>
    public sealed record TakeOffer(string OfferId) : AccountChange;

    public sealed record ChangePlan(string PlanCode) : AccountChange;
    public sealed record SetLanguage(string Language) : AccountChange;
    public sealed record SetOptedOut(bool OptedOut) : AccountChange;

    /// <summary>
    /// ALERTS ON or OFF: refuses (or has again) notices of these categories
    /// (<see cref="Ports.AlertCategories"/>). Refusing twice, or having again what was never refused, changes nothing.
    /// </summary>
    public sealed record SetAlerts(IReadOnlyList<string> Categories, bool On) : AccountChange;

    /// <summary>
    /// Redeems a voucher onto the balance. If the voucher was redeemed meanwhile, the balance is no
    /// longer <see cref="BalanceBefore"/>, or wrong codes were counted since <see cref="Failures"/>
    /// was read, the message is handled again.
    /// </summary>
    public sealed record RedeemVoucher(string Code, long AmountCents, long BalanceBefore, TopUpFailuresSeen Failures) : AccountChange;

    /// <summary>
    /// Counts a wrong voucher code towards the top-up lockout; if wrong codes were counted since
    /// <see cref="Failures"/> was read, the message is handled again (so the lockout is exact).
    /// </summary>
    public sealed record RecordTopUpFailure(TopUpFailuresSeen Failures) : AccountChange;
}

/// <summary>How many wrong voucher codes a handler saw for the number since an instant.</summary>
public sealed record TopUpFailuresSeen(DateTimeOffset Since, int Count);

/// <summary>
/// The account changed between reading it and committing a message's changes (another message of
/// the same subscriber got there first). The message is handled again on the fresh account.
/// </summary>
public sealed class StaleAccountException(string message) : Exception(message);
