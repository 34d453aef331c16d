using SmsHall.Core.Accounts;
using SmsHall.Core.Replies;

namespace SmsHall.Core.Grammar
{
    public abstract partial record Command
    {
        public sealed record Payments : Command { public override string Name => "payments"; }
    }
}

namespace SmsHall.Core.Commands.Payments
{
    using SmsHall.Core.Grammar;

    /// <summary>PAYMENTS: the latest payments and top-ups, newest first: date, amount and how (voucher, card, shop, SMS).</summary>
    public sealed class PaymentsCommand : BareCommand<Command.Payments>, IPaged
    {
        public override string Name => "payments";
        public override CommandKind Kind => CommandKind.Reads;

        // Its words are everyday words ("more", "history", "points", "services", "buy"): chatter holding them gets no "Did you mean".
        public override bool Suggested => false;

        public override IReadOnlyDictionary<string, string[]> Replies { get; } = new Dictionary<string, string[]>
        {
            ["payments"] = ["payments", "more"],
            ["payments.none"] = [],
            // One payment of the list, in the words of its channel.
            ["payments.voucher"] = ["date", "amount"],
            ["payments.card"] = ["date", "amount"],
            ["payments.shop"] = ["date", "amount"],
            ["payments.sms"] = ["date", "amount"],
        };

        protected override Task<Outcome> HandleAsync(Command.Payments command, HandlerContext ctx, CancellationToken ct) => PageAsync("", 0, ctx, ct);

        public async Task<Outcome> PageAsync(string args, int skip, HandlerContext ctx, CancellationToken ct)
        {
            var payments = await ctx.Accounts.PaymentsAsync(ctx.Subscriber.Number, ct);
            if (payments.Count == 0) return Outcome.Say("payments.none");
            var items = payments.Select(p => Reply.Of($"payments.{p.Channel}", ("date", p.On), ("amount", new Money(p.AmountCents)))).ToList();
            return Lists.Fit("payments", "payments", items, skip, new ListPage(Name, "", 0), ctx);
        }
    }
}
