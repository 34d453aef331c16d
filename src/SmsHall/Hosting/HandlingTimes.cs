using SmsHall.Core.Ports;

namespace SmsHall.Hosting;

/// <summary>
/// How long this node took to answer its messages over the last hour and the last day, from the
/// signed request to the committed reply (the same span as smshall_message_duration_seconds), kept
/// in memory as a histogram per minute so that the percentiles of any window are a sum away. Each
/// node reports its own to the database (NodeReporter), and the console's overview shows them.
/// </summary>
public sealed class HandlingTimes(TimeProvider clock)
{
    // Buckets grow by a quarter each, from 0.1 ms: a percentile is read to within an eighth of itself,
    // and 64 of them reach past a minute.
    private const int Buckets = 64;
    private const double First = 0.1;
    private const double Growth = 1.25;
    private const int Minutes = 24 * 60;

    private readonly long[] _counts = new long[Minutes * Buckets];
    private readonly long[] _minuteOf = new long[Minutes];
    private readonly Lock _turnover = new();

    public void Record(TimeSpan elapsed)
    {
        var minute = clock.GetUtcNow().ToUnixTimeSeconds() / 60;
        var slot = (int)(minute % Minutes);
        if (Volatile.Read(ref _minuteOf[slot]) != minute)
        {
            // The first message of a new minute clears what the slot held a day ago.
            lock (_turnover)
            {
                if (_minuteOf[slot] != minute)
                {
                    Array.Clear(_counts, slot * Buckets, Buckets);
                    Volatile.Write(ref _minuteOf[slot], minute);
                }
            }
        }
        Interlocked.Increment(ref _counts[slot * Buckets + Bucket(elapsed.TotalMilliseconds)]);
    }

    /// <summary>The messages answered in the last <paramref name="minutes"/> and their 50th and 99th percentiles; null when none.</summary>
    public HandlingTime? Over(int minutes)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds() / 60;
        var sums = new long[Buckets];
        for (var m = now - Math.Min(minutes, Minutes) + 1; m <= now; m++)
        {
            var slot = (int)(m % Minutes);
            if (Volatile.Read(ref _minuteOf[slot]) != m) continue;
            for (var b = 0; b < Buckets; b++) sums[b] += Interlocked.Read(ref _counts[slot * Buckets + b]);
        }
        var total = sums.Sum();
        return total == 0 ? null : new HandlingTime(total, Percentile(sums, total, 0.50), Percentile(sums, total, 0.99));
    }

    private static int Bucket(double ms) =>
        ms <= First ? 0 : Math.Min(Buckets - 1, (int)Math.Ceiling(Math.Log(ms / First, Growth)));

    /// <summary>The upper edge of the bucket the percentile falls in: "p % of messages within this".</summary>
    private static double Percentile(long[] sums, long total, double p)
    {
        var rank = (long)Math.Ceiling(p * total);
        long seen = 0;
        for (var b = 0; b < Buckets; b++)
        {
            seen += sums[b];
            if (seen >= rank) return Math.Round(First * Math.Pow(Growth, b), 1);
        }
        return Math.Round(First * Math.Pow(Growth, Buckets - 1), 1);
    }
}
