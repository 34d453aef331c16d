using SmsHall.Core.Accounts;
using SmsHall.Core.Notices;
using SmsHall.Core.Ports;

namespace SmsHall.Core.Tests;

/// <summary>Which notice an account is worth, and the event each names (so it is told once).</summary>
public class NoticeKindsTests
{
    private static readonly DateOnly Today = new(2026, 11, 22);

    [Theory]
    [InlineData(20, "notice.bill-ready", "bill-ready 2026-10")]
    [InlineData(4, "notice.bill-ready", "bill-ready 2026-10")]
    [InlineData(3, "notice.bill-due", "bill-due 2026-10")]
    [InlineData(0, "notice.bill-due", "bill-due 2026-10")]
    [InlineData(-1, "notice.bill-overdue", "bill-overdue 2026-10")]
    public void ABillIsReadyThenDueInThreeDaysThenOverdue(int daysLeft, string key, string reason)
    {
        var notice = NoticeKinds.Bill(new UnpaidBill("+1", "en", new YearMonth(2026, 10), 4500, Today.AddDays(daysLeft)), Today);
        Assert.Equal((key, reason, AlertCategories.Bill), (notice.Reply.Key, notice.Reason, notice.Category));
    }

    [Fact]
    public void AnOverdueBillSaysHowManyDays()
    {
        var notice = NoticeKinds.Bill(new UnpaidBill("+1", "fr", new YearMonth(2026, 10), 4500, Today.AddDays(-2)), Today);
        Assert.Equal(2, notice.Reply.Values["days"]);
        Assert.Equal("fr", notice.Language);
    }

    [Theory]
    [InlineData(799, 1000, null)]
    [InlineData(800, 1000, "data-80 2026-11-01")]
    [InlineData(999, 1000, "data-80 2026-11-01")]
    [InlineData(1000, 1000, "data-100 2026-11-01")]
    [InlineData(1500, 1000, "data-100 2026-11-01")]
    [InlineData(0, 0, null)]
    public void DataIsToldAtEightyAndAtAHundredPercentOncePerCycle(int used, int allowance, string? reason) =>
        Assert.Equal(reason, NoticeKinds.Data(new DataUse("+1", "en", new DateOnly(2026, 11, 1), used, allowance))?.Reason);

    [Fact]
    public void ALowBalanceIsOneEventUntilTheNextTopUp()
    {
        Assert.Equal("balance-low since 2026-11-16", NoticeKinds.Balance(new LowBalance("+1", "en", 375, new DateOnly(2026, 11, 16))).Reason);
        Assert.Equal("balance-low since start", NoticeKinds.Balance(new LowBalance("+1", "en", 0, null)).Reason);
    }

    [Fact]
    public void PointsAreToldOncePerDayTheyLapse() =>
        Assert.Equal("points-expiring 2026-12-02", NoticeKinds.Points(new ExpiringPoints("+1", "en", new DateOnly(2026, 12, 2), 150)).Reason);
}
