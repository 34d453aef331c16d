using SmsHall.Core.Accounts;
using SmsHall.Core.Replies;

namespace SmsHall.Core.Grammar
{
    public abstract partial record Command
    {
        public sealed record Services : Command { public override string Name => "services"; }
    }
}

namespace SmsHall.Core.Commands.Services
{
    using SmsHall.Core.Grammar;

    /// <summary>
    /// SERVICES (0000, as China Mobile's query): the paid extras the subscriber has, numbered, each with
    /// its monthly price, and how to cancel one (CANCEL and its number).
    /// </summary>
    public sealed class ServicesCommand : BareCommand<Command.Services>, IPaged
    {
        public override string Name => "services";
        public override CommandKind Kind => CommandKind.Reads;

        // Its words are everyday words ("more", "history", "points", "services", "buy"): chatter holding them gets no "Did you mean".
        public override bool Suggested => false;

        public override IReadOnlyDictionary<string, string[]> Replies { get; } = new Dictionary<string, string[]>
        {
            ["services"] = ["services", "total", "more"],
            ["services.none"] = [],
            // One extra of the list, numbered for CANCEL <n>.
            ["services.item"] = ["n", "code", "name", "price"],
        };

        protected override Task<Outcome> HandleAsync(Command.Services command, HandlerContext ctx, CancellationToken ct) => PageAsync("", 0, ctx, ct);

        public async Task<Outcome> PageAsync(string args, int skip, HandlerContext ctx, CancellationToken ct)
        {
            var subscriptions = await ctx.Accounts.SubscriptionsAsync(ctx.Subscriber.Number, ct);
            if (subscriptions.Count == 0) return Outcome.Say("services.none").With(new AccountChange.ForgetList());
            var items = subscriptions.Select((s, i) => Item(i + 1, s.Extra, ctx)).ToList();
            return Lists.Fit("services", "services", items, skip, new ListPage(Name, "", 0), ctx,
                ("total", new Money(subscriptions.Sum(s => s.Extra.MonthlyFeeCents))));
        }

        /// <summary>An extra as the list shows it: "1 RBT Ringback tone $2.00".</summary>
        public static Reply Item(int n, Extra extra, HandlerContext ctx) =>
            Reply.Of("services.item", ("n", n), ("code", extra.Code), ("name", extra.NameIn(ctx.Language)), ("price", new Money(extra.MonthlyFeeCents)));
    }
}
