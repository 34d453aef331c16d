namespace SmsHall.Core.Grammar;

/// <summary>
/// The closed set of things a subscriber can ask for: each command's record is declared in its own
/// folder under Commands/ (a part of this record). <see cref="Name"/> and <see cref="Args"/> are the
/// public contract printed by <c>smshall parse</c>.
/// </summary>
public abstract partial record Command
{
    protected static readonly IReadOnlyDictionary<string, object?> NoArgs = new Dictionary<string, object?>();

    public abstract string Name { get; }
    public virtual IReadOnlyDictionary<string, object?> Args => NoArgs;

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
