using SmsHall.Hosting;

namespace SmsHall.Tests;

/// <summary>A node's handling times over the last hour and day, as the console's overview shows them.</summary>
public sealed class HandlingTimesTests
{
    private readonly TestClock _clock = new(TestGateway.Start);

    [Fact]
    public void PercentilesAreReadToWithinAQuarterAndOnlyOverTheirWindow()
    {
        var times = new HandlingTimes(_clock);
        Assert.Null(times.Over(60));
        for (var ms = 1; ms <= 100; ms++) times.Record(TimeSpan.FromMilliseconds(ms));

        var hour = times.Over(60)!;
        Assert.Equal(100, hour.Messages);
        Assert.InRange(hour.P50Ms, 50, 50 * 1.25);
        Assert.InRange(hour.P99Ms, 99, 99 * 1.25);

        // An hour and a minute later: gone from the hour, still in the day; a slow message now counts alone.
        _clock.Advance(TimeSpan.FromMinutes(61));
        times.Record(TimeSpan.FromSeconds(2));
        Assert.Equal(1, times.Over(60)!.Messages);
        Assert.InRange(times.Over(60)!.P50Ms, 2000, 2500);
        Assert.Equal(101, times.Over(24 * 60)!.Messages);

        // A day later the minute's slot is used again: what it held a day ago is not counted twice.
        _clock.Advance(TimeSpan.FromHours(23));
        times.Record(TimeSpan.FromMilliseconds(3));
        Assert.Equal(2, times.Over(24 * 60)!.Messages);
        _clock.Advance(TimeSpan.FromHours(25));
        Assert.Null(times.Over(24 * 60));
    }

    [Fact]
    public void ConcurrentMessagesAreEachCountedOnce()
    {
        var times = new HandlingTimes(_clock);
        Parallel.For(0, 10_000, i => times.Record(TimeSpan.FromMilliseconds(i % 20)));
        Assert.Equal(10_000, times.Over(60)!.Messages);
    }
}
