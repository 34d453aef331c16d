using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SmsHall.Core.Diagnostics;

/// <summary>
/// The hall's instruments, on the meter <see cref="MeterName"/>. Named the OpenTelemetry way; the
/// Prometheus exporter adds the unit and "_total": smshall_messages_total{command,match,language,outcome},
/// smshall_message_duration_seconds, smshall_replies_total{status}, smshall_outbox_pending,
/// smshall_catalogue_version. The meter comes from the host's factory, so two gateways in one
/// process (as in the tests) count apart.
/// </summary>
public sealed class HallMetrics
{
    public const string MeterName = "SmsHall";

    // From a millisecond to ten seconds: a message is answered in a few milliseconds when all is well,
    // and Twilio gives up on a webhook after fifteen seconds.
    private static readonly double[] DurationBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Counter<long> _messages;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _replies;

    /// <param name="catalogueVersion">The stored catalogue version served (null when not stored).</param>
    /// <param name="outboxPending">The replies waiting in the outbox (null when it cannot be read: see <see cref="OutboxDepth"/>).</param>
    public HallMetrics(IMeterFactory meters, Func<long?> catalogueVersion, Func<long?> outboxPending)
    {
        var meter = meters.Create(MeterName);
        _messages = meter.CreateCounter<long>("smshall.messages", "{message}",
            "Inbound messages, by the command understood, how it matched, the reply's language and the outcome");
        _duration = meter.CreateHistogram("smshall.message.duration", "s",
            "From the webhook's request to its reply committed", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _replies = meter.CreateCounter<long>("smshall.replies", "{reply}",
            "Replies by status: as committed (replied, pending, suppressed, limited), then as the outbox and Twilio's status callbacks move them on");
        meter.CreateObservableGauge("smshall.outbox.pending", () => Measure(outboxPending()), "{reply}",
            "Replies waiting in the outbox to be sent (read at most every few seconds)");
        meter.CreateObservableGauge("smshall.catalogue.version", () => Measure(catalogueVersion()), null,
            "The stored catalogue version this node serves");
    }

    /// <summary>One message answered (or refused), and how long it took from its request.</summary>
    public void Message(MessageOutcome outcome, TimeSpan elapsed)
    {
        var tags = new TagList
        {
            { "command", outcome.Command },
            { "match", outcome.Match },
            { "language", outcome.Language },
            { "outcome", outcome.Outcome },
        };
        _messages.Add(1, tags);
        _duration.Record(elapsed.TotalSeconds);
    }

    /// <summary>A reply reached <paramref name="status"/> (replied, pending, queued, delivered, failed, …).</summary>
    public void Reply(string status) => _replies.Add(1, new KeyValuePair<string, object?>("status", status));

    // No figure rather than a wrong one: an unstored catalogue, an outbox that could not be read.
    private static IEnumerable<Measurement<long>> Measure(long? value) => value is { } v ? [new Measurement<long>(v)] : [];
}
