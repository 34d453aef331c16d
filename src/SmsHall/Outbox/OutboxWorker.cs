using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using SmsHall.Core.Diagnostics;
using SmsHall.Core.Ports;
using SmsHall.Core.Replies;
using SmsHall.Twilio;

namespace SmsHall.Outbox;

/// <summary>Wakes the outbox worker when a reply has been committed, so it goes out at once rather than at the next poll.</summary>
public sealed class OutboxSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => _channel.Writer.TryWrite(true);

    /// <summary>Waits for a notification or until the time is up.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await _channel.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
        }
    }
}

/// <summary>
/// Sends the outbox in Rest mode: takes due replies, paces each to its sender's rate, sends it
/// through <see cref="Sender"/>, and records what Twilio said. A reply not sent within
/// Outbox:ExpireAfterSeconds of being ready expires instead. A reply whose lookups keep failing is
/// parked for an operator. While Twilio's circuit is open nothing is taken and nothing is charged a
/// round; sending resumes as soon as the break is over. On shutdown it takes nothing new and
/// finishes the sends in flight.
/// </summary>
public sealed class OutboxWorker(
    IOutbox outbox,
    Sender sender,
    Pacer pacer,
    OutboxSignal signal,
    IOptions<OutboxOptions> options,
    IOptions<TwilioOptions> twilio,
    TimeProvider clock,
    HallMetrics metrics,
    ILogger<OutboxWorker> log) : BackgroundService
{
    // Twilio's "Attempt to send to unsubscribed recipient": the subscriber opted out at the carrier.
    public const int Unsubscribed = 21610;

    // Sends in flight get this long after shutdown starts; one cut short is looked for at the next start.
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(10);

    private readonly OutboxOptions _options = options.Value;

    // While Twilio's circuit is open nothing is taken from the outbox. Polly moves an open circuit on
    // to half-open only when a call is tried, so the pause has an end rather than waiting on the state.
    private long _pausedUntilTicks;

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        using var abort = new CancellationTokenSource();
        await using var _ = stopping.Register(() => abort.CancelAfter(ShutdownGrace));

        try
        {
            var recovered = await outbox.RecoverAsync(_options.NodeName, CancellationToken.None);
            if (recovered > 0) log.LogWarning("{Count} replies were being sent when this node stopped; each is looked for at Twilio before it is sent again", recovered);
        }
        catch (Exception e)
        {
            // Not fatal: what this node was sending is taken over, in doubt, once its lease runs out.
            log.LogError(e, "Could not take back the replies this node was sending when it stopped");
        }

        var inFlight = new List<Task>();
        var poll = TimeSpan.FromMilliseconds(_options.PollMilliseconds);
        while (!stopping.IsCancellationRequested)
        {
            inFlight.RemoveAll(t => t.IsCompleted);
            var free = _options.Concurrency - inFlight.Count;
            var claimed = 0;
            if (free > 0 && clock.GetUtcNow().UtcTicks >= Interlocked.Read(ref _pausedUntilTicks))
            {
                try
                {
                    var items = await outbox.ClaimAsync(_options.NodeName, clock.GetUtcNow(), TimeSpan.FromSeconds(_options.LeaseSeconds), free, stopping);
                    claimed = items.Count;
                    inFlight.AddRange(items.Select(item => SendOneAsync(item, abort.Token)));
                }
                catch (Exception e) when (!stopping.IsCancellationRequested)
                {
                    log.LogError(e, "Could not read the outbox");
                }
            }
            if (claimed > 0 && claimed == free) continue; // more may be due

            // Sleep until a reply is committed, a send finishes (freeing a slot), or the poll comes round.
            var wake = signal.WaitAsync(poll, stopping);
            await Task.WhenAny(inFlight.Append(wake));
        }

        await Task.WhenAll(inFlight);
    }

    private async Task SendOneAsync(OutboxItem item, CancellationToken abort)
    {
        await Task.Yield(); // let the claim loop go on while this send runs
        try
        {
            // A STOP that arrived after this reply was written wins: nothing reaches an opted-out number;
            // nor a notice or offer of a kind the subscriber refused (ALERTS OFF) since it was written.
            if (item.OptedOut && !ReplyKeys.SentWhenOptedOut.Contains(item.ReplyKey ?? ""))
            {
                await GiveUpAsync(item, OutboundStatus.Suppressed, null, "the number opted out (STOP) or refused this kind (ALERTS OFF)", false);
                log.LogInformation("Suppressed message {Id} to {Number}: opted out or refused", item.Id, PhoneMask.Mask(item.To));
                return;
            }

            // News that comes too late misleads ("your balance is…" ten minutes on): past its time it is
            // not sent. On WhatsApp it must also go within a day of the subscriber's last message there.
            var deadline = item.Ready + _options.ExpireAfter;
            if (item.LastWhatsApp is { } last && last + OutboxItem.WhatsAppWindow < deadline) deadline = last + OutboxItem.WhatsAppWindow;
            if (clock.GetUtcNow() >= deadline)
            {
                await ExpireAsync(item);
                return;
            }
            var from = SenderOf(item);
            try
            {
                await pacer.WaitAsync(from, item.Segments, abort);
            }
            catch (OperationCanceledException)
            {
                // Shutting down while waiting its turn: nothing was sent, so it goes back as it was.
                await outbox.RetryLaterAsync(item.Id, clock.GetUtcNow(), item.InDoubt, "the node stopped before its turn", charged: false, ct: CancellationToken.None);
                return;
            }

            // On WhatsApp both numbers are written whatsapp:+…, as Twilio wants them (and lists them when looked for).
            var sms = new OutgoingSms(TwilioAddress.Write(item.Channel, item.To), TwilioAddress.Write(item.Channel, item.From), item.Body);
            var inDoubt = new InDoubt(item.InDoubt, ct => outbox.KnownSidsAsync(item.To, ct));
            SendResult result;
            try
            {
                result = await sender.SendAsync(item, sms, from, deadline, inDoubt, abort);
            }
            catch (ExpiredException)
            {
                await ExpireAsync(item with { InDoubt = inDoubt.Value });
                return;
            }
            catch (LookupFailedException e)
            {
                await LookupFailedAsync(item, e.Message);
                return;
            }
            catch (BrokenCircuitException broken)
            {
                // Nothing was tried, so no round is charged; the reply goes again as soon as the break is over.
                var resume = clock.GetUtcNow() + (broken.RetryAfter ?? sender.BreakDuration);
                Interlocked.Exchange(ref _pausedUntilTicks, resume.UtcTicks);
                await outbox.RetryLaterAsync(item.Id, resume, inDoubt.Value, broken.Message, charged: false, ct: CancellationToken.None);
                return;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or Polly.Timeout.TimeoutRejectedException)
            {
                await TryLaterAsync(item, inDoubt.Value, null, e.Message);
                return;
            }

            switch (result)
            {
                case SendResult.Accepted accepted:
                    await outbox.SentAsync(item.Id, accepted.Sid, accepted.Status, clock.GetUtcNow(), CancellationToken.None);
                    metrics.Reply(accepted.Status);
                    break;
                case SendResult.Rejected { Code: Unsubscribed } rejected:
                    await GiveUpAsync(item, OutboundStatus.Failed, Unsubscribed, rejected.Message, true);
                    log.LogWarning("Twilio says {Number} has unsubscribed (21610); the number is now opted out", PhoneMask.Mask(item.To));
                    break;
                case SendResult.Rejected rejected:
                    await GiveUpAsync(item, OutboundStatus.Failed, rejected.Code, rejected.Message, false);
                    log.LogWarning("Twilio refused reply {Id} to {Number}: {Code} {Message}", item.Id, PhoneMask.Mask(item.To), rejected.Code, PhoneMask.MaskNumbersIn(rejected.Message));
                    break;
                case SendResult.Busy busy:
                    await TryLaterAsync(item, inDoubt.Value, busy.RetryAfter, $"HTTP {busy.HttpStatus} {busy.Message}");
                    break;
            }
        }
        catch (Exception e)
        {
            // The database itself failed: the row stays claimed and is taken again after the lease.
            log.LogError(e, "Could not record the sending of reply {Id}", item.Id);
        }
    }

    /// <summary>The reply will not be sent; the status it ends in is counted.</summary>
    private async Task GiveUpAsync(OutboxItem item, string status, int? errorCode, string? error, bool optOut)
    {
        await outbox.GiveUpAsync(item.Id, status, errorCode, error, optOut, clock.GetUtcNow(), CancellationToken.None);
        metrics.Reply(status);
    }

    /// <summary>The sender a reply goes out from, as Twilio counts its rate: the messaging service, the configured number, or the number texted.</summary>
    private string SenderOf(OutboxItem item)
    {
        var t = twilio.Value;
        if (item.Channel == Core.Channel.WhatsApp) return t.WhatsAppFrom.Length > 0 ? t.WhatsAppFrom : TwilioAddress.Write(item.Channel, item.From);
        return t.MessagingServiceSid.Length > 0 ? t.MessagingServiceSid : t.From.Length > 0 ? t.From : item.From;
    }

    private async Task ExpireAsync(OutboxItem item)
    {
        var error = $"not sent within {_options.ExpireAfterSeconds} s" + (item.InDoubt ? " (an earlier attempt may have reached Twilio)" : "");
        await GiveUpAsync(item, OutboundStatus.Expired, null, error, false);
        log.LogWarning("Reply {Id} to {Number} expired: {Error}", item.Id, PhoneMask.Mask(item.To), error);
    }

    /// <summary>
    /// Twilio could not be asked whether it has an in-doubt reply: only this reply waits, with its own
    /// backoff, and after Outbox:MaxLookupFailures it is parked for an operator to resend or drop.
    /// </summary>
    private async Task LookupFailedAsync(OutboxItem item, string error)
    {
        var failures = item.LookupFailures + 1;
        var wait = TimeSpan.FromSeconds(Math.Min(300, 2 * Math.Pow(2, failures - 1)));
        var held = await outbox.LookupFailedAsync(item.Id, clock.GetUtcNow() + wait, _options.MaxLookupFailures, $"lookup failed: {error}", CancellationToken.None);
        if (held)
            log.LogError("Reply {Id} to {Number} may have reached Twilio and Twilio could not be asked {Count} times; it waits for an operator to resend or drop it",
                item.Id, PhoneMask.Mask(item.To), failures);
        else
            log.LogInformation("Reply {Id} to {Number} is in doubt and Twilio could not be asked ({Error}); it looks again in {Seconds:0} s",
                item.Id, PhoneMask.Mask(item.To), error, wait.TotalSeconds);
    }

    private async Task TryLaterAsync(OutboxItem item, bool inDoubt, TimeSpan? after, string error)
    {
        var now = clock.GetUtcNow();
        if (item.Attempts >= _options.MaxRounds)
        {
            await GiveUpAsync(item, OutboundStatus.Failed, null, $"gave up after {item.Attempts} rounds: {error}", false);
            log.LogError("Gave up on reply {Id} to {Number} after {Rounds} rounds: {Error}", item.Id, PhoneMask.Mask(item.To), item.Attempts, error);
            return;
        }
        var backoff = TimeSpan.FromSeconds(Math.Min(300, 5 * Math.Pow(2, item.Attempts - 1)));
        var wait = after is { } given && given > backoff ? given : backoff;
        await outbox.RetryLaterAsync(item.Id, now + wait, inDoubt, error, ct: CancellationToken.None);
        log.LogInformation("Reply {Id} to {Number} will be tried again in {Seconds:0} s: {Error}", item.Id, PhoneMask.Mask(item.To), wait.TotalSeconds, error);
    }
}
