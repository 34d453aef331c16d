using SmsHall.Core.Catalogue;
using SmsHall.Core.Text;
using Sprache;

namespace SmsHall.Core.Grammar;

/// <summary>
/// Understands one message: normalise once, find the longest catalogue keyword phrase the message
/// starts with (a dictionary lookup, not a combinator per keyword), then read that command's
/// arguments with Sprache. What cannot be read becomes <see cref="Command.Unknown"/>.
/// </summary>
public static class CommandGrammar
{
    private static readonly Parser<string> Word = Parse.LetterOrDigit.AtLeastOnce().Text();

    /// <summary>A plan name, optionally after "to": "gold", "to gold". Replies echo it, so it is kept short.</summary>
    private static readonly Parser<string> PlanName =
        (from to in Parse.String("to ").Optional()
         from name in Word.Where(w => w.Length <= 20)
         select name.ToUpperInvariant()).End();

    /// <summary>A language code: "fr".</summary>
    private static readonly Parser<string> LanguageCode =
        Parse.Letter.Repeat(2).Text().End();

    /// <summary>A voucher code, written in one piece or in groups: "1234-5678-9012", "1234 5678 9012".</summary>
    private static readonly Parser<string> Voucher =
        Parse.LetterOrDigit.Or(Parse.Chars('-', ' ')).AtLeastOnce().Text()
            .Select(v => new string(v.Where(char.IsLetterOrDigit).ToArray()).ToUpperInvariant())
            .Where(v => v.Length is >= 4 and <= 32).End();

    public static Understanding Understand(string input, CommandCatalogue catalogue, DateOnly today)
    {
        var normalised = TextNormaliser.Normalise(input);
        if (normalised.Length == 0)
        {
            // A lone "?" (or "??") is the universal cry for help; any other empty text is not understood.
            return input.Contains('?')
                ? new Understanding(input, normalised, new Command.Help(), MatchKind.Exact, "?", null)
                : NotUnderstood(input, normalised, []);
        }

        var words = TextNormaliser.Words(normalised);
        for (var n = Math.Min(words.Length, catalogue.LongestKeyword); n >= 1; n--)
        {
            var phrase = string.Join(' ', words, 0, n);
            if (!catalogue.TryFindKeyword(phrase, out var keyword)) continue;

            var rest = string.Join(' ', words, n, words.Length - n);
            var command = WithArguments(keyword.Command, rest, today);
            return command is null
                ? NotUnderstood(input, normalised, [keyword.Command])
                : new Understanding(input, normalised, command, keyword.Match, keyword.Phrase, keyword.Language);
        }
        return NotUnderstood(input, normalised, []);
    }

    private static Understanding NotUnderstood(string input, string normalised, IReadOnlyList<string> suggestions) =>
        new(input, normalised, new Command.Unknown(suggestions), MatchKind.None, null, null);

    /// <summary>The command with its arguments read from the rest of the message, or null if they do not read.</summary>
    private static Command? WithArguments(string command, string rest, DateOnly today) => command switch
    {
        "bill" when rest.Length == 0 => new Command.Bill(null),
        "bill" => MonthGrammar.TryResolve(rest, today, out var month) ? new Command.Bill(month) : null,
        "plan" when rest.Length == 0 => new Command.Plan(),
        "plan" or "plan.change" => Read(PlanName, rest) is { } plan ? new Command.PlanChange(plan) : null,
        "lang" => Read(LanguageCode, rest) is { } lang ? new Command.Lang(lang) : null,
        "topup" => Read(Voucher, rest) is { } voucher ? new Command.TopUp(voucher) : null,
        _ when rest.Length > 0 => null,
        "balance" => new Command.Balance(),
        "usage" => new Command.Usage(),
        "confirm" => new Command.Confirm(),
        "cancel" => new Command.Cancel(),
        "help" => new Command.Help(),
        "stop" => new Command.Stop(),
        "start" => new Command.Start(),
        _ => null,
    };

    private static string? Read(Parser<string> parser, string text)
    {
        var result = parser.TryParse(text);
        return result.WasSuccessful ? result.Value : null;
    }
}
