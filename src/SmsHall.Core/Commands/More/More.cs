namespace SmsHall.Core.Grammar
{
    public abstract partial record Command
    {
        public sealed record More : Command { public override string Name => "more"; }
    }
}

namespace SmsHall.Core.Commands.More
{
    using SmsHall.Core.Grammar;

    /// <summary>
    /// MORE: the next page of the last list shown in part (itemised records, payments, services, packs,
    /// rewards), which the list remembered in the database, so any node can answer it.
    /// </summary>
    public sealed class MoreCommand : BareCommand<Command.More>
    {
        public override string Name => "more";
        public override CommandKind Kind => CommandKind.Reads;

        // Its words are everyday words ("more", "history", "points", "services", "buy"): chatter holding them gets no "Did you mean".
        public override bool Suggested => false;

        public override IReadOnlyDictionary<string, string[]> Replies { get; } = new Dictionary<string, string[]>
        {
            // Ends a list cut short: how many are left and how to see them.
            ["more.rest"] = ["count"],
            ["more.none"] = [],
        };


        protected override async Task<Outcome> HandleAsync(Command.More command, HandlerContext ctx, CancellationToken ct)
        {
            var page = await ctx.Accounts.LastListAsync(ctx.Subscriber.Number, ct);
            return page is not null && CommandSet.Of(page.Command) is IPaged paged
                ? await paged.PageAsync(page.Args, page.Shown, ctx, ct)
                : Outcome.Say("more.none");
        }
    }
}
