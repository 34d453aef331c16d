using SmsHall.Core.Accounts;
using SmsHall.Core.Replies;

namespace SmsHall.Core.Grammar
{
    public abstract partial record Command
    {
        /// <summary>A data pack to buy: a size ("1GB", "500MB") or a pack code; null when none was named.</summary>
        public sealed record DataPackBuy(string? Pack) : Command
        {
            public override string Name => "datapack.buy";
            public override IReadOnlyDictionary<string, object?> Args => new Dictionary<string, object?> { ["pack"] = Pack };
        }
    }
}

namespace SmsHall.Core.Commands.DataPackBuy
{
    using SmsHall.Core.Commands.DataPack;
    using SmsHall.Core.Commands.Usage;
    using SmsHall.Core.Grammar;

    /// <summary>
    /// BUY 1GB, 订流量包1G, ACHETER 1 GO, بسته اینترنت یک گیگ: offers a data pack, naming its price and how
    /// it is paid (the prepaid balance, or the next bill); YES buys it. Not enough balance is explained
    /// with how to top up. The offer remembers the price, so YES never pays a price it did not name.
    /// </summary>
    public sealed class DataPackBuyCommand : OfferingCommand<Command.DataPackBuy>
    {
        public override string Name => "datapack.buy";
        public override CommandKind Kind => CommandKind.Changes;

        // Its words are everyday words ("more", "history", "points", "services", "buy"): chatter holding them gets no "Did you mean".
        public override bool Suggested => false;
        public override string Action => "datapack.buy";

        // "buy 1GB data", "buy a 1GB data pack": the words for data and for packs only name what is bought.
        public override IReadOnlyCollection<string> Absorbs { get; } = ["usage", "datapack"];

        public override IReadOnlyDictionary<string, string[]> Replies { get; } = new Dictionary<string, string[]>
        {
            ["datapack.buy"] = ["pack", "size", "days", "price", "balance", "minutes"],
            ["datapack.buy.postpaid"] = ["pack", "size", "days", "price", "minutes"],
            ["datapack.buy.short"] = ["pack", "price", "balance"],
            ["datapack.buy.which"] = ["sizes"],
            ["datapack.buy.unknown"] = ["pack", "sizes"],
            ["datapack.buy.done"] = ["pack", "size", "until", "balance"],
            ["datapack.buy.done.postpaid"] = ["pack", "size", "until", "price"],
            ["datapack.buy.what"] = ["pack"],
        };

        public override (Command? Command, int Distance) Read(Arguments arguments)
        {
            if (arguments.None) return Exactly(arguments.NeedsArgument ? null : new Command.DataPackBuy(null));
            return Exactly(ProductArguments.Read(arguments, arguments.Names.Packs) is { } pack ? new Command.DataPackBuy(pack) : null);
        }

        protected override async Task<Outcome> HandleAsync(Command.DataPackBuy command, HandlerContext ctx, CancellationToken ct)
        {
            var packs = await ctx.Accounts.DataPacksAsync(ct);
            if (command.Pack is null) return Outcome.Say("datapack.buy.which", ("sizes", DataPackCommand.Short(packs, ctx.Options)));
            var matching = packs.Where(p => Names(p, command.Pack)).ToList();
            if (matching.Count == 0) return Outcome.Say("datapack.buy.unknown", ("pack", command.Pack), ("sizes", DataPackCommand.Short(packs, ctx.Options)));
            // Two packs of that size (a week's and a month's): asked which, never guessed.
            if (matching.Count > 1) return Outcome.Say("datapack.buy.which", ("sizes", DataPackCommand.Short(matching, ctx.Options)));

            var pack = matching[0];
            var s = ctx.Subscriber;
            if (!s.Postpaid && s.BalanceCents < pack.PriceCents)
                return Outcome.Say("datapack.buy.short", ("pack", pack.Code), ("price", new Money(pack.PriceCents)), ("balance", new Money(s.BalanceCents)));
            var offer = new AccountChange.Offer(Offer(ProductArguments.Offer(pack.Code, pack.PriceCents), ctx));
            var about = new (string, object)[] { ("pack", pack.Code), ("size", UsageCommand.Data(pack.DataMb)), ("days", pack.ValidDays), ("price", new Money(pack.PriceCents)), ("minutes", ctx.Options.ConfirmationMinutes) };
            return s.Postpaid
                ? Outcome.Say("datapack.buy.postpaid", about).With(offer)
                : Outcome.Say("datapack.buy", [.. about, ("balance", new Money(s.BalanceCents))]).With(offer);
        }

        public override async Task<Outcome> ConfirmAsync(PendingAction offer, HandlerContext ctx, CancellationToken ct)
        {
            var (code, price) = ProductArguments.Of(offer);
            var pack = (await ctx.Accounts.DataPacksAsync(ct)).FirstOrDefault(p => p.Code == code);
            // Withdrawn or repriced since the offer: YES would not buy what was named.
            if (pack is null || pack.PriceCents != price) return new Outcome(Expired(offer), []);

            var s = ctx.Subscriber;
            var until = ctx.Today.AddDays(pack.ValidDays);
            var data = new AccountChange.AddData("pack", pack.Code, pack.DataMb, until);
            if (s.Postpaid)
            {
                return Outcome.Say("datapack.buy.done.postpaid", ("pack", pack.Code), ("size", UsageCommand.Data(pack.DataMb)), ("until", until), ("price", new Money(price)))
                    .With(new AccountChange.AddToNextBill($"Data pack {pack.Code}", price), data);
            }
            // The money may have gone meanwhile (another purchase): checked again now, and guarded at commit.
            if (s.BalanceCents < price)
                return Outcome.Say("datapack.buy.short", ("pack", pack.Code), ("price", new Money(price)), ("balance", new Money(s.BalanceCents)));
            return Outcome.Say("datapack.buy.done", ("pack", pack.Code), ("size", UsageCommand.Data(pack.DataMb)), ("until", until), ("balance", new Money(s.BalanceCents - price)))
                .With(new AccountChange.MoveBalance(-price, s.BalanceCents), data);
        }

        protected override Reply What(PendingAction offer) => Reply.Of("datapack.buy.what", ("pack", ProductArguments.Of(offer).Code));

        // A pack named by its code or by its size ("1GB").
        private static bool Names(Accounts.DataPack pack, string named) =>
            pack.Code.Equals(named, StringComparison.OrdinalIgnoreCase) || DataSizes.Name(pack.DataMb) == named;
    }
}
