using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace SmsHall.Outbox;

/// <summary>
/// Paces sends per sender (a number or a messaging service) to Twilio:SegmentsPerSecond, counting SMS
/// segments, not messages: Twilio's limits are in segments, and a three-segment reply costs three.
/// Each sender has a token bucket (System.Threading.RateLimiting) that refills with the injected
/// clock, so tests can move time; it holds one second's worth, or one longest reply, for a burst. A
/// 429 from Twilio pauses the sender for its Retry-After: being told to slow down is pacing, not failure.
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

    private sealed class Bucket
    {
        private readonly TokenBucketRateLimiter _tokens;
        private readonly Lock _gate = new();
        private readonly TimeSpan _period;
        private readonly int _limit;
        private DateTimeOffset _refilledTo;
        private DateTimeOffset _pausedUntil;

        public Bucket(double perSecond, DateTimeOffset now)
        {
            _period = TimeSpan.FromSeconds(1 / perSecond);
            _limit = Math.Max((int)Math.Ceiling(perSecond), LongestReply);
            // Refilled by hand from the injected clock, one token a period, rather than by the limiter's own timer.
            _tokens = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = _limit,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = _period,
                AutoReplenishment = false,
                QueueLimit = 0,
            });
            _refilledTo = now;
        }

        public TimeSpan Take(int segments, DateTimeOffset now)
        {
            var wanted = Math.Clamp(segments, 1, _limit);
            lock (_gate)
            {
                if (now < _pausedUntil) return _pausedUntil - now;
                Refill(now);
                using var lease = _tokens.AttemptAcquire(wanted);
                if (lease.IsAcquired) return TimeSpan.Zero;
                var missing = wanted - (int)(_tokens.GetStatistics()?.CurrentAvailablePermits ?? 0);
                return _refilledTo + _period * missing - now;
            }
        }

        public void PauseUntil(DateTimeOffset until)
        {
            lock (_gate)
            {
                if (until > _pausedUntil) _pausedUntil = until;
            }
        }

        private void Refill(DateTimeOffset now)
        {
            var periods = (long)((now - _refilledTo) / _period);
            if (periods <= 0) return;
            _refilledTo += _period * periods;
            for (var i = 0; i < Math.Min(periods, _limit); i++) _tokens.TryReplenish();
        }
    }
}
