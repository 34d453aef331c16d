using System.Collections.Frozen;
using System.Globalization;
using SmsHall.Core.Accounts;

namespace SmsHall.Core.Grammar
{
    public abstract partial record Command
    {
        public sealed record Lang(string Language) : Command
        {
            public override string Name => "lang";
            public override IReadOnlyDictionary<string, object?> Args => new Dictionary<string, object?> { ["lang"] = Language };
        }
    }
}

namespace SmsHall.Core.Commands.Lang
{
    using SmsHall.Core.Grammar;

    /// <summary>LANG FR: the language replies are written in from now on.</summary>
    public sealed class LangCommand : CommandDefinition<Command.Lang>
    {
        // The two-letter ISO 639-1 codes: LANG must name a language ("lang on" names none).
        private static readonly FrozenSet<string> Codes = CultureInfo.GetCultures(CultureTypes.NeutralCultures)
            .Select(c => c.TwoLetterISOLanguageName).Where(c => c.Length == 2).ToFrozenSet(StringComparer.Ordinal);

        public override string Name => "lang";
        public override CommandKind Kind => CommandKind.Changes;

        public override IReadOnlyDictionary<string, string[]> Replies { get; } = new Dictionary<string, string[]>
        {
            ["lang"] = ["lang"],
            ["lang.unavailable"] = ["lang", "languages"],
        };

        public override (Command? Command, int Distance) Read(Arguments arguments) =>
            Exactly(arguments.Words.Count == 1 && LanguageNames.Resolve(arguments.Words[0]) is { } lang && (LanguageNames.IsLanguageName(arguments.Words[0]) || Codes.Contains(lang))
                ? new Command.Lang(lang)
                : null);

        protected override Task<Outcome> HandleAsync(Command.Lang command, HandlerContext ctx, CancellationToken ct)
        {
            var lang = command.Language.ToLowerInvariant();
            return Task.FromResult(ctx.Catalogue.Languages.Contains(lang)
                ? Outcome.Say("lang", ("lang", lang.ToUpperInvariant())).With(new AccountChange.SetLanguage(lang)).In(lang)
                : Outcome.Say("lang.unavailable", ("lang", lang.ToUpperInvariant()),
                    ("languages", string.Join(", ", ctx.Catalogue.Languages.Select(l => l.ToUpperInvariant())))));
        }
    }
}
