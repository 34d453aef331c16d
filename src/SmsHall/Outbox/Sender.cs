using System.Net.Http;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using SmsHall.Storage;
using SmsHall.Twilio;

namespace SmsHall.Outbox;

/// <summary>
/// Sends one reply through Twilio with a Polly pipeline: a timeout per attempt, retries with
/// exponential backoff and jitter on 429, 5xx and network errors (honouring Retry-After), and a
/// circuit breaker so an outage does not pile up calls. A call whose answer was lost (timeout,
/// dropped connection) may still have reached Twilio, so before trying again it looks for the
/// message at Twilio: a reply is sent at most once.
/// </summary>
public sealed class Sender
{
    private readonly TwilioMessages _twilio;
    private readonly ResiliencePipeline<SendResult> _pipeline;
    private readonly CircuitBreakerStateProvider _circuit = new();
    private readonly OutboxOptions _options;

    public Sender(TwilioMessages twilio, OutboxOptions options, TimeProvider clock)
    {
        _twilio = twilio;
        _options = options;
        var retryAfterCap = TimeSpan.FromSeconds(options.MaxRetryAfterSeconds);
        var transient = new PredicateBuilder<SendResult>()
            .Handle<HttpRequestException>()
            .Handle<TimeoutRejectedException>()
            .HandleResult(r => r is SendResult.Busy busy && (busy.RetryAfter is null || busy.RetryAfter <= retryAfterCap));

        _pipeline = new ResiliencePipelineBuilder<SendResult> { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions<SendResult>
            {
                ShouldHandle = transient,
                MaxRetryAttempts = options.Retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(options.RetryDelayMilliseconds),
                MaxDelay = TimeSpan.FromSeconds(30),
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result is SendResult.Busy { RetryAfter: { } wait } ? wait : (TimeSpan?)null),
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<SendResult>
            {
                ShouldHandle = transient,
                FailureRatio = 0.5,
                MinimumThroughput = 20,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = TimeSpan.FromSeconds(options.BreakSeconds),
                StateProvider = _circuit,
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }

    /// <summary>Closed: calls go through. Open: Twilio is failing and is left alone for a while.</summary>
    public CircuitState Circuit => _circuit.CircuitState;

    public TimeSpan BreakDuration => TimeSpan.FromSeconds(_options.BreakSeconds);

    /// <summary>
    /// Sends a reply, or finds it already sent. Throws when every attempt failed on the network, the
    /// circuit is open, or <paramref name="ct"/> is cancelled; <paramref name="inDoubt"/> then says
    /// whether one of the attempts may have reached Twilio.
    /// </summary>
    public async Task<SendResult> SendAsync(OutboxItem item, InDoubt inDoubt, CancellationToken ct)
    {
        // On WhatsApp both numbers are written whatsapp:+…, as Twilio wants them (and lists them when looked for).
        var sms = new OutgoingSms(TwilioAddress.Write(item.Channel, item.To), TwilioAddress.Write(item.Channel, item.From), item.Body);
        return await _pipeline.ExecuteAsync(async token =>
        {
            if (inDoubt.Value)
            {
                var known = await inDoubt.KnownSids(token);
                if (await _twilio.FindAsync(sms.To, sms.Body, item.Created, known, token) is { } found) return found;
            }
            try
            {
                return await _twilio.SendAsync(sms, token);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !MissedTwilio(e))
            {
                inDoubt.Value = true;
                throw;
            }
        }, ct);
    }

    // Only a connection that was never made is sure not to have delivered the request.
    private static bool MissedTwilio(Exception e) =>
        e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };
}

/// <summary>Whether an earlier attempt at a reply may have reached Twilio, and how to learn which sids are already accounted for.</summary>
public sealed class InDoubt(bool value, Func<CancellationToken, Task<IReadOnlySet<string>>> knownSids)
{
    public bool Value { get; set; } = value;

    public Func<CancellationToken, Task<IReadOnlySet<string>>> KnownSids { get; } = knownSids;
}
