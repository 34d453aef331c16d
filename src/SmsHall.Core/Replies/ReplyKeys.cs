namespace SmsHall.Core.Replies;

/// <summary>
/// Every reply the handlers can give, with the placeholders each one fills. The catalogue must
/// hold a template for each key in each of its languages, and may use only these placeholders.
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
            ["confirm.nothing"] = Set(),
            ["cancel"] = Set("plan"),
            ["cancel.nothing"] = Set(),
            ["help"] = Set("commands"),
            ["stop"] = Set(),
            ["start"] = Set(),
            ["lang"] = Set("lang"),
            ["lang.unavailable"] = Set("lang", "languages"),
            ["topup.unavailable"] = Set(),
            ["unknown"] = Set("commands"),
            ["unknown.suggest"] = Set("suggestions"),
            ["unregistered"] = Set(),
            ["error"] = Set(),
        };

    private static IReadOnlySet<string> Set(params string[] names) => new HashSet<string>(names, StringComparer.Ordinal);
}
