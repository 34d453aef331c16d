using SmsHall.Outbox;

namespace SmsHall.Tests;

/// <summary>The sender's pace, on a clock the test moves by hand.</summary>
public sealed class PacerTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ALongCodeSendsOneSegmentASecondAfterABurstOfOneLongestReply()
    {
        var clock = new TestClock(Start);
        var pacer = new Pacer(1, clock);
        for (var i = 0; i < 10; i++) Assert.Equal(TimeSpan.Zero, pacer.Take("+15005550006", 1));

        Assert.Equal(TimeSpan.FromSeconds(1), pacer.Take("+15005550006", 1));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, pacer.Take("+15005550006", 1));
        Assert.Equal(TimeSpan.FromSeconds(1), pacer.Take("+15005550006", 1));
    }

    [Fact]
    public void SegmentsAreCountedNotMessages()
    {
        var clock = new TestClock(Start);
        var pacer = new Pacer(1, clock);
        Assert.Equal(TimeSpan.Zero, pacer.Take("MG1", 9));
        // One token left; a three-segment reply waits for two more seconds' worth.
        Assert.Equal(TimeSpan.FromSeconds(2), pacer.Take("MG1", 3));
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(TimeSpan.Zero, pacer.Take("MG1", 3));
    }

    [Fact]
    public void EachSenderHasItsOwnPace()
    {
        var clock = new TestClock(Start);
        var pacer = new Pacer(1, clock);
        Assert.Equal(TimeSpan.Zero, pacer.Take("+15005550006", 10));
        Assert.NotEqual(TimeSpan.Zero, pacer.Take("+15005550006", 1));
        Assert.Equal(TimeSpan.Zero, pacer.Take("+15005550007", 1));
    }

    [Fact]
    public void AShortCodeSendsAHundredSegmentsASecond()
    {
        var clock = new TestClock(Start);
        var pacer = new Pacer(100, clock);
        for (var i = 0; i < 100; i++) Assert.Equal(TimeSpan.Zero, pacer.Take("12345", 1));
        Assert.Equal(TimeSpan.FromMilliseconds(10), pacer.Take("12345", 1));
        clock.Advance(TimeSpan.FromMilliseconds(50));
        for (var i = 0; i < 5; i++) Assert.Equal(TimeSpan.Zero, pacer.Take("12345", 1));
        Assert.NotEqual(TimeSpan.Zero, pacer.Take("12345", 1));
    }

    [Fact]
    public void A429PausesTheSenderForItsRetryAfter()
    {
        var clock = new TestClock(Start);
        var pacer = new Pacer(100, clock);
        pacer.SlowDown("12345", TimeSpan.FromSeconds(2));
        Assert.Equal(TimeSpan.FromSeconds(2), pacer.Take("12345", 1));
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(TimeSpan.Zero, pacer.Take("12345", 1));
    }
}
