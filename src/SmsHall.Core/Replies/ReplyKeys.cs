using SmsHall.Core.Commands;

namespace SmsHall.Core.Replies;

/// <summary>
/// Every reply the handlers can give, with the placeholders each one fills. The catalogue must hold a
/// template for each key in each of its languages, and may use only these placeholders.
/// </summary>
public static class ReplyKeys
{
    /// <summary>
    /// Lists cut to the segment budget when they are rendered (<see cref="Commands.Lists.Fit"/>): never
    /// cut to a width, and counted by the catalogue check as one item, the least a list reply shows.
    /// </summary>
    public static readonly IReadOnlySet<string> Fitted = Set("records", "payments", "services", "packs", "rewards");

    /// <summary>The longest one item of a list may be, as the check counts it.</summary>
    private const int OneItem = 60;

    /// <summary>Replies the gateway gives of its own accord rather than as a command's answer.</summary>
    private static readonly Dictionary<string, string[]> Notices = new()
    {
        ["several.more"] = ["commands"],
        ["unregistered"] = ["care"],
        ["limited"] = [],
        ["error"] = [],
    };

    /// <summary>The catalogue sections that hold notices.</summary>
    public static readonly IReadOnlyList<string> NoticeSections = ["several", "unregistered", "limited", "error"];

    /// <summary>Every fixed reply (commands' and notices') with the placeholders it may use.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlySet<string>> Placeholders =
        CommandSet.All.SelectMany(d => d.Replies).Concat(Notices)
            .ToDictionary(r => r.Key, r => (IReadOnlySet<string>)new HashSet<string>(r.Value, StringComparer.Ordinal), StringComparer.Ordinal);

    /// <summary>The placeholders a reply may use, or null when nothing gives that reply (operator answers included).</summary>
    public static IReadOnlyCollection<string>? PlaceholdersOf(string key) =>
        Placeholders.TryGetValue(key, out var names) ? names
        : CommandSet.All.Select(d => d.PlaceholdersOf(key)).FirstOrDefault(p => p is not null);

    /// <summary>
    /// The replies an opted-out number is still sent: the confirmation of its own opt-out, HELP, and
    /// the welcome back. Nothing else reaches it until it opts back in.
    /// </summary>
    public static readonly IReadOnlySet<string> SentWhenOptedOut = Set("stop", "help", "start");

    /// <summary>
    /// The longest text each placeholder is given. The renderer cuts a longer value short, so the
    /// catalogue check's "longest rendering" of a reply is a promise, not an estimate.
    /// <c>commands</c> is not here: it is the catalogue's own usage lines, known exactly at load.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, int> Widths = CommandSet.All.SelectMany(d => d.Widths).Concat(new Dictionary<string, int>
    {
        ["balance"] = 12,
        ["amount"] = 12,
        ["voucher"] = 32,
        ["tries"] = 3,
        ["time"] = 5,
        ["unpaid"] = 12,
        ["total"] = 12,
        ["price"] = 12,
        ["valid_until"] = 10,
        ["cycle_start"] = 10,
        ["due"] = 10,
        ["paid_on"] = 10,
        ["effective"] = 10,
        ["period"] = 7,
        ["plan"] = 20,
        ["current"] = 20,
        ["data_used"] = 9,
        ["data_allowance"] = 9,
        ["minutes_used"] = 6,
        ["minutes_allowance"] = 6,
        ["sms_used"] = 6,
        ["sms_allowance"] = 6,
        ["minutes"] = 4,
        ["lines"] = 60,
        ["periods"] = 60,
        ["others"] = 60,
        ["plans"] = 60,
        ["allowance"] = 40,
        ["lang"] = 2,
        ["languages"] = 20,
        ["suggestion"] = 20,
        ["first"] = 20,
        ["second"] = 20,
        ["care"] = 20,
        ["name"] = 20,
        // The self-service commands'.
        ["points"] = 9,
        ["expiring"] = 9,
        ["expires"] = 10,
        ["needed"] = 9,
        ["reward"] = 12,
        ["gift"] = 24,
        ["date"] = 10,
        ["count"] = 4,
        ["more"] = 45,
        ["when"] = 11,
        ["number"] = 16,
        ["duration"] = 6,
        ["call_minutes"] = 6,
        ["texts"] = 6,
        ["size"] = 9,
        ["charges"] = 12,
        ["n"] = 3,
        ["code"] = 12,
        ["chosen"] = 80,
        ["item"] = 20,
        ["saving"] = 12,
        ["extra"] = 12,
        ["better"] = 20,
        ["pack"] = 12,
        ["days"] = 4,
        ["until"] = 10,
        ["sizes"] = 90,
        ["offer"] = 60,
    }).Concat(Fitted.Select(list => KeyValuePair.Create(list, OneItem))).ToDictionary(w => w.Key, w => w.Value, StringComparer.Ordinal);

    private static IReadOnlySet<string> Set(params string[] names) => new HashSet<string>(names, StringComparer.Ordinal);
}
