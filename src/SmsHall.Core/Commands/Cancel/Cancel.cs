using SmsHall.Core.Accounts;

namespace SmsHall.Core.Grammar
{
    public abstract partial record Command
    {
        /// <summary>NO to a waiting confirmation; <see cref="OrOptOut"/> (CANCEL) opts out when nothing is waiting.</summary>
        public sealed record Cancel(bool OrOptOut = false) : Command
        {
            private static readonly IReadOnlyDictionary<string, object?> OptOut = new Dictionary<string, object?> { ["optout"] = true };

            public Cancel() : this(false)
            {
            }

            public override string Name => "cancel";
            public override IReadOnlyDictionary<string, object?> Args => OrOptOut ? OptOut : NoArgs;
        }
    }
}

namespace SmsHall.Core.Commands.Cancel
{
    using SmsHall.Core.Commands.Stop;
    using SmsHall.Core.Grammar;

    /// <summary>
    /// NO: drops the pending offer. CANCEL, one of the standard opt-out words, does the same while an
    /// offer is waiting, and otherwise opts the number out.
    /// </summary>
    public sealed class CancelCommand : BareCommand<Command.Cancel>
    {
        public override string Name => "cancel";
        public override CommandKind Kind => CommandKind.Answer;

        public override IReadOnlyDictionary<string, string[]> Replies { get; } = new Dictionary<string, string[]>
        {
            ["cancel"] = ["plan"],
            ["cancel.nothing"] = [],
            ["cancel.topup"] = [],
            ["cancel.offer"] = ["offer"],
        };

        protected override async Task<Outcome> HandleAsync(Command.Cancel command, HandlerContext ctx, CancellationToken ct)
        {
            var pending = await ctx.Accounts.PendingAsync(ctx.Subscriber.Number, ct);
            var sentAfterOffer = pending is not null && pending.OfferedAt <= ctx.Message.ReceivedAt;
            var waiting = sentAfterOffer && ctx.Now < pending!.ExpiresAt;
            if (waiting)
            {
                var reply = CommandSet.Offering(pending!.Action)?.Cancelled(pending, ctx) ?? SmsHall.Core.Replies.Reply.Of("cancel.nothing");
                return new Outcome(reply, [new AccountChange.TakeOffer(pending.Id)]);
            }

            var outcome = command.OrOptOut ? StopCommand.OptOut() : Outcome.Say("cancel.nothing");
            return sentAfterOffer ? outcome.With(new AccountChange.TakeOffer(pending!.Id)) : outcome;
        }
    }
}
