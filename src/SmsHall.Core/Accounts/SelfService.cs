namespace SmsHall.Core.Accounts;

/// <summary>Loyalty points earned together, with what is left of them and the day they lapse.</summary>
public sealed record PointLot(int Points, DateOnly ExpiresOn);

public enum RewardKind
{
    /// <summary>Data added to the account, <see cref="Reward.Amount"/> in megabytes.</summary>
    Data,

    /// <summary>Credit (prepaid balance, or off the next bill), <see cref="Reward.Amount"/> in cents.</summary>
    Credit,
}

/// <summary>What points buy: operator data (table <c>rewards</c>), changed with <c>smshall db rewards</c>.</summary>
public sealed record Reward(string Code, int Points, RewardKind Kind, long Amount);

/// <summary>A payment or top-up as the subscriber sees it; <see cref="Channel"/> is one of <see cref="PaymentChannels.All"/>.</summary>
public sealed record Payment(DateOnly On, long AmountCents, string Channel);

public static class PaymentChannels
{
    public const string Voucher = "voucher";
    public const string Card = "card";
    public const string Shop = "shop";
    public const string Sms = "sms";

    public static readonly IReadOnlyList<string> All = [Voucher, Card, Shop, Sms];
}

/// <summary>The kinds of itemised record, as stored and as <c>history</c>'s <c>kind</c> argument names them.</summary>
public static class RecordKinds
{
    public const string Calls = "calls";
    public const string Sms = "sms";
    public const string Data = "data";

    public static readonly IReadOnlyList<string> All = [Calls, Sms, Data];
}

/// <summary>
/// One itemised record: a call (<see cref="Quantity"/> in seconds), an SMS (1) or a data session
/// (megabytes); <see cref="Counterpart"/> is the other number, null for data.
/// </summary>
public sealed record UsageRecord(DateTimeOffset At, string Kind, string? Counterpart, long Quantity, long CostCents);

/// <summary>A month's usage added up from its itemised records.</summary>
public sealed record MonthUsage(YearMonth Period, int DataMb, int Minutes, int Sms);

/// <summary>A paid extra's name in one language; the first of a language is the one replies use.</summary>
public sealed record ExtraName(string Language, string Name);

/// <summary>A paid extra (ringback tone, news …): operator data (table <c>extras</c>), changed with <c>smshall db extras</c>.</summary>
public sealed record Extra(string Code, long MonthlyFeeCents, IReadOnlyList<ExtraName> Names)
{
    /// <summary>Its name for a reply in this language: the language's first, else the first of all, else the code.</summary>
    public string NameIn(string language) =>
        Names.FirstOrDefault(n => n.Language == language)?.Name ?? Names.FirstOrDefault()?.Name ?? Code;
}

/// <summary>A paid extra a subscriber has and has not cancelled.</summary>
public sealed record Subscription(Extra Extra, DateOnly Since);

/// <summary>A data pack on sale: operator data (table <c>data_packs</c>), changed with <c>smshall db packs</c>.</summary>
public sealed record DataPack(string Code, int DataMb, long PriceCents, int ValidDays);

/// <summary>
/// The list a subscriber was last shown in part, so that MORE shows the rest: the command, its
/// arguments as <c>smshall parse</c> prints them (JSON), and how many items were shown.
/// </summary>
public sealed record ListPage(string Command, string Args, int Shown);

/// <summary>The self-service reads: points, payments, itemised records, extras, packs and the last list shown.</summary>
public partial interface IAccounts
{
    /// <summary>This number's points not spent and not lapsed by <paramref name="today"/>, soonest to lapse first.</summary>
    Task<IReadOnlyList<PointLot>> PointsAsync(string number, DateOnly today, CancellationToken ct = default);

    /// <summary>The rewards on offer, cheapest first.</summary>
    Task<IReadOnlyList<Reward>> RewardsAsync(CancellationToken ct = default);

    /// <summary>This number's payments and voucher top-ups, newest first (the latest hundred).</summary>
    Task<IReadOnlyList<Payment>> PaymentsAsync(string number, CancellationToken ct = default);

    /// <summary>This number's itemised records from an instant until (not including) another, of one kind or all (null), newest first.</summary>
    Task<IReadOnlyList<UsageRecord>> RecordsAsync(string number, DateTimeOffset from, DateTimeOffset until, string? kind, CancellationToken ct = default);

    /// <summary>The paid extras this number has (not cancelled), in the order SERVICES numbers them.</summary>
    Task<IReadOnlyList<Subscription>> SubscriptionsAsync(string number, CancellationToken ct = default);

    /// <summary>Every paid extra there is, by code.</summary>
    Task<IReadOnlyList<Extra>> ExtrasAsync(CancellationToken ct = default);

    /// <summary>The data packs on sale, smallest first.</summary>
    Task<IReadOnlyList<DataPack>> DataPacksAsync(CancellationToken ct = default);

    /// <summary>Megabytes this number was given by packs and rewards still valid on <paramref name="today"/>.</summary>
    Task<int> DataAddedMbAsync(string number, DateOnly today, CancellationToken ct = default);

    /// <summary>The list this number was last shown in part, or null.</summary>
    Task<ListPage?> LastListAsync(string number, CancellationToken ct = default);
}

/// <summary>
/// The self-service account changes. Each is small and guarded where money or points move, so a
/// message that read a balance another message has since changed is handled again on fresh data.
/// </summary>
public abstract partial record AccountChange
{
    /// <summary>
    /// Spends points, lots that lapse soonest first. If the points left by <see cref="Today"/> are no
    /// longer <see cref="PointsBefore"/>, the message is handled again.
    /// </summary>
    public sealed record SpendPoints(string Reward, int Points, int PointsBefore, DateOnly Today) : AccountChange;

    /// <summary>
    /// Moves the prepaid balance by <see cref="DeltaCents"/> (a credit, or a purchase when negative).
    /// If the balance is no longer <see cref="BalanceBefore"/>, or would go below zero, the message is handled again.
    /// </summary>
    public sealed record MoveBalance(long DeltaCents, long BalanceBefore) : AccountChange;

    /// <summary>Puts a charge (or, negative, a credit) on a postpaid subscriber's next bill.</summary>
    public sealed record AddToNextBill(string Description, long AmountCents) : AccountChange;

    /// <summary>Adds data to the account until a day: a data pack bought (<see cref="Source"/> "pack") or a reward ("reward").</summary>
    public sealed record AddData(string Source, string Code, int DataMb, DateOnly ValidUntil) : AccountChange;

    /// <summary>
    /// Cancels paid extras on <see cref="On"/>, in effect until <see cref="EndsOn"/>. If any of them is
    /// no longer subscribed (cancelled meanwhile), the message is handled again.
    /// </summary>
    public sealed record CancelExtras(IReadOnlyList<string> Codes, DateOnly On, DateOnly EndsOn) : AccountChange;

    /// <summary>Remembers the list just shown in part, for MORE.</summary>
    public sealed record RememberList(ListPage Page) : AccountChange;

    /// <summary>Forgets the list shown in part: it was shown to its end.</summary>
    public sealed record ForgetList : AccountChange;
}
