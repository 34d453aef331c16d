using SmsHall.Core.Commands;

namespace SmsHall.Core.Catalogue;

/// <summary>
/// The rules under which two commands may share a word (commands.md, section <c>shared</c>: <c>- rule
/// &lt;name&gt;: a, b</c>). The gateway knows these and no others; a word listed under two commands
/// without a rule for them is an error, so no word is ever read one way by accident.
/// </summary>
public static class SharedRules
{
    /// <summary>
    /// <c>waiting: a, b</c>: the word alone answers NO (a, an answer) while a change waits for YES,
    /// and opts the number out (b) when nothing waits: CANCEL, which Twilio also takes for an opt-out.
    /// </summary>
    public const string Waiting = "waiting";

    /// <summary>
    /// <c>argument: a, b</c>: followed by what b takes ("cancel 2", "TD RBT", "取消彩铃"), the word
    /// means b; alone, it means a.
    /// </summary>
    public const string Argument = "argument";

    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Waiting] = "alone, the first while a change waits for YES, the second when nothing waits",
        [Argument] = "followed by what the second takes, the second; alone, the first",
    };

    /// <summary>Why a rule cannot join these two commands, or null when it can.</summary>
    public static string? Problem(string rule, string first, string second) => rule switch
    {
        Waiting when CommandSet.KindOf(first) != CommandKind.Answer || CommandSet.KindOf(second) != CommandKind.Subscription =>
            $"the first must be an answer (cancel) and the second an opt-out (stop), not '{first}' and '{second}'",
        Argument when CommandSet.KindOf(second) is not (CommandKind.Reads or CommandKind.Changes) =>
            $"'{second}' takes no argument",
        _ => null,
    };
}
