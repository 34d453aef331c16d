using SmsHall.Core.Accounts;

namespace SmsHall.Core.Grammar
{
    public abstract partial record Command
    {
        public sealed record Stop : Command { public override string Name => "stop"; }
    }
}

namespace SmsHall.Core.Commands.Stop
{
    using SmsHall.Core.Grammar;

    /// <summary>STOP: the number opts out and hears nothing more until START.</summary>
    public sealed class StopCommand : BareCommand<Command.Stop>
    {
        public override string Name => "stop";
        public override CommandKind Kind => CommandKind.Subscription;

        public override IReadOnlyDictionary<string, string[]> Replies { get; } = new Dictionary<string, string[]>
        {
            ["stop"] = [],
        };

        protected override Task<Outcome> HandleAsync(Command.Stop command, HandlerContext ctx, CancellationToken ct) =>
            Task.FromResult(OptOut());

        public static Outcome OptOut() => Outcome.Say("stop").With(new AccountChange.SetOptedOut(true));
    }
}
