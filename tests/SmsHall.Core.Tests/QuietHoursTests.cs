using SmsHall.Core;

namespace SmsHall.Core.Tests;

/// <summary>Hall:QuietHours and Hall:MaxNoticesPerDay: when notices may arrive, and which day they count on.</summary>
public class QuietHoursTests
{
    private static HallOptions Hall(string quiet, string zone = "Europe/Paris") => new() { QuietHours = quiet, TimeZone = zone };

    private static DateTimeOffset Paris(int day, int hour, int minute = 0) => new(2026, 11, day, hour, minute, 0, TimeSpan.FromHours(1));

    [Theory]
    [InlineData(22, 30, 25)] // late evening on the 24th: held to the next morning
    [InlineData(2, 0, 24)] // after midnight on the 24th: held to the same morning
    [InlineData(21, 0, 25)] // quiet hours start on the minute
    public void AMessageWrittenInQuietHoursIsHeldUntilTheyEnd(int hour, int minute, int morning) =>
        Assert.Equal(Paris(morning, 8), Hall("21:00-08:00").HeldUntil(Paris(24, hour, minute)));

    [Theory]
    [InlineData("21:00-08:00", 8, 0)]
    [InlineData("21:00-08:00", 20, 59)]
    [InlineData("12:00-14:00", 14, 0)]
    [InlineData("", 3, 0)]
    public void OutsideQuietHoursAMessageGoesAtOnce(string quiet, int hour, int minute) =>
        Assert.Null(Hall(quiet).HeldUntil(Paris(24, hour, minute)));

    [Fact]
    public void QuietHoursWithinOneDayHoldToTheirEndThatDay() =>
        Assert.Equal(Paris(24, 14), Hall("12:00-14:00").HeldUntil(Paris(24, 12, 30)));

    [Fact]
    public void QuietHoursAreTheHallsLocalTimeAcrossASummerTimeChange()
    {
        // 29 March 2026: Paris moves from UTC+1 to UTC+2 at 02:00; 08:00 that morning is 06:00 UTC.
        var night = new DateTimeOffset(2026, 3, 29, 0, 30, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 6, 0, 0, TimeSpan.Zero), Hall("21:00-08:00").HeldUntil(night));
    }

    [Theory]
    [InlineData("21:00-08:00", true)]
    [InlineData("", true)]
    [InlineData("9pm-8am", false)]
    [InlineData("21:00", false)]
    [InlineData("21:00-21:00", false)]
    [InlineData("25:00-08:00", false)]
    public void QuietHoursAreReadStrictly(string text, bool valid) => Assert.Equal(valid, HallOptions.IsQuietHours(text));

    [Fact]
    public void TheDailyCapCountsTheLocalCalendarDay()
    {
        var hall = Hall("", "Europe/Paris");
        hall.MaxNoticesPerDay = 2;
        var cap = hall.CapOn(new DateTimeOffset(2026, 11, 24, 23, 30, 0, TimeSpan.Zero)); // 00:30 on the 25th in Paris
        Assert.Equal(2, cap.Max);
        Assert.Equal(Paris(25, 0), cap.DayStart);
        Assert.Equal(Paris(26, 0), cap.DayEnd);
    }
}
