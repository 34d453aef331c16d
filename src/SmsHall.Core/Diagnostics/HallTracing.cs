using System.Diagnostics;

namespace SmsHall.Core.Diagnostics;

/// <summary>
/// The hall's spans: one per message ("message"), with a child for each step — "record",
/// "understand", "handle", "commit". StartActivity costs next to nothing and returns null while
/// nobody listens (no OpenTelemetry:Endpoint), so the hot path pays only when traces are wanted.
/// </summary>
public static class HallTracing
{
    public const string SourceName = "SmsHall";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Names the span after what became of the message (nothing is done when it is not recorded).</summary>
    internal static void Describe(Activity? span, MessageOutcome outcome)
    {
        if (span is null || !span.IsAllDataRequested) return;
        span.SetTag("smshall.command", outcome.Command);
        span.SetTag("smshall.match", outcome.Match);
        span.SetTag("smshall.language", outcome.Language);
        span.SetTag("smshall.outcome", outcome.Outcome);
    }
}
