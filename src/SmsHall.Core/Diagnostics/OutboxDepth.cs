using SmsHall.Core.Ports;

namespace SmsHall.Core.Diagnostics;

/// <summary>
/// How many replies wait in the outbox, for the smshall_outbox_pending gauge. Read from the outbox's
/// stats at most once every <see cref="ReadEvery"/>, however often and by however many scrapers it
/// is asked: a scrape must not become a load on the database.
/// </summary>
public sealed class OutboxDepth(IOutbox outbox, TimeProvider clock)
{
    public static readonly TimeSpan ReadEvery = TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private long? _pending;
    private long? _readAt;

    /// <summary>The replies pending, null when the outbox could not be read.</summary>
    public long? Pending()
    {
        lock (_lock)
        {
            if (_readAt is { } at && clock.GetElapsedTime(at) < ReadEvery) return _pending;
            _readAt = clock.GetTimestamp();
            try
            {
                // Gauges are read synchronously; this runs once per period, on the scrape's thread.
                _pending = outbox.StatsAsync(clock.GetUtcNow()).GetAwaiter().GetResult().Pending;
            }
            catch (Exception)
            {
                // The database cannot be read (/health/ready says why): no figure rather than a stale one,
                // and never a failed scrape.
                _pending = null;
            }
            return _pending;
        }
    }
}
