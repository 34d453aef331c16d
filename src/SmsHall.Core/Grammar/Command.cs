using System.Collections.Immutable;
using SmsHall.Core.Accounts;

namespace SmsHall.Core.Grammar;

/// <summary>
/// The closed set of things a subscriber can ask for. <see cref="Name"/> and <see cref="Args"/> are
/// the public contract printed by <c>smshall parse</c>.
/// </summary>
public abstract record Command
{
    private static readonly IReadOnlyDictionary<string, object?> NoArgs = new Dictionary<string, object?>();

    public abstract string Name { get; }
    public virtual IReadOnlyDictionary<string, object?> Args => NoArgs;

    public sealed record Balance : Command { public override string Name => "balance"; }
    public sealed record Usage : Command { public override string Name => "usage"; }

    /// <summary>A month's bill; no period means the latest closed one.</summary>
    public sealed record Bill(YearMonth? Period) : Command
    {
        public override string Name => "bill";
        public override IReadOnlyDictionary<string, object?> Args =>
            new Dictionary<string, object?> { ["period"] = Period?.ToString() };
    }

    public sealed record Plan : Command { public override string Name => "plan"; }

    public sealed record PlanChange(string PlanCode) : Command
    {
        public override string Name => "plan.change";
        public override IReadOnlyDictionary<string, object?> Args => new Dictionary<string, object?> { ["plan"] = PlanCode };
    }

    public sealed record Confirm : Command { public override string Name => "confirm"; }
    /// <summary>NO to a waiting confirmation; <see cref="OrOptOut"/> (CANCEL) opts out when nothing is waiting.</summary>
    public sealed record Cancel(bool OrOptOut = false) : Command
    {
        private static readonly IReadOnlyDictionary<string, object?> OptOut = new Dictionary<string, object?> { ["optout"] = true };

        public override string Name => "cancel";
        public override IReadOnlyDictionary<string, object?> Args => OrOptOut ? OptOut : base.Args;
    }
    public sealed record Help : Command { public override string Name => "help"; }
    public sealed record Stop : Command { public override string Name => "stop"; }
    public sealed record Start : Command { public override string Name => "start"; }

    public sealed record Lang(string Language) : Command
    {
        public override string Name => "lang";
        public override IReadOnlyDictionary<string, object?> Args => new Dictionary<string, object?> { ["lang"] = Language };
    }

    /// <summary>A voucher top-up; no voucher when the subscriber only asked how to top up.</summary>
    public sealed record TopUp(string? Voucher) : Command
    {
        public override string Name => "topup";
        public override IReadOnlyDictionary<string, object?> Args => new Dictionary<string, object?> { ["voucher"] = Voucher };
    }

    /// <summary>
    /// Several read-only requests in one message ("BAL BILL"), answered together. Named by its parts
    /// in the order written: <c>balance+bill</c>.
    /// </summary>
    public sealed record Several(IReadOnlyList<Command> Parts) : Command
    {
        public override string Name => string.Join('+', Parts.Select(p => p.Name));
        public override IReadOnlyDictionary<string, object?> Args =>
            Parts.SelectMany(p => p.Args).ToDictionary(a => a.Key, a => a.Value);
    }

    /// <summary>Not understood; <see cref="Suggestions"/> names the commands it came closest to (two at most).</summary>
    public sealed record Unknown(IReadOnlyList<string> Suggestions) : Command
    {
        public override string Name => "unknown";
    }

    /// <summary>
    /// Media with no text (a picture, a voice note): answered with the catalogue's <c>media</c> reply.
    /// Nothing a subscriber writes means it, so it has no keywords and is not in <see cref="Names"/>.
    /// </summary>
    public sealed record Media : Command
    {
        public override string Name => "media";
    }

    /// <summary>Every command name a catalogue section may describe, in HELP order.</summary>
    public static readonly ImmutableArray<string> Names =
    [
        "balance", "usage", "bill", "plan", "plan.change", "confirm", "cancel",
        "lang", "topup", "help", "stop", "start", "unknown",
    ];

    /// <summary>Commands that only read the account, so several may share one message.</summary>
    public static bool IsReadOnly(string name) => name is "balance" or "usage" or "bill" or "plan";

    /// <summary>
    /// Commands that answer an offer or switch replies off and on: never guessed from a typo, never
    /// combined with another command.
    /// </summary>
    public static bool IsStandalone(string name) => name is "confirm" or "cancel" or "stop" or "start";
}

public enum MatchKind
{
    None,
    Exact,
    Alias,
    Fuzzy,
}

/// <summary>
/// How a message was understood: the command and the trace of how it was found. <see cref="Keyword"/>
/// is the keyword or alias that matched (for a typo, the word it was taken for, <see cref="Distance"/>
/// slips away); <see cref="Languages"/> are the languages of that keyword, empty for an alias.
/// </summary>
public sealed record Understanding(
    string Input,
    string Normalised,
    Command Command,
    MatchKind Match,
    string? Keyword,
    IReadOnlyList<string> Languages,
    int Distance = 0)
{
    public IReadOnlyList<string> Suggestions => Command is Command.Unknown u ? u.Suggestions : [];
}
