namespace SmsHall;

/// <summary>
/// At most one log line a minute for one kind of event, however often it happens: the first is logged
/// at once, the rest are counted, and the count is reported when the minute is over — by a timer, or
/// by the next event if it comes first. A flood of bad requests cannot flood the log, and nothing is
/// hidden: the count says how many lines were not written.
/// </summary>
public sealed class LogThrottle : IDisposable
{
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(1);

    private readonly TimeProvider _clock;
    private readonly Action<long> _reportSuppressed;
    private readonly ITimer _timer;
    private readonly object _gate = new();

    // Null while nothing has been logged for a minute: the next event is logged at once.
    private DateTimeOffset? _quietUntil;
    private long _suppressed;

    /// <param name="reportSuppressed">Logs how many events were counted instead of logged during the last minute.</param>
    public LogThrottle(TimeProvider clock, Action<long> reportSuppressed)
    {
        _clock = clock;
        _reportSuppressed = reportSuppressed;
        _timer = clock.CreateTimer(_ => EndQuietMinute(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>True when this event is to be logged now; otherwise it is counted.</summary>
    public bool ShouldLog()
    {
        long report;
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            if (_quietUntil is { } until && now < until)
            {
                _suppressed++;
                return false;
            }
            report = TakeSuppressed();
            _quietUntil = now + Period;
            _timer.Change(Period, Timeout.InfiniteTimeSpan);
        }
        if (report > 0) _reportSuppressed(report);
        return true;
    }

    private void EndQuietMinute()
    {
        long report;
        lock (_gate)
        {
            report = TakeSuppressed();
            _quietUntil = null;
        }
        if (report > 0) _reportSuppressed(report);
    }

    private long TakeSuppressed()
    {
        var count = _suppressed;
        _suppressed = 0;
        return count;
    }

    public void Dispose() => _timer.Dispose();
}
