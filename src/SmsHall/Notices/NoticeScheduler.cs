using Microsoft.Extensions.Options;
using SmsHall.Core.Catalogue;
using SmsHall.Core.Notices;
using SmsHall.Core.Ports;
using SmsHall.Outbox;
using SmsHall.Twilio;

namespace SmsHall.Notices;

/// <summary>How often the notice pass runs (section "Notices").</summary>
public sealed class NoticeOptions
{
    /// <summary>Seconds between two notice passes; the first runs one interval after start.</summary>
    public double IntervalSeconds { get; set; } = 300;

    public TimeSpan Interval => TimeSpan.FromSeconds(IntervalSeconds);

    public string? Problem() =>
        IntervalSeconds is < 0.2 or > 86_400 ? "Notices:IntervalSeconds must be a number of seconds from 0.2 to 86400" : null;
}

/// <summary>
/// Runs the notice pass every Notices:IntervalSeconds on whichever node holds the database lease
/// "notices": every node runs this, one at a time does the work, and another takes over within a
/// few intervals if it stops. A pass that fails is logged and tried again at the next interval.
/// Does nothing (and says so once) when the gateway cannot send messages of its own accord.
/// </summary>
public sealed class NoticeScheduler(
    NoticeRun run,
    ILeases leases,
    LiveCatalogue catalogue,
    OutboxSignal signal,
    IOptions<NoticeOptions> options,
    IOptions<TwilioOptions> twilio,
    IOptions<OutboxOptions> outbox,
    TimeProvider clock,
    ILogger<NoticeScheduler> log) : BackgroundService
{
    public const string Lease = "notices";

    // Two nodes of one name (one machine) are still two holders.
    private readonly string _holder = $"{outbox.Value.NodeName} {Guid.NewGuid().ToString("N")[..8]}";

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        if (twilio.Value.OwnMessagesProblem() is { } problem)
        {
            log.LogWarning("Notices are off on this node: {Problem}", problem);
            return;
        }
        var interval = options.Value.Interval;
        // Held for a few passes: a holder that stops is replaced within that, one that is slow keeps it.
        var length = interval * 3 + TimeSpan.FromSeconds(5);
        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
                await PassAsync(length, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        finally
        {
            await ReleaseAsync();
        }
    }

    private async Task PassAsync(TimeSpan length, CancellationToken stopping)
    {
        try
        {
            var now = clock.GetUtcNow();
            if (!await leases.TryTakeAsync(Lease, _holder, now, length, stopping)) return; // another node runs it
            var started = clock.GetTimestamp();
            // No more than the sender can send (a segment each) before the next pass.
            var max = (int)Math.Clamp(twilio.Value.SegmentsPerSecond * options.Value.IntervalSeconds, 1, int.MaxValue);
            var pass = await run.RunAsync(catalogue.Catalogue, twilio.Value.From, now, max, stopping);
            if (pass.Queued > 0) signal.Notify();
            // Notices over the day's cap are tried again each pass: only a pass that queued something is news.
            log.Log(pass.Queued > 0 ? LogLevel.Information : LogLevel.Debug, "Notice pass on {Holder} in {Ms} ms: {Results}", _holder,
                (long)clock.GetElapsedTime(started).TotalMilliseconds, string.Join(", ", pass.Results.Select(r => $"{r.Value} {r.Key}")));
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            log.LogError(e, "The notice pass failed; it runs again in {Seconds} s", options.Value.IntervalSeconds);
        }
    }

    private async Task ReleaseAsync()
    {
        try
        {
            await leases.ReleaseAsync(Lease, _holder, CancellationToken.None);
        }
        catch (Exception e)
        {
            // Not fatal: the lease lapses by itself, and another node takes it then.
            log.LogWarning(e, "Could not give up the notices lease");
        }
    }
}
