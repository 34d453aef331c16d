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

    // Set for a scratch run (a catalogue preview's replays, the simulator): their messages are no
    // traffic, and a preview would export up to a million spans. Flows with the async calls made
    // inside the scope, and only with them.
    private static readonly AsyncLocal<bool> Quiet = new();

    /// <summary>Until disposed, the hall makes no spans for the messages handled in this async flow.</summary>
    public static IDisposable Suppress()
    {
        var before = Quiet.Value;
        Quiet.Value = true;
        return new Scope(before);
    }

    /// <summary>A span of the hall's, or null when nobody listens or inside <see cref="Suppress"/>.</summary>
    internal static Activity? Start(string name) => Quiet.Value ? null : Source.StartActivity(name);

    private sealed class Scope(bool before) : IDisposable
    {
        public void Dispose() => Quiet.Value = before;
    }

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
