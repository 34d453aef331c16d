using SmsHall.Core.Accounts;
using SmsHall.Core.Grammar;

namespace SmsHall.Core.Handlers;

public sealed class HelpHandler
{
    public Outcome Handle(HandlerContext ctx) =>
        Outcome.Say("help", ("commands", string.Join(", ", ctx.Catalogue.Usages(ctx.Language))));
}

public sealed class StopHandler
{
    public Outcome Handle(HandlerContext ctx) => OptOut();

    public static Outcome OptOut() => Outcome.Say("stop").With(new AccountChange.SetOptedOut(true));
}

public sealed class StartHandler
{
    public Outcome Handle(HandlerContext ctx) => Outcome.Say("start").With(new AccountChange.SetOptedOut(false));
}

public sealed class LangHandler
{
    public Outcome Handle(Command.Lang command, HandlerContext ctx)
    {
        var lang = command.Language.ToLowerInvariant();
        return ctx.Catalogue.Languages.Contains(lang)
            ? Outcome.Say("lang", ("lang", lang.ToUpperInvariant())).With(new AccountChange.SetLanguage(lang)).In(lang)
            : Outcome.Say("lang.unavailable", ("lang", lang.ToUpperInvariant()),
                ("languages", string.Join(", ", ctx.Catalogue.Languages.Select(l => l.ToUpperInvariant()))));
    }
}

/// <summary>What was not understood: a question when the message came close to one or two commands, else a short HELP.</summary>
public sealed class UnknownHandler
{
    public Outcome Handle(Command.Unknown command, HandlerContext ctx)
    {
        var words = command.Suggestions.Select(c => ctx.Catalogue.Suggestion(c, ctx.Language)).Distinct().ToList();
        return words.Count switch
        {
            0 => Outcome.Say("unknown", ("commands", string.Join(", ", ctx.Catalogue.Usages(ctx.Language)))),
            1 => Outcome.Say("unknown.suggest", ("suggestion", words[0])),
            _ => Outcome.Say("unknown.choose", ("first", words[0]), ("second", words[1])),
        };
    }
}
