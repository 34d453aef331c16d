namespace SmsHall.Core.Grammar
{
    public abstract partial record Command
    {
        /// <summary>Not understood; <see cref="Suggestions"/> names the commands it came closest to (two at most).</summary>
        public sealed record Unknown(IReadOnlyList<string> Suggestions) : Command
        {
            public override string Name => "unknown";
        }
    }
}

namespace SmsHall.Core.Commands.Unknown
{
    using SmsHall.Core.Grammar;

    /// <summary>
    /// What was not understood: while an offer waits, a reminder of how to answer it (the offer
    /// stays); else a question when the message came close to one or two commands; else a short HELP.
    /// </summary>
    public sealed class UnknownCommand : CommandDefinition<Command.Unknown>
    {
        public override string Name => "unknown";
        public override CommandKind Kind => CommandKind.NoKeywords;

        public override IReadOnlyDictionary<string, string[]> Replies { get; } = new Dictionary<string, string[]>
        {
            ["unknown"] = ["commands", "care"],
            ["unknown.suggest"] = ["suggestion"],
            ["unknown.choose"] = ["first", "second"],
            ["unknown.waiting"] = ["plan"],
            ["unknown.waiting.topup"] = ["voucher"],
            ["unknown.waiting.offer"] = ["offer"],
        };

        public override (Command? Command, int Distance) Read(Arguments arguments) => Exactly(null);

        protected override async Task<Outcome> HandleAsync(Command.Unknown command, HandlerContext ctx, CancellationToken ct)
        {
            var pending = await ctx.Accounts.PendingAsync(ctx.Subscriber.Number, ct);
            if (pending is not null && pending.OfferedAt <= ctx.Message.ReceivedAt && ctx.Now < pending.ExpiresAt
                && CommandSet.Offering(pending.Action) is { } offering)
            {
                return new Outcome(offering.Waiting(pending), []);
            }

            var words = command.Suggestions.Select(c => ctx.Catalogue.Suggestion(c, ctx.Language)).Distinct().ToList();
            return words.Count switch
            {
                0 => Outcome.Say("unknown", ("commands", string.Join(", ", ctx.Catalogue.Usages(ctx.Language))), ("care", ctx.Options.CareNumber)),
                1 => Outcome.Say("unknown.suggest", ("suggestion", words[0])),
                _ => Outcome.Say("unknown.choose", ("first", words[0]), ("second", words[1])),
            };
        }
    }
}
