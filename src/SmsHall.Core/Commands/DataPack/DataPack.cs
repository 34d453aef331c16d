using SmsHall.Core.Accounts;
using SmsHall.Core.Replies;

namespace SmsHall.Core.Grammar
{
    public abstract partial record Command
    {
        public sealed record DataPack : Command { public override string Name => "datapack"; }
    }
}

namespace SmsHall.Core.Commands.DataPack
{
    using SmsHall.Core.Commands.Usage;
    using SmsHall.Core.Grammar;

    /// <summary>DATA PACKS: the packs on sale, each with its size, price and validity, and how to buy one; with a size, that pack to buy.</summary>
    public sealed class DataPackCommand : CommandDefinition<Command.DataPack>, IPaged
    {
        public override string Name => "datapack";
        public override CommandKind Kind => CommandKind.Reads;

        // Its words are everyday words ("more", "history", "points", "services", "buy"): chatter holding them gets no "Did you mean".
        public override bool Suggested => false;

        // "data pack 1GB", "بسته اینترنت یک گیگ": a pack named is a pack to buy (asked YES first), as PLAN GOLD is a change.
        public override (Command? Command, int Distance) Read(Arguments arguments) =>
            arguments.None ? Exactly(new Command.DataPack())
            : Exactly(DataSizes.TryRead(arguments.Words, out var megabytes) ? new Command.DataPackBuy(DataSizes.Name(megabytes)) : null);

        public override IReadOnlyDictionary<string, string[]> Replies { get; } = new Dictionary<string, string[]>
        {
            ["datapack"] = ["packs", "more"],
            ["datapack.none"] = [],
            // One pack of the list.
            ["datapack.item"] = ["code", "size", "days", "price"],
        };

        protected override Task<Outcome> HandleAsync(Command.DataPack command, HandlerContext ctx, CancellationToken ct) => PageAsync("", 0, ctx, ct);

        public async Task<Outcome> PageAsync(string args, int skip, HandlerContext ctx, CancellationToken ct)
        {
            var packs = await ctx.Accounts.DataPacksAsync(ct);
            if (packs.Count == 0) return Outcome.Say("datapack.none").With(new AccountChange.ForgetList());
            return Lists.Fit("datapack", "packs", [.. packs.Select(Item)], skip, new ListPage(Name, "", 0), ctx);
        }

        public static Reply Item(Accounts.DataPack p) =>
            Reply.Of("datapack.item", ("code", p.Code), ("size", UsageCommand.Data(p.DataMb)), ("days", p.ValidDays), ("price", new Money(p.PriceCents)));

        /// <summary>Packs in a few language-free words, for a question inside another reply: "P1G 1 GB $5.00".</summary>
        public static string Short(IEnumerable<Accounts.DataPack> packs, HallOptions options) =>
            string.Join(", ", packs.Select(p => $"{p.Code} {UsageCommand.Data(p.DataMb)} {Format.Money(p.PriceCents, options)}"));
    }
}
