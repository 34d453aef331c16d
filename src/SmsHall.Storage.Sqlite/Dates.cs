using System.Globalization;

namespace SmsHall.Storage.Sqlite;

/// <summary>How dates and times are written in the database: ISO 8601 text, times in UTC.</summary>
internal static class Dates
{
    public static string Write(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    public static string Write(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static DateOnly ReadDate(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
    public static DateOnly? ReadDateOrNull(string? text) => text is null ? null : ReadDate(text);
    public static DateTimeOffset ReadTime(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
