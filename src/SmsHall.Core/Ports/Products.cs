using SmsHall.Core.Accounts;

namespace SmsHall.Core.Ports;

/// <summary>
/// What operators sell and change without a release: rewards for points, paid extras and data packs
/// (<c>smshall db rewards|extras|packs</c>). Reading them is <see cref="IAccounts"/>'s. Each change is
/// one transaction: an extra's names are replaced with it, never half-written.
/// </summary>
public interface IProducts
{
    /// <summary>Adds a reward, or replaces the one with its code; true when it is new.</summary>
    bool SaveReward(Reward reward);

    bool RemoveReward(string code);

    /// <summary>Adds an extra with its names, or replaces one with its code (names too); true when it is new.</summary>
    bool SaveExtra(Extra extra);

    /// <summary>
    /// Removes an extra nobody has; false when there is none with the code. Throws
    /// <see cref="ProductInUseException"/> while subscribers still have it: they must be told first.
    /// </summary>
    bool RemoveExtra(string code);

    /// <summary>Adds a data pack, or replaces the one with its code; true when it is new.</summary>
    bool SavePack(DataPack pack);

    bool RemovePack(string code);
}

/// <summary>An extra cannot be removed while subscribers have it.</summary>
public sealed class ProductInUseException(string code, long subscribers)
    : Exception($"extra {code} is still subscribed by {subscribers} number(s); it can be removed once nobody has it");
