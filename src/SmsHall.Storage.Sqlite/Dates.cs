using System.Globalization;

namespace SmsHall.Storage.Sqlite;

/// <summary>How dates and times are written in the database: ISO 8601 text, times in UTC.</summary>
internal static class Dates
{
    // "O" is the same text as "yyyy-MM-dd" and, for a UTC time, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", from
    // the runtime's fast path (a custom pattern is interpreted on every call: several a message).
    public static string Write(DateOnly date) => date.ToString("O", CultureInfo.InvariantCulture);
    public static string Write(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    public static DateOnly ReadDate(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
    public static DateOnly? ReadDateOrNull(string? text) => text is null ? null : ReadDate(text);
    public static DateTimeOffset ReadTime(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
