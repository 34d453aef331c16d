namespace SmsHall.Core.Grammar
{
    public abstract partial record Command
    {
        public sealed record Thanks : Command { public override string Name => "thanks"; }
    }
}

namespace SmsHall.Core.Commands.Thanks
{
    using SmsHall.Core.Grammar;

    /// <summary>"Thanks", "谢谢", "merci", "ممنون" as the whole message: a one-line acknowledgement.</summary>
    public sealed class ThanksCommand : BareCommand<Command.Thanks>
    {
        public override string Name => "thanks";
        public override CommandKind Kind => CommandKind.Courtesy;

        public override IReadOnlyDictionary<string, string[]> Replies { get; } = new Dictionary<string, string[]>
        {
            ["thanks"] = [],
        };

        protected override Task<Outcome> HandleAsync(Command.Thanks command, HandlerContext ctx, CancellationToken ct) =>
            Task.FromResult(Outcome.Say("thanks"));
    }
}
