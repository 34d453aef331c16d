using SmsHall.Core.Catalogue;
using SmsHall.Core.Grammar;

namespace SmsHall.Core.Commands;

/// <summary>How a command may be used, which decides how the grammar treats its words.</summary>
public enum CommandKind
{
    /// <summary>Only reads the account: may be combined with others in one message, and read from a typo.</summary>
    Reads,

    /// <summary>Asks for an account change (always confirmed or guarded by its handler).</summary>
    Changes,

    /// <summary>YES or NO to an offer: only when the message is an answer, never from a typo, never suggested.</summary>
    Answer,

    /// <summary>STOP and START: only as the whole message, never from a typo, never suggested.</summary>
    Subscription,

    /// <summary>A greeting or thanks: answered when it is the whole message, otherwise mere filler.</summary>
    Courtesy,

    /// <summary>An operator's canned answer: read-only like <see cref="Reads"/>, but never suggested.</summary>
    Info,

    /// <summary>Answers the gateway gives of its own accord; nothing a subscriber writes means them.</summary>
    NoKeywords,
}

/// <summary>The words a keyword of a command came with, and what they may name.</summary>
/// <param name="Section">The catalogue section of the keyword (an operator answer's topic is in it).</param>
/// <param name="NeedsArgument">The keyword means the command only with its argument ("switch to" needs a plan).</param>
public sealed record Arguments(
    IReadOnlyList<string> Words, KnownNames Names, DateOnly Today, string Section, bool NeedsArgument, Lexicon Lexicon)
{
    public IReadOnlyCollection<string> Plans => Names.Plans;

    /// <summary>Keywords of other commands this one absorbed (<see cref="CommandDefinition.Absorbs"/>): "data" in "history data".</summary>
    public IReadOnlyList<string> Absorbed { get; init; } = [];

    /// <summary>The keyword phrase the command was named by, normalised ("stop offers"): some keywords carry an argument in their own words.</summary>
    public string Keyword { get; init; } = "";

    public bool None => Words.Count == 0;

    /// <summary>The keyword led the message and takes free text (<see cref="CommandDefinition.TakesText"/>): <see cref="Words"/> are all the words after it.</summary>
    public bool FreeText { get; init; }

    /// <summary>Whether a word is a real word of a catalogue language: never corrected into a name.</summary>
    public bool IsWord(string word) => Lexicon.IsWord(word);
}

/// <summary>
/// A command, declared once in its folder under Commands/: its catalogue section, its kind, the
/// replies it gives with their placeholders, how its arguments read, and how it is handled. The
/// grammar, the catalogue check and the hall find every command through <see cref="CommandSet"/>.
/// </summary>
public abstract class CommandDefinition
{
    /// <summary>Its catalogue section and the name <c>smshall parse</c> prints.</summary>
    public abstract string Name { get; }

    public abstract CommandKind Kind { get; }

    /// <summary>The record type this definition handles.</summary>
    public abstract Type Record { get; }

    /// <summary>Its replies (the section name, or section.variant) with the placeholders each may use.</summary>
    public abstract IReadOnlyDictionary<string, string[]> Replies { get; }

    /// <summary>
    /// The longest text each of its own placeholders is given, for those the hall does not already
    /// know (<see cref="Replies.ReplyKeys.Widths"/>): the renderer cuts longer values, so the
    /// catalogue check's longest rendering is a promise.
    /// </summary>
    public virtual IReadOnlyDictionary<string, int> Widths { get; } = new Dictionary<string, int>();

    /// <summary>The placeholders a reply of this command may use, or null when it gives no such reply.</summary>
    public virtual IReadOnlyCollection<string>? PlaceholdersOf(string key) => Replies.TryGetValue(key, out var names) ? names : null;

    /// <summary>
    /// Commands whose keywords, beside this one's, only name what it acts on ("plan" in "switch to
    /// gold plan", "subscription" in "cancel my ringtone subscription"): the grammar hands them to
    /// this command (<see cref="Arguments.Absorbed"/>) instead of reading them as requests of their own.
    /// </summary>
    public virtual IReadOnlyCollection<string> Absorbs { get; } = [];

    /// <summary>
    /// Whether a message that holds its keyword but is not understood may be asked "Did you mean …?"
    /// about it. Not for commands whose words are everyday words ("more", "history", "points"):
    /// chatter holding them is given the short help, not a question.
    /// </summary>
    public virtual bool Suggested => true;

    /// <summary>
    /// Whether its keyword, leading the message, takes the rest of the message as its argument
    /// whatever the words (a complaint's free text): the words after it are not read as keywords.
    /// </summary>
    public virtual bool TakesText => false;

    /// <summary>
    /// Whether its phrases count only as written, their filler words included: in "call me back"
    /// the "me" says who is to be called, and "call u back" is someone else's promise.
    /// </summary>
    public virtual bool PhrasesAsWritten => false;

    /// <summary>Chinese words its arguments use ("通话"), so that unspaced Chinese text is cut at them.</summary>
    public virtual IEnumerable<string> HanWords => [];

    /// <summary>Whether a catalogue section describes this command (operator answers share one definition).</summary>
    public virtual bool Describes(string section) => section == Name;

    /// <summary>
    /// The command its keyword and these words mean, and how many slips away a name among them was
    /// from what was written; null when the words do not read as its arguments.
    /// </summary>
    public abstract (Command? Command, int Distance) Read(Arguments arguments);

    public abstract Task<Outcome> HandleAsync(Command command, HandlerContext ctx, CancellationToken ct);

    protected static (Command?, int) Exactly(Command? command) => (command, 0);
}

/// <summary>A definition for one record type, so handlers get their command typed.</summary>
public abstract class CommandDefinition<T> : CommandDefinition where T : Command
{
    public sealed override Type Record => typeof(T);

    public sealed override Task<Outcome> HandleAsync(Command command, HandlerContext ctx, CancellationToken ct) =>
        HandleAsync((T)command, ctx, ct);

    protected abstract Task<Outcome> HandleAsync(T command, HandlerContext ctx, CancellationToken ct);
}

/// <summary>A command that takes no arguments: its keyword alone (with filler) is the whole request.</summary>
public abstract class BareCommand<T> : CommandDefinition<T> where T : Command, new()
{
    public override (Command? Command, int Distance) Read(Arguments arguments) => Exactly(arguments.None ? new T() : null);
}
