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
    public sealed record Cancel : Command { public override string Name => "cancel"; }
    public sealed record Help : Command { public override string Name => "help"; }
    public sealed record Stop : Command { public override string Name => "stop"; }
    public sealed record Start : Command { public override string Name => "start"; }

    public sealed record Lang(string Language) : Command
    {
        public override string Name => "lang";
        public override IReadOnlyDictionary<string, object?> Args => new Dictionary<string, object?> { ["lang"] = Language };
    }

    public sealed record TopUp(string Voucher) : Command
    {
        public override string Name => "topup";
        public override IReadOnlyDictionary<string, object?> Args => new Dictionary<string, object?> { ["voucher"] = Voucher };
    }

    /// <summary>Not understood; <see cref="Suggestions"/> names the commands it came closest to.</summary>
    public sealed record Unknown(IReadOnlyList<string> Suggestions) : Command
    {
        public override string Name => "unknown";
    }

    /// <summary>Every command name a catalogue section may describe, in HELP order.</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "balance", "usage", "bill", "plan", "plan.change", "confirm", "cancel",
        "lang", "topup", "help", "stop", "start", "unknown",
    ];
}

public enum MatchKind
{
    None,
    Exact,
    Alias,
    Fuzzy,
}

/// <summary>How a message was understood: the command and the trace of how it was found.</summary>
public sealed record Understanding(
    string Input,
    string Normalised,
    Command Command,
    MatchKind Match,
    string? Keyword,
    string? Language)
{
    public IReadOnlyList<string> Suggestions => Command is Command.Unknown u ? u.Suggestions : [];
}
