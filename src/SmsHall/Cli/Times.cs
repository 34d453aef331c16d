using System.Globalization;

namespace SmsHall.Cli;

/// <summary>Dates and times given on the command line: a day (in the hall's time zone) or an ISO 8601 instant.</summary>
public static class Times
{
    /// <summary>
    /// "2026-11-21" is that day in <paramref name="zone"/>: its start, or with <paramref name="endOfDay"/>
    /// the start of the next day (so "--until 2026-11-21" includes the 21st). Anything else must be an
    /// ISO 8601 time, UTC unless it has an offset.
    /// </summary>
    public static DateTimeOffset? Parse(string? text, string option, TimeZoneInfo zone, bool endOfDay = false)
    {
        if (text is null) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            var local = (endOfDay ? day.AddDays(1) : day).ToDateTime(TimeOnly.MinValue);
            return new DateTimeOffset(local, zone.GetUtcOffset(local));
        }
        if (text.Contains('T') &&
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }
        throw new UsageException($"{option} must be a date like 2026-11-21 or a time like 2026-11-21T09:00:00Z, not '{text}'");
    }
}
