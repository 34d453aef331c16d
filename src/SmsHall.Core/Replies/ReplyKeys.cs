namespace SmsHall.Core.Replies;

/// <summary>
/// Every reply the handlers can give, with the placeholders each one fills. The catalogue must hold a
/// template for each key in each of its languages, and may use only these placeholders.
/// </summary>
public static class ReplyKeys
{
    public static readonly IReadOnlyDictionary<string, IReadOnlySet<string>> Placeholders =
        new Dictionary<string, IReadOnlySet<string>>
        {
            ["balance"] = Set("balance", "valid_until", "plan"),
            ["balance.postpaid"] = Set("plan", "unpaid"),
            ["usage"] = Set("cycle_start", "data_used", "data_allowance", "minutes_used", "minutes_allowance", "sms_used", "sms_allowance", "plan"),
            ["usage.none"] = Set("plan"),
            ["bill"] = Set("period", "total", "lines", "due"),
            ["bill.paid"] = Set("period", "total", "lines", "paid_on"),
            ["bill.missing"] = Set("period", "periods"),
            ["bill.none"] = Set(),
            ["plan"] = Set("plan", "price", "allowance", "others"),
            ["plan.change"] = Set("current", "plan", "price", "allowance", "effective", "minutes"),
            ["plan.change.same"] = Set("plan"),
            ["plan.change.unknown"] = Set("plan", "plans"),
            ["confirm.plan"] = Set("plan", "effective"),
            ["confirm.expired"] = Set("plan"),
            ["confirm.expired.topup"] = Set("voucher"),
            ["confirm.nothing"] = Set(),
            ["cancel"] = Set("plan"),
            ["cancel.nothing"] = Set(),
            ["cancel.topup"] = Set(),
            ["help"] = Set("commands"),
            ["stop"] = Set(),
            ["start"] = Set(),
            ["lang"] = Set("lang"),
            ["lang.unavailable"] = Set("lang", "languages"),
            ["topup"] = Set("amount", "balance"),
            ["topup.how"] = Set(),
            ["topup.postpaid"] = Set(),
            ["topup.confirm"] = Set("voucher", "minutes"),
            ["topup.invalid"] = Set("tries"),
            ["topup.used"] = Set("tries"),
            ["topup.locked"] = Set("time"),
            ["unknown"] = Set("commands"),
            ["unknown.suggest"] = Set("suggestion"),
            ["unknown.choose"] = Set("first", "second"),
            ["several.more"] = Set("commands"),
            ["unregistered"] = Set(),
            ["error"] = Set(),
            ["limited"] = Set(),
            ["media"] = Set(),
        };

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
    public static readonly IReadOnlyDictionary<string, int> Widths = new Dictionary<string, int>
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
    };

    private static IReadOnlySet<string> Set(params string[] names) => new HashSet<string>(names, StringComparer.Ordinal);
}
