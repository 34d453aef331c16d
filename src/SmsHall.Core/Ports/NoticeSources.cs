using SmsHall.Core.Accounts;

namespace SmsHall.Core.Ports;

/// <summary>A postpaid subscriber's bill of the latest period billed, not paid yet.</summary>
public sealed record UnpaidBill(string Number, string Language, YearMonth Period, long TotalCents, DateOnly Due);

/// <summary>A prepaid subscriber below the threshold, and the day of their latest top-up (null: none known).</summary>
public sealed record LowBalance(string Number, string Language, long BalanceCents, DateOnly? LastTopUp);

/// <summary>
/// A subscriber's data this cycle: megabytes used, and the allowance (the plan's data and the data
/// added since the cycle began: packs bought, rewards).
/// </summary>
public sealed record DataUse(string Number, string Language, DateOnly CycleStart, int UsedMb, int AllowanceMb);

/// <summary>A subscriber's points lapsing first within the window: the day and how many lapse then.</summary>
public sealed record ExpiringPoints(string Number, string Language, DateOnly ExpiresOn, long Points);

/// <summary>
/// What the notice run may tell subscribers about, read from the accounts: one query per kind. Each
/// gives only subscribers who have not opted out nor refused that kind; the run decides what is a
/// notice and what it says, and <see cref="IOutgoing"/> still checks both when it queues one.
/// </summary>
public interface INoticeSources
{
    /// <summary>Postpaid subscribers whose bill of their latest period is unpaid (one bill each, never older ones).</summary>
    Task<IReadOnlyList<UnpaidBill>> UnpaidBillsAsync(CancellationToken ct = default);

    /// <summary>Prepaid subscribers whose balance is below <paramref name="belowCents"/>.</summary>
    Task<IReadOnlyList<LowBalance>> LowBalancesAsync(long belowCents, CancellationToken ct = default);

    /// <summary>Subscribers who have used at least <paramref name="percent"/> % of this cycle's data allowance.</summary>
    Task<IReadOnlyList<DataUse>> DataUseAsync(int percent, CancellationToken ct = default);

    /// <summary>Subscribers with points left lapsing from <paramref name="from"/> to <paramref name="until"/> (both included): their first such day.</summary>
    Task<IReadOnlyList<ExpiringPoints>> ExpiringPointsAsync(DateOnly from, DateOnly until, CancellationToken ct = default);

    /// <summary>The notices queued since <paramref name="since"/>, as (number, reason): those the run need not try again.</summary>
    Task<IReadOnlySet<(string Number, string Reason)>> NoticesSentAsync(DateTimeOffset since, CancellationToken ct = default);
}
