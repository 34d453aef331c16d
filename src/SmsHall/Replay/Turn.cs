using System.Text.RegularExpressions;
using SmsHall.Core;

namespace SmsHall.Replay;

/// <summary>
/// One recorded message, the reply it had then (in a script: the reply expected), the conversation it
/// belongs to and where it was read (file:line), for reports.
/// </summary>
public sealed record Turn(string Conversation, InboundMessage Message, RecordedReply Recorded, string Source);

/// <summary>
/// The reply a turn had: a text, a text with <c>…</c> standing for volatile parts, a regular
/// expression (scripts only), or none at all.
/// </summary>
public sealed record RecordedReply(string? Text, Regex? Pattern = null)
{
    public static readonly RecordedReply None = new((string?)null);

    public bool IsNone => Text is null;

    /// <summary>How the reports show it.</summary>
    public override string ToString() => Text ?? "(no reply)";
}

/// <summary>How a replayed turn compares with what was recorded.</summary>
public enum Outcome
{
    Same,
    Changed,
    NewlyAnswered,
    NoLongerAnswered,
    Error,
}

/// <summary>A replayed turn: what it gets now, how that compares, and the command it was read as now.</summary>
public sealed record TurnResult(Turn Turn, string? Now, Outcome Outcome, string Command, string? Error = null);

/// <summary>The input could not be read: the file, the line (0: the file as a whole) and why.</summary>
public sealed class BadInputException(string file, int line, string reason)
    : Exception(line > 0 ? $"{file}:{line}: {reason}" : $"{file}: {reason}")
{
    public string File { get; } = file;
    public int Line { get; } = line;
    public string Reason { get; } = reason;
}

/// <summary>
/// What readers do with a malformed line: stop with <see cref="BadInputException"/>, or, with
/// <c>--skip-bad-lines</c>, count it and carry on.
/// </summary>
public sealed class BadLines(bool skip)
{
    private readonly List<string> _examples = [];

    public int Count { get; private set; }

    /// <summary>The first few skipped lines, for the report.</summary>
    public IReadOnlyList<string> Examples => _examples;

    public void Report(string file, int line, string reason)
    {
        if (!skip) throw new BadInputException(file, line, reason);
        Count++;
        if (_examples.Count < 10) _examples.Add($"{file}:{line}: {reason}");
    }
}
