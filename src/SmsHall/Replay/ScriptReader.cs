using System.Globalization;
using System.Text.RegularExpressions;
using SmsHall.Core;

namespace SmsHall.Replay;

/// <summary>
/// Reads hand-written conversation scripts (<c>*.sms</c>). One turn a line:
/// <code>
/// # Balance, then a plan change confirmed        (a comment; the first one names the case)
/// @ 2026-11-20 09:00                             (sets the clock; "@ +10m" moves it on)
/// +15550000001 > bal                             (what the subscriber sends)
/// +15550000001 &lt; Your balance is $12.50, valid until …   (the reply expected; … is any text)
/// +15550000001 &lt; /^Your balance is \$\d+\.\d\d/             (or a regular expression)
/// </code>
/// A message with no reply line expects no reply; several reply lines in a row are one reply of
/// several lines. Blank lines separate cases; each case starts again from the same database and
/// from the clock set before the file's first message (or the time the replay started); an <c>@</c>
/// inside a case moves that case's clock only.
/// </summary>
public static partial class ScriptReader
{
    public const string ShortCode = "SMSHALL";

    [GeneratedRegex(@"^(?<number>\+?[0-9]{3,15})\s*(?<dir>[<>])\s?(?<text>.*)$")]
    private static partial Regex TurnLine();

    [GeneratedRegex(@"^\+(?<n>[0-9]+)(?<unit>[smhd])$")]
    private static partial Regex Step();

    public static IEnumerable<Turn> Read(IEnumerable<(int Number, string Text)> lines, string file, DateTimeOffset start, BadLines bad)
    {
        var name = Path.GetFileName(file);
        var fileStart = start;
        var clock = start;
        string? caseName = null;
        var caseLine = 0;
        var caseHasTurns = false;
        var fileHasTurns = false;
        Pending? pending = null;

        foreach (var (number, raw) in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                // A blank line ends a case that has turns; blank lines among its header comments do not.
                if (pending is not null) yield return pending.ToTurn();
                pending = null;
                if (caseHasTurns)
                {
                    caseName = null;
                    caseHasTurns = false;
                    clock = fileStart;
                }
                continue;
            }
            if (line.StartsWith('#'))
            {
                caseName ??= line.TrimStart('#').Trim() is { Length: > 0 } title ? title : null;
                continue;
            }
            if (line.StartsWith('@'))
            {
                if (ParseClock(line[1..].Trim(), clock) is not { } set)
                {
                    bad.Report(file, number, $"'{line}' is not a time: write '@ 2026-11-20 09:00' (UTC unless an offset is given) or '@ +10m' (s, m, h or d)");
                    continue;
                }
                clock = set;
                if (!fileHasTurns) fileStart = set; // before the first message: where every case starts
                continue;
            }

            var match = TurnLine().Match(line);
            if (!match.Success)
            {
                bad.Report(file, number, "expected '+15550000001 > message', '+15550000001 < reply', '@ time', '# comment' or a blank line");
                continue;
            }
            var from = match.Groups["number"].Value;
            var text = match.Groups["text"].Value;
            if (match.Groups["dir"].Value == ">")
            {
                if (pending is not null) yield return pending.ToTurn();
                if (!caseHasTurns) caseLine = number;
                caseHasTurns = fileHasTurns = true;
                var conversation = $"{name}:{caseLine}" + (caseName is null ? "" : $" {caseName}");
                var sid = $"SCRIPT{number:D8}"; // unique in its case, which has a database of its own
                pending = new Pending(conversation, new InboundMessage(sid, from, ShortCode, text, clock), $"{file}:{number}");
                clock = clock.AddSeconds(1); // each message a second after the one before
                continue;
            }

            if (pending is null || pending.Message.From != from)
            {
                bad.Report(file, number, pending is null
                    ? "a reply line must follow the message it answers"
                    : $"this reply is to {from}, but the message above is from {pending.Message.From}");
                continue;
            }
            if (pending.Pattern is not null || (pending.Text is not null && IsPattern(text)))
            {
                bad.Report(file, number, "a reply written as /regular expression/ must be a single line");
                continue;
            }
            if (IsPattern(text))
            {
                try
                {
                    pending.Pattern = new Regex(text[1..^1], RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
                    pending.Text = text;
                }
                catch (ArgumentException e)
                {
                    bad.Report(file, number, $"not a valid regular expression: {e.Message}");
                }
                continue;
            }
            pending.Text = pending.Text is null ? text : pending.Text + "\n" + text;
        }
        if (pending is not null) yield return pending.ToTurn();
    }

    private static bool IsPattern(string text) => text.Length >= 2 && text[0] == '/' && text[^1] == '/';

    private static DateTimeOffset? ParseClock(string text, DateTimeOffset current)
    {
        if (Step().Match(text) is { Success: true } step)
        {
            var n = int.Parse(step.Groups["n"].Value, CultureInfo.InvariantCulture);
            return step.Groups["unit"].Value switch
            {
                "s" => current.AddSeconds(n),
                "m" => current.AddMinutes(n),
                "h" => current.AddHours(n),
                _ => current.AddDays(n),
            };
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;
    }

    private sealed class Pending(string conversation, InboundMessage message, string source)
    {
        public InboundMessage Message { get; } = message;
        public string? Text { get; set; }
        public Regex? Pattern { get; set; }

        public Turn ToTurn() => new(conversation, Message, Text is null ? RecordedReply.None : new RecordedReply(Text, Pattern), source);
    }
}
