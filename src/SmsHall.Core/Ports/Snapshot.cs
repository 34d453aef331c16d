using System.Globalization;

namespace SmsHall.Core.Ports;

/// <summary>
/// One table of a snapshot: its rows as SQLite stores them (text, 64-bit integers, null; instants as
/// <see cref="SnapshotTables.Time"/>, days as yyyy-MM-dd, flags as 0 or 1), in <see cref="Columns"/> order.
/// </summary>
public sealed record SnapshotTable(string Name, IReadOnlyList<string> Columns, IEnumerable<object?[]> Rows);

/// <summary>
/// What <c>smshall db snapshot</c> reads from the live storage, whichever provider it is: every
/// account (with its points, payments, itemised records, extras and data added), plan, reward, extra,
/// pack, voucher and catalogue version, and the messages (with their replies) received in a window. Replay starts from such a snapshot, on a private SQLite copy.
/// </summary>
public interface ISnapshotSource
{
    /// <summary>The tables of <see cref="SnapshotTables.All"/>, in that order (parents before children); rows stream.</summary>
    IEnumerable<SnapshotTable> Read(DateTimeOffset? since, DateTimeOffset? until);
}

/// <summary>The tables and columns a snapshot holds: the same names on every provider.</summary>
public static class SnapshotTables
{
    /// <summary>Tables whose rows are messages, and so are cut to the window asked for.</summary>
    public const string Inbound = "inbound_messages";
    public const string Outbound = "outbound_messages";

    public static readonly IReadOnlyList<(string Table, string[] Columns)> All =
    [
        ("plans", ["code", "name", "monthly_fee_cents", "data_mb", "minutes", "sms"]),
        ("rewards", ["code", "points", "kind", "amount"]),
        ("extras", ["code", "monthly_fee_cents"]),
        ("extra_names", ["code", "position", "language", "name"]),
        ("data_packs", ["code", "data_mb", "price_cents", "valid_days"]),
        ("subscribers", ["number", "name", "language", "plan_code", "postpaid", "balance_cents", "valid_until", "opted_out"]),
        ("point_lots", ["id", "number", "points", "points_left", "expires_on"]),
        ("point_redemptions", ["id", "number", "reward_code", "points", "redeemed_at", "sid"]),
        ("payments", ["id", "number", "paid_on", "amount_cents", "channel"]),
        ("usage_records", ["id", "number", "at", "kind", "counterpart", "quantity", "cost_cents"]),
        ("subscriptions", ["number", "extra_code", "since", "cancelled_on", "ends_on", "cancelled_by_sid"]),
        ("data_added", ["id", "number", "source", "code", "data_mb", "valid_until", "added_at", "sid"]),
        ("next_bill_charges", ["id", "number", "description", "amount_cents", "added_at", "sid"]),
        ("list_pages", ["number", "command", "args", "shown"]),
        ("usage", ["number", "cycle_start", "data_mb_used", "minutes_used", "sms_used"]),
        ("bills", ["id", "number", "period", "total_cents", "due_date", "paid_on"]),
        ("bill_lines", ["bill_id", "position", "description", "amount_cents"]),
        ("pending_actions", ["number", "action", "argument", "offered_at", "expires_at", "offered_by_sid"]),
        ("plan_changes", ["id", "number", "from_plan", "to_plan", "changed_at", "confirmed_by_sid"]),
        ("vouchers", ["code", "amount_cents", "redeemed_by", "redeemed_at", "redeemed_by_sid"]),
        ("topup_failures", ["number", "sid", "failed_at"]),
        ("catalogue_versions", ["number", "hash", "source", "text", "loaded_at"]),
        (Inbound, ["sid", "from_number", "to_number", "body", "received_at", "status", "normalised", "command", "args", "match", "keyword",
            "language", "handled_at", "distance", "suggestions", "channel", "media"]),
        (Outbound, ["id", "inbound_sid", "to_number", "from_number", "body", "reply_key", "language", "encoding", "segments", "status",
            "created_at", "twilio_sid", "error_code", "error_message", "updated_at", "channel"]),
    ];

    /// <summary>An instant as SQLite stores it: ISO 8601 UTC, seven decimals and a Z (so text order is time order).</summary>
    public static string Time(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A day as SQLite stores it.</summary>
    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
