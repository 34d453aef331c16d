using System.Collections.Concurrent;

namespace SmsHall.Outbox;

/// <summary>
/// Paces sends per sender (a number or a messaging service) to Twilio:SegmentsPerSecond, counting SMS
/// segments, not messages: Twilio's limits are in segments, and a three-segment reply costs three.
/// Each sender has a token bucket that refills with the injected clock, so tests can move time; it
/// holds one second's worth, or one longest reply, for a burst. A 429 from Twilio pauses the sender
/// for its Retry-After: being told to slow down is pacing, not failure.
/// The bucket is ours, not System.Threading.RateLimiting's TokenBucketRateLimiter: that one refills
/// from the machine's stopwatch even when replenished by hand, so it cannot follow an injected clock.
/// </summary>
public sealed class Pacer(double segmentsPerSecond, TimeProvider clock)
{
    // The longest reply the catalogue can promise (Catalogue:SegmentBudget at most 10).
    private const int LongestReply = 10;

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>Waits until <paramref name="sender"/> may send <paramref name="segments"/> more segments, and takes them.</summary>
    public async Task WaitAsync(string sender, int segments, CancellationToken ct)
    {
        while (Take(sender, segments) is { } wait && wait > TimeSpan.Zero) await Task.Delay(wait, clock, ct);
    }

    /// <summary>Takes the segments if the sender may send them now (returns zero), or says how long to wait.</summary>
    public TimeSpan Take(string sender, int segments) =>
        _buckets.GetOrAdd(sender, _ => new Bucket(segmentsPerSecond, clock.GetUtcNow())).Take(segments, clock.GetUtcNow());

    /// <summary>Twilio answered 429: nothing more from this sender until <paramref name="retryAfter"/> has passed.</summary>
    public void SlowDown(string sender, TimeSpan retryAfter) =>
        _buckets.GetOrAdd(sender, _ => new Bucket(segmentsPerSecond, clock.GetUtcNow())).PauseUntil(clock.GetUtcNow() + retryAfter);

    private sealed class Bucket(double perSecond, DateTimeOffset now)
    {
        private readonly Lock _gate = new();
        private readonly double _limit = Math.Max(Math.Ceiling(perSecond), LongestReply);
        private double _tokens = Math.Max(Math.Ceiling(perSecond), LongestReply);
        private DateTimeOffset _refilledAt = now;
        private DateTimeOffset _pausedUntil;

        public TimeSpan Take(int segments, DateTimeOffset now)
        {
            var wanted = Math.Clamp(segments, 1, _limit);
            lock (_gate)
            {
                if (now < _pausedUntil) return _pausedUntil - now;
                if (now > _refilledAt)
                {
                    _tokens = Math.Min(_limit, _tokens + (now - _refilledAt).TotalSeconds * perSecond);
                    _refilledAt = now;
                }
                if (_tokens >= wanted)
                {
                    _tokens -= wanted;
                    return TimeSpan.Zero;
                }
                // Whole milliseconds up: a wait that ends a hair early would only wait again.
                return TimeSpan.FromMilliseconds(Math.Ceiling((wanted - _tokens) / perSecond * 1000));
            }
        }

        public void PauseUntil(DateTimeOffset until)
        {
            lock (_gate)
            {
                if (until > _pausedUntil) _pausedUntil = until;
            }
        }
    }
}
