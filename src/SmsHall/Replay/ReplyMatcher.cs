using System.Text.RegularExpressions;

namespace SmsHall.Replay;

/// <summary>
/// Compares a reply now with the one recorded. Parts matching an <c>--ignore</c> expression
/// (reference numbers, dates) are masked on both sides first; in a recorded or expected reply,
/// <c>…</c> (or <c>...</c>) stands for any text.
/// </summary>
public sealed class ReplyMatcher(IReadOnlyList<Regex> ignore)
{
    private const string Mask = "…";

    private static readonly Regex Wildcard = new(@"…|\.\.\.", RegexOptions.CultureInvariant);

    // Wildcard texts become expressions once; a script repeats the same expected line often.
    private readonly Dictionary<string, Regex?> _wildcards = new(StringComparer.Ordinal);

    public Outcome Compare(RecordedReply recorded, string? now)
    {
        if (recorded.IsNone) return now is null ? Outcome.Same : Outcome.NewlyAnswered;
        if (now is null) return Outcome.NoLongerAnswered;
        return Matches(recorded, now) ? Outcome.Same : Outcome.Changed;
    }

    private bool Matches(RecordedReply recorded, string now)
    {
        if (recorded.Pattern is { } pattern) return pattern.IsMatch(now);
        var expected = Masked(recorded.Text!);
        var actual = Masked(now);
        if (string.Equals(expected, actual, StringComparison.Ordinal)) return true;
        return WildcardOf(expected) is { } wildcard && wildcard.IsMatch(actual);
    }

    private string Masked(string text)
    {
        foreach (var regex in ignore) text = regex.Replace(text, Mask);
        return text;
    }

    private Regex? WildcardOf(string expected)
    {
        if (_wildcards.TryGetValue(expected, out var cached)) return cached;
        Regex? made = null;
        if (Wildcard.IsMatch(expected))
        {
            var parts = Wildcard.Split(expected).Select(Regex.Escape);
            made = new Regex("^" + string.Join("[\\s\\S]*?", parts) + "$", RegexOptions.CultureInvariant);
        }
        if (_wildcards.Count < 10_000) _wildcards[expected] = made;
        return made;
    }
}
