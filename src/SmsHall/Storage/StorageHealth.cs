using SmsHall.Core;

namespace SmsHall.Storage;

/// <summary>
/// Whether this node can write its database. A write that fails because the database cannot be
/// written makes it "unavailable since …"; only the <see cref="StorageProbe"/>'s write, which needs
/// room for some pages, makes it available again — so /health does not flip back to ok on a lucky
/// small write while the disk is still full. Messages are tried all along either way. The messages
/// answered 503 meanwhile are counted, and logged at once, then once a minute with their count.
/// </summary>
public sealed class StorageHealth : IDisposable
{
    private readonly TimeProvider _clock;
    private readonly ILogger<StorageHealth> _log;
    private readonly LogThrottle _refusals;
    private Outage? _outage;
    private long _refused;

    /// <summary>Since when the database cannot be written, and the latest reason.</summary>
    public sealed record Outage(DateTimeOffset Since, string Error);

    public StorageHealth(TimeProvider clock, ILogger<StorageHealth> log)
    {
        _clock = clock;
        _log = log;
        _refusals = new LogThrottle(clock, count =>
            log.LogError("{Count} more messages answered 503 in the last minute: the database cannot be written", count));
    }

    /// <summary>Null while the database can be written.</summary>
    public Outage? Unavailable => Volatile.Read(ref _outage);

    /// <summary>Messages answered 503 since the node started.</summary>
    public long RefusedMessages => Interlocked.Read(ref _refused);

    /// <summary>A write failed because the database cannot be written.</summary>
    public void Failed(Exception e)
    {
        var since = Unavailable?.Since ?? _clock.GetUtcNow();
        Volatile.Write(ref _outage, new Outage(since, (e as StorageUnavailableException)?.InnerException?.Message ?? e.Message));
    }

    /// <summary>A message could not be recorded and was answered 503.</summary>
    public void Refused(string sid, StorageUnavailableException e)
    {
        Failed(e);
        Interlocked.Increment(ref _refused);
        if (_refusals.ShouldLog())
            _log.LogError("Message {Sid} answered 503, not recorded: {Reason} (one such line a minute at most)", sid, e.Message);
    }

    /// <summary>The probe wrote: the database can be written again.</summary>
    public void Written()
    {
        if (Interlocked.Exchange(ref _outage, null) is { } outage)
        {
            _log.LogWarning("The database can be written again, after {Duration:g} (since {Since:u}); {Count} messages were answered 503 since the node started",
                _clock.GetUtcNow() - outage.Since, outage.Since, RefusedMessages);
        }
    }

    public void Dispose() => _refusals.Dispose();
}
