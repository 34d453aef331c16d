using SmsHall.Core.Grammar;

namespace SmsHall.Core.Diagnostics;

/// <summary>
/// What became of one message, as metrics, logs and spans name it: the command understood, how it
/// matched (exact, alias, fuzzy, none), the reply's language, and the outcome — understood,
/// clarified (a "did you mean"), not_understood, unregistered (no subscriber has the number),
/// opted_out, limited (over the rate limit: the notice or silence), duplicate (a redelivery, answered
/// as before); the webhook adds failed (the apology) and refused (503). A closed set of short
/// values each: they are metric labels.
/// </summary>
public sealed record MessageOutcome(string Command, string Match, string Language, string Outcome)
{
    public const string None = "none";

    /// <summary>A redelivered message: answered as it was the first time, so nothing is known of it here.</summary>
    public static readonly MessageOutcome Duplicate = new(None, None, None, "duplicate");

    /// <summary>The gateway failed while handling it; the subscriber heard the apology.</summary>
    public static readonly MessageOutcome Failed = new(None, None, None, "failed");

    /// <summary>The database could not be written; Twilio heard 503.</summary>
    public static readonly MessageOutcome Refused = new(None, None, None, "refused");

    /// <summary>A handled message, with the answer its commit settled on.</summary>
    public static MessageOutcome Of(HandledMessage handled, Answer answer)
    {
        var understanding = handled.Understanding;
        return new MessageOutcome(
            understanding.Command.Name,
            understanding.Match switch
            {
                MatchKind.Exact => "exact",
                MatchKind.Alias => "alias",
                MatchKind.Fuzzy => "fuzzy",
                _ => None,
            },
            handled.Reply?.Language ?? None,
            OutcomeOf(handled, answer));
    }

    private static string OutcomeOf(HandledMessage handled, Answer answer)
    {
        if (answer.Status == ReplyStatus.Suppressed) return "opted_out";
        // The commit decides the rate limit: it may answer with the notice instead of the reply.
        if (answer.Status == ReplyStatus.Limited || (handled.Limit is { } limit && answer.Text == limit.Notice.Text)) return "limited";
        if (handled.Reply?.Key == "unregistered") return "unregistered";
        return handled.Understanding.Command switch
        {
            Grammar.Command.Unknown { Suggestions.Count: > 0 } => "clarified",
            Grammar.Command.Unknown => "not_understood",
            _ => "understood",
        };
    }
}
