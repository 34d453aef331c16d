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
