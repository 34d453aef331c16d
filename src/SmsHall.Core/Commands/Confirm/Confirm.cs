using SmsHall.Core.Accounts;

namespace SmsHall.Core.Grammar
{
    public abstract partial record Command
    {
        public sealed record Confirm : Command { public override string Name => "confirm"; }
    }
}

namespace SmsHall.Core.Commands.Confirm
{
    using SmsHall.Core.Grammar;

    /// <summary>YES: applies the pending offer if there is one and it has not expired.</summary>
    public sealed class ConfirmCommand : BareCommand<Command.Confirm>
    {
        public override string Name => "confirm";
        public override CommandKind Kind => CommandKind.Answer;

        public override IReadOnlyDictionary<string, string[]> Replies { get; } = new Dictionary<string, string[]>
        {
            ["confirm.plan"] = ["plan", "effective"],
            ["confirm.expired"] = ["plan"],
            ["confirm.expired.topup"] = ["voucher"],
            ["confirm.expired.offer"] = ["offer"],
            ["confirm.nothing"] = [],
        };

        protected override async Task<Outcome> HandleAsync(Command.Confirm command, HandlerContext ctx, CancellationToken ct)
        {
            var pending = await ctx.Accounts.PendingAsync(ctx.Subscriber.Number, ct);
            // An offer made after this YES was sent is not what the subscriber said yes to.
            if (pending is null || pending.OfferedAt > ctx.Message.ReceivedAt) return Outcome.Say("confirm.nothing");

            var take = new AccountChange.TakeOffer(pending.Id);
            // An offer this version does not know how to apply is dropped, never guessed at.
            if (CommandSet.Offering(pending.Action) is not { } offering) return Outcome.Say("confirm.nothing").With(take);
            if (ctx.Now >= pending.ExpiresAt) return new Outcome(offering.Expired(pending), [take]);
            return (await offering.ConfirmAsync(pending, ctx, ct)).With(take);
        }
    }
}
