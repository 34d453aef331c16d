using System.Net;
using System.Net.Http;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using SmsHall.Core.Ports;
using SmsHall.Twilio;

namespace SmsHall.Outbox;

/// <summary>
/// Sends one reply through Twilio. Sends and lookups have resilience of their own, so that lookups
/// failing (a restricted API key, a partial outage of the message list) never stop the sends:
/// <list type="bullet">
/// <item>sends: a timeout per attempt, retries with exponential backoff and jitter on 429, 5xx and
/// network errors (honouring Retry-After), and a circuit breaker that opens only on an outage —
/// nearly every call failing. A 429 is Twilio pacing us, not failing: it is retried and slows the
/// sender (see <see cref="Pacer"/>), but never counts towards opening the circuit;</item>
/// <item>lookups: a timeout and one retry. A call whose answer was lost may have reached Twilio, so
/// before sending again the sender looks for the message at Twilio: a reply is sent at most once.
/// A lookup that fails is that reply's problem alone (<see cref="LookupFailedException"/>).</item>
/// </list>
/// </summary>
public sealed class Sender
{
    private readonly TwilioMessages _twilio;
    private readonly ResiliencePipeline<SendResult> _send;
    private readonly ResiliencePipeline<SendResult.Accepted?> _lookup;
    private readonly CircuitBreakerStateProvider _circuit = new();
    private readonly OutboxOptions _options;
    private readonly Pacer _pacer;
    private readonly TimeProvider _clock;

    public Sender(TwilioMessages twilio, Pacer pacer, OutboxOptions options, TimeProvider clock)
    {
        _twilio = twilio;
        _pacer = pacer;
        _options = options;
        _clock = clock;
        var retryAfterCap = TimeSpan.FromSeconds(options.MaxRetryAfterSeconds);
        var transient = new PredicateBuilder<SendResult>()
            .Handle<HttpRequestException>()
            .Handle<TimeoutRejectedException>()
            .HandleResult(r => r is SendResult.Busy busy && (busy.RetryAfter is null || busy.RetryAfter <= retryAfterCap));
        // What counts towards an outage: not a 429, which is Twilio asking us to slow down.
        var failing = new PredicateBuilder<SendResult>()
            .Handle<HttpRequestException>()
            .Handle<TimeoutRejectedException>()
            .HandleResult(r => r is SendResult.Busy { HttpStatus: not 429 });

        _send = new ResiliencePipelineBuilder<SendResult> { TimeProvider = clock }
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
                // An outage, not a bad patch: 30 % of calls failing must not stop the other 70 %.
                ShouldHandle = failing,
                FailureRatio = 0.9,
                MinimumThroughput = 20,
                SamplingDuration = TimeSpan.FromSeconds(10),
                BreakDuration = TimeSpan.FromSeconds(options.BreakSeconds),
                StateProvider = _circuit,
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();

        _lookup = new ResiliencePipelineBuilder<SendResult.Accepted?> { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions<SendResult.Accepted?>
            {
                // A refusal (403 for a key that may not read messages) will not change on a second try.
                ShouldHandle = new PredicateBuilder<SendResult.Accepted?>()
                    .Handle<HttpRequestException>(e => e.StatusCode is null or HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError)
                    .Handle<TimeoutRejectedException>(),
                MaxRetryAttempts = 1,
                Delay = TimeSpan.FromMilliseconds(options.RetryDelayMilliseconds),
                UseJitter = true,
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
    /// whether one of the attempts may have reached Twilio. Throws <see cref="LookupFailedException"/>
    /// when the reply is in doubt and Twilio could not be asked whether it has it, and
    /// <see cref="ExpiredException"/> when a retry would come after <paramref name="deadline"/>
    /// (nothing more is sent either way). Each attempt tells Twilio the time left as its ValidityPeriod.
    /// </summary>
    public async Task<SendResult> SendAsync(OutboxItem item, OutgoingSms reply, string sender, DateTimeOffset deadline, InDoubt inDoubt, CancellationToken ct)
    {
        return await _send.ExecuteAsync(async token =>
        {
            var left = deadline - _clock.GetUtcNow();
            if (left <= TimeSpan.Zero) throw new ExpiredException();
            var sms = reply with { ValidityPeriod = left };
            if (inDoubt.Value)
            {
                if (await FindAsync(item, sms, inDoubt, token) is { } found) return found;
                inDoubt.Value = false; // looked, and Twilio does not have it: sending is safe
            }
            try
            {
                var result = await _twilio.SendAsync(sms, token);
                // Twilio asks this sender to slow down: every reply from it waits, not just this one.
                if (result is SendResult.Busy { HttpStatus: 429 } busy) _pacer.SlowDown(sender, busy.RetryAfter ?? TimeSpan.FromSeconds(1));
                return result;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !MissedTwilio(e))
            {
                inDoubt.Value = true;
                throw;
            }
        }, ct);
    }

    private async Task<SendResult.Accepted?> FindAsync(OutboxItem item, OutgoingSms sms, InDoubt inDoubt, CancellationToken ct)
    {
        try
        {
            var known = await inDoubt.KnownSids(ct);
            return await _lookup.ExecuteAsync(token => new ValueTask<SendResult.Accepted?>(_twilio.FindAsync(sms.To, sms.Body, item.Created, known, token)), ct);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            // Thrown past the send pipeline's retry and circuit breaker, which do not handle it: a
            // failing message list is no sign that Twilio cannot take messages.
            throw new LookupFailedException(e.Message, e);
        }
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

/// <summary>The reply's time ran out before it could be sent (or sent again).</summary>
public sealed class ExpiredException() : Exception("the reply expired before it could be sent");

/// <summary>An in-doubt reply could not be looked up at Twilio; nothing was sent.</summary>
public sealed class LookupFailedException(string message, Exception inner) : Exception(message, inner);
