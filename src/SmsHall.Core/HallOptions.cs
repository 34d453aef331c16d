namespace SmsHall.Core;

/// <summary>Service settings the core needs (section "Hall" of appsettings.json).</summary>
public sealed class HallOptions
{
    /// <summary>How long a subscriber has to answer YES to an offered account change.</summary>
    public int ConfirmationMinutes { get; set; } = 10;

    /// <summary>The operator's time zone: it decides what "today" and "this month" mean.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Put before amounts of money in replies.</summary>
    public string CurrencySymbol { get; set; } = "$";

    /// <summary>How many messages a number may send within <see cref="RateLimitSeconds"/> before it is slowed down.</summary>
    public int RateLimitMessages { get; set; } = 10;

    public int RateLimitSeconds { get; set; } = 60;

    /// <summary>Wrong voucher codes a number may send within <see cref="TopUpLockoutMinutes"/> before top-up is locked.</summary>
    public int TopUpMaxFailures { get; set; } = 5;

    /// <summary>Both the window wrong codes are counted in and how long the lockout lasts.</summary>
    public int TopUpLockoutMinutes { get; set; } = 60;

    /// <summary>
    /// When a paid extra cancelled by SMS stops: <c>cycle-end</c>, the last day of the month already
    /// paid for, or <c>now</c>, the day of the YES.
    /// </summary>
    public string CancelExtrasAt { get; set; } = CycleEnd;

    public const string CycleEnd = "cycle-end";
    public const string Now = "now";

    public bool CancelExtrasAtCycleEnd => CancelExtrasAt == CycleEnd;

    /// <summary>Customer care's number: operator answers and the not-understood reply name it ({care}).</summary>
    public string CareNumber { get; set; } = "611";

    /// <summary>What a care number may look like: it is put into replies as it is ("0800 123 456", "+1 (555) 010-0000").</summary>
    public static bool IsCareNumber(string? number) =>
        number is { Length: >= 1 and <= 20 } && number.Any(char.IsAsciiDigit)
        && number.All(c => char.IsAsciiDigit(c) || c is ' ' or '+' or '-' or '(' or ')');

    /// <summary>
    /// When notices and offers may not arrive, <c>HH:mm-HH:mm</c> in <see cref="TimeZone"/> (e.g.
    /// <c>21:00-08:00</c>); empty for none. What would arrive then is held until it ends. Replies and
    /// answers to what a subscriber asked are never held.
    /// </summary>
    public string QuietHours { get; set; } = "21:00-08:00";

    /// <summary>The most notices and offers one subscriber gets in a day (in <see cref="TimeZone"/>).</summary>
    public int MaxNoticesPerDay { get; set; } = 3;

    /// <summary>When a subscriber who opened a ticket is told to expect an answer, in hours ({hours} of the <c>feedback</c> reply).</summary>
    public int TicketAnswerHours { get; set; } = 24;

    /// <summary>
    /// For how many hours after an operator answers a ticket by SMS the subscriber's messages join
    /// that ticket (unless they are clearly a command, or STOP or START).
    /// </summary>
    public int TicketReplyHours { get; set; } = 48;

    public TimeSpan TicketReplyWindow => TimeSpan.FromHours(TicketReplyHours);

    /// <summary>A prepaid balance below this (in cents) gets the balance-low notice.</summary>
    public long LowBalanceCents { get; set; } = 500;

    /// <summary>Points lapsing within this many days get the points-expiring notice.</summary>
    public int PointsExpiringDays { get; set; } = 14;

    /// <summary>Whether <paramref name="text"/> reads as quiet hours (empty: none).</summary>
    public static bool IsQuietHours(string? text) => text is not null && (text.Length == 0 || ParseQuietHours(text) is not null);

    private static (TimeOnly From, TimeOnly To)? ParseQuietHours(string text)
    {
        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length != 2) return null;
        var format = System.Globalization.CultureInfo.InvariantCulture;
        if (!TimeOnly.TryParseExact(parts[0], "HH:mm", format, System.Globalization.DateTimeStyles.None, out var from)
            || !TimeOnly.TryParseExact(parts[1], "HH:mm", format, System.Globalization.DateTimeStyles.None, out var to)
            || from == to) return null;
        return (from, to);
    }

    /// <summary>
    /// When a notice or offer written at <paramref name="now"/> may arrive: the end of quiet hours if
    /// <paramref name="now"/> falls in them, else null (at once).
    /// </summary>
    public DateTimeOffset? HeldUntil(DateTimeOffset now)
    {
        if (QuietHours.Length == 0 || ParseQuietHours(QuietHours) is not { } quiet) return null;
        var local = TimeZoneInfo.ConvertTime(now, TimeZoneInfo);
        var time = TimeOnly.FromDateTime(local.DateTime);
        var overnight = quiet.From > quiet.To; // 21:00-08:00 spans midnight
        var inside = overnight ? time >= quiet.From || time < quiet.To : time >= quiet.From && time < quiet.To;
        if (!inside) return null;
        var day = DateOnly.FromDateTime(local.DateTime);
        var endDay = overnight && time >= quiet.From ? day.AddDays(1) : day;
        return At(endDay, quiet.To);
    }

    /// <summary>The daily cap for a message due at <paramref name="due"/>: its calendar day in the hall's time zone.</summary>
    public Ports.DailyCap CapOn(DateTimeOffset due)
    {
        var day = Today(due);
        return new Ports.DailyCap(MaxNoticesPerDay, At(day, TimeOnly.MinValue), At(day.AddDays(1), TimeOnly.MinValue));
    }

    /// <summary>A local date and time of the hall's time zone as an instant.</summary>
    private DateTimeOffset At(DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time);
        return new DateTimeOffset(local, TimeZoneInfo.GetUtcOffset(local));
    }

    private TimeZoneInfo? _zone;

    public TimeZoneInfo TimeZoneInfo =>
        _zone is { } zone && zone.Id == TimeZone ? zone : _zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    /// <summary>When a month begins in the operator's time zone: its records and bills are the operator's months.</summary>
    public DateTimeOffset StartOf(Accounts.YearMonth month)
    {
        var midnight = month.FirstDay.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(midnight, TimeZoneInfo.GetUtcOffset(midnight));
    }

    /// <summary>The operator's calendar date at an instant.</summary>
    public DateOnly Today(DateTimeOffset now) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, TimeZoneInfo).DateTime);
}
