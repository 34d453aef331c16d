using SmsHall.Core.Accounts;
using SmsHall.Core.Replies;
using SmsHall.Core.Text;

namespace SmsHall.Core.Grammar
{
    public abstract partial record Command
    {
        /// <summary>Paid extras to cancel, as typed: numbers from the SERVICES list, codes or names (<c>["2"]</c>, <c>["彩铃"]</c>).</summary>
        public sealed record ServicesCancel(IReadOnlyList<string> Items) : Command
        {
            public override string Name => "services.cancel";
            public override IReadOnlyDictionary<string, object?> Args => new Dictionary<string, object?> { ["items"] = Items };

            public bool Equals(ServicesCancel? other) => other is not null && Items.SequenceEqual(other.Items);

            public override int GetHashCode() => Items.Count;
        }
    }
}

namespace SmsHall.Core.Commands.ServicesCancel
{
    using SmsHall.Core.Grammar;

    /// <summary>
    /// CANCEL 2, TD RBT, 取消彩铃, ANNULER 1: offers to cancel paid extras, naming each and the monthly
    /// saving; YES cancels them, now or at the end of the cycle as Hall:CancelExtrasAt says. The words
    /// are shared with NO and STOP (commands.md, section shared): alone they keep those meanings.
    /// </summary>
    public sealed class ServicesCancelCommand : OfferingCommand<Command.ServicesCancel>
    {
        public override string Name => "services.cancel";
        public override CommandKind Kind => CommandKind.Changes;

        // Its words are everyday words ("more", "history", "points", "services", "buy"): chatter holding them gets no "Did you mean".
        public override bool Suggested => false;
        public override string Action => "services.cancel";

        // "cancel my ringtone subscription", "取消彩铃业务": the word for services only names what is cancelled.
        public override IReadOnlyCollection<string> Absorbs { get; } = ["services"];

        public override IReadOnlyDictionary<string, string[]> Replies { get; } = new Dictionary<string, string[]>
        {
            ["services.cancel"] = ["chosen", "saving", "effective", "minutes"],
            ["services.cancel.how"] = [],
            ["services.cancel.unknown"] = ["item"],
            ["services.cancel.done"] = ["chosen", "effective"],
            ["services.cancel.what"] = ["chosen"],
            // One extra an offer names.
            ["services.cancel.item"] = ["code", "name", "price"],
        };

        public override (Command? Command, int Distance) Read(Arguments arguments)
        {
            if (arguments.None) return Exactly(arguments.NeedsArgument ? null : new Command.ServicesCancel([]));
            var items = new List<string>();
            var words = arguments.Words;
            for (var i = 0; i < words.Count;)
            {
                if (int.TryParse(words[i], out var n) && n is >= 1 and <= 99 && words[i] == n.ToString(System.Globalization.CultureInfo.InvariantCulture))
                {
                    items.Add(words[i++]);
                    continue;
                }
                // Chinese names come in pieces the tokeniser does not know ("彩","铃"): read the run whole.
                var han = words.Skip(i).TakeWhile(w => w.All(TextNormaliser.IsHan)).Count();
                if (han > 0)
                {
                    if (!SplitNames(string.Concat(words.Skip(i).Take(han)), arguments.Names, items)) return Exactly(null);
                    i += han;
                    continue;
                }
                var taken = NameAt(words, i, arguments);
                if (taken == 0) return Exactly(null);
                items.Add(string.Join(' ', words.Skip(i).Take(taken)));
                i += taken;
            }
            return Exactly(new Command.ServicesCancel(items));
        }

        // The most words from i that together name an extra; with no names known (parse without a
        // database), a code-like word that is no real word, as typed, for the handler to check.
        private static int NameAt(IReadOnlyList<string> words, int i, Arguments arguments)
        {
            for (var n = Math.Min(arguments.Names.LongestExtra, words.Count - i); n >= 1; n--)
            {
                if (arguments.Names.Extras.Contains(string.Join(' ', words.Skip(i).Take(n)))) return n;
            }
            var word = words[i];
            return arguments.Names.Extras.Count == 0 && word.Length <= 12 && word.All(char.IsAsciiLetterOrDigit) && !arguments.IsWord(word) ? 1 : 0;
        }

