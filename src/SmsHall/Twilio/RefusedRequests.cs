namespace SmsHall.Twilio;

/// <summary>
/// Logs webhook requests refused for their signature. Anyone can send them, as many and as large as
/// they like, so the line leaves out the query string, is cut short, and is written at most once a
/// minute with a count of the others.
/// </summary>
public sealed class RefusedRequests : IDisposable
{
    private const int MaxUrlLength = 200;

    private readonly ILogger<RefusedRequests> _log;
    private readonly LogThrottle _throttle;

    public RefusedRequests(TimeProvider clock, ILogger<RefusedRequests> log)
    {
        _log = log;
        _throttle = new LogThrottle(clock, count =>
            log.LogWarning("{Count} more requests refused in the last minute (their lines were not written)", count));
    }

    /// <param name="url">The URL the signature was checked against, without its query string.</param>
    public void Refused(string url, string reason)
    {
        if (!_throttle.ShouldLog()) return;
        var shown = url.Length <= MaxUrlLength ? url : url[..MaxUrlLength] + "…";
        _log.LogWarning("Refused a request to {Url}: {Reason} (one such line a minute at most)", shown, reason);
    }

    public void Dispose() => _throttle.Dispose();
}
