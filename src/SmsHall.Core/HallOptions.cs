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

    private TimeZoneInfo? _zone;

    public TimeZoneInfo TimeZoneInfo =>
        _zone is { } zone && zone.Id == TimeZone ? zone : _zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    /// <summary>The operator's calendar date at an instant.</summary>
    public DateOnly Today(DateTimeOffset now) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, TimeZoneInfo).DateTime);
}