        // "彩铃新闻": known names one after another, longest first.
        private static bool SplitNames(string run, KnownNames names, List<string> items)
        {
            while (run.Length > 0)
            {
                var length = Enumerable.Range(1, run.Length).Reverse().FirstOrDefault(l => names.Extras.Contains(run[..l]));
                if (length == 0) return false;
                items.Add(run[..length]);
                run = run[length..];
            }
            return true;
        }

        protected override async Task<Outcome> HandleAsync(Command.ServicesCancel command, HandlerContext ctx, CancellationToken ct)
        {
            if (command.Items.Count == 0) return Outcome.Say("services.cancel.how");
            var subscriptions = await ctx.Accounts.SubscriptionsAsync(ctx.Subscriber.Number, ct);
            if (subscriptions.Count == 0) return Outcome.Say("services.none");

            var chosen = new List<Extra>();
            foreach (var item in command.Items)
            {
                var extra = int.TryParse(item, out var n)
                    ? n >= 1 && n <= subscriptions.Count ? subscriptions[n - 1].Extra : null
                    : subscriptions.Select(s => s.Extra).FirstOrDefault(e => Names(e).Contains(KnownNames.Key(item)));
                if (extra is null) return Outcome.Say("services.cancel.unknown", ("item", item));
                if (!chosen.Contains(extra)) chosen.Add(extra);
            }
            var offer = Offer(string.Join(',', chosen.Select(e => e.Code)), ctx);
            return Outcome.Say("services.cancel",
                    ("chosen", Chosen(chosen, ctx)),
                    ("saving", new Money(chosen.Sum(e => e.MonthlyFeeCents))),
                    ("effective", EndsOn(ctx)),
                    ("minutes", ctx.Options.ConfirmationMinutes))
                .With(new AccountChange.Offer(offer));
        }

        public override async Task<Outcome> ConfirmAsync(PendingAction offer, HandlerContext ctx, CancellationToken ct)
        {
            var codes = offer.Argument.Split(',');
            var subscribed = (await ctx.Accounts.SubscriptionsAsync(ctx.Subscriber.Number, ct)).Select(s => s.Extra).ToList();
            var chosen = codes.Select(code => subscribed.FirstOrDefault(e => e.Code == code)).ToList();
            // Cancelled meanwhile (by another message, or an operator): the offer no longer says what YES would do.
            if (chosen.Any(e => e is null)) return new Outcome(Expired(offer), []);
            var endsOn = EndsOn(ctx);
            return Outcome.Say("services.cancel.done", ("chosen", Chosen(chosen!, ctx)), ("effective", endsOn))
                .With(new AccountChange.CancelExtras(codes, ctx.Today, endsOn));
        }

        protected override Reply What(PendingAction offer) => Reply.Of("services.cancel.what", ("chosen", offer.Argument.Replace(",", ", ")));

        // The day the extras stop: today, or the last day of the cycle (cycles are calendar months).
        private static DateOnly EndsOn(HandlerContext ctx) =>
            ctx.Options.CancelExtrasAtCycleEnd ? YearMonth.Of(ctx.Today).AddMonths(1).FirstDay.AddDays(-1) : ctx.Today;

        private static string Chosen(IEnumerable<Extra> extras, HandlerContext ctx) =>
            Lists.Join(extras.Select(e => Reply.Of("services.cancel.item", ("code", e.Code), ("name", e.NameIn(ctx.Language)), ("price", new Money(e.MonthlyFeeCents)))), ctx);

        private static IEnumerable<string> Names(Extra extra) => extra.Names.Select(n => KnownNames.Key(n.Name)).Prepend(KnownNames.Key(extra.Code));
    }
}
