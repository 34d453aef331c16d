using SmsHall.Core.Accounts;

namespace SmsHall.Core.Grammar
{
    public abstract partial record Command
    {
        public sealed record Start : Command { public override string Name => "start"; }
    }
}

namespace SmsHall.Core.Commands.Start
{
    using SmsHall.Core.Grammar;

    /// <summary>START: an opted-out number opts back in.</summary>
    public sealed class StartCommand : BareCommand<Command.Start>
    {
        public override string Name => "start";
        public override CommandKind Kind => CommandKind.Subscription;

        public override IReadOnlyDictionary<string, string[]> Replies { get; } = new Dictionary<string, string[]>
        {
            ["start"] = [],
        };

        protected override Task<Outcome> HandleAsync(Command.Start command, HandlerContext ctx, CancellationToken ct) =>
            Task.FromResult(Outcome.Say("start").With(new AccountChange.SetOptedOut(false)));
    }
}
