using System.Collections.Frozen;
using SmsHall.Core.Accounts;
using SmsHall.Core.Text;

namespace SmsHall.Core.Grammar;

/// <summary>
/// The names in the database the grammar reads arguments with: plan codes ("plan gld" is GOLD), and
/// the codes and names of paid extras ("取消彩铃"), data packs and rewards. Operators change them with
/// <c>smshall db</c>, not in the catalogue, so they come from storage. Extra names are kept
/// normalised, Chinese ones without spaces, as <see cref="Key"/> makes a message's words.
/// </summary>
public sealed class KnownNames
{
    public static readonly KnownNames None = new([], [], [], []);

    public KnownNames(IReadOnlyCollection<string> plans, IEnumerable<string> extras, IEnumerable<string> packs, IEnumerable<string> rewards)
    {
        Plans = plans;
        Extras = extras.Select(Key).Where(k => k.Length > 0).ToFrozenSet(StringComparer.Ordinal);
        Packs = packs.Select(Key).ToFrozenSet(StringComparer.Ordinal);
        Rewards = rewards.Select(Key).ToFrozenSet(StringComparer.Ordinal);
        LongestExtra = Extras.Count == 0 ? 0 : Extras.Max(e => e.Count(c => c == ' ') + 1);
    }

    public IReadOnlyCollection<string> Plans { get; }

    /// <summary>Every extra's code and names, as <see cref="Key"/> writes them.</summary>
    public FrozenSet<string> Extras { get; }

    /// <summary>The most words an extra's name has.</summary>
    public int LongestExtra { get; }

    public FrozenSet<string> Packs { get; }

    public FrozenSet<string> Rewards { get; }

    /// <summary>Whether any name is known at all (<c>smshall parse</c> without a database knows none).</summary>
    public bool Any => Plans.Count > 0 || Extras.Count > 0;

    /// <summary>A name or words of a message as compared: normalised, and Chinese without spaces ("彩 铃" is 彩铃).</summary>
    public static string Key(string text)
    {
        var normalised = TextNormaliser.Normalise(text);
        return normalised.Any(TextNormaliser.IsHan) ? normalised.Replace(" ", "") : normalised;
    }

    /// <summary>Whether a single word of a message is a known name of anything other than a plan.</summary>
    public bool Names(string word) => Extras.Contains(word) || Packs.Contains(word) || Rewards.Contains(word);

    /// <summary>The names in storage now.</summary>
    public static async Task<KnownNames> ReadAsync(IAccounts accounts, CancellationToken ct)
    {
        var plans = (await accounts.PlansAsync(ct)).Select(p => p.Code).ToList();
        var extras = (await accounts.ExtrasAsync(ct)).SelectMany(e => e.Names.Select(n => n.Name).Prepend(e.Code));
        var packs = (await accounts.DataPacksAsync(ct)).Select(p => p.Code);
        var rewards = (await accounts.RewardsAsync(ct)).Select(r => r.Code);
        return new KnownNames(plans, extras, packs, rewards);
    }
}
