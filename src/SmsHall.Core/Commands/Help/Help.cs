namespace SmsHall.Core.Grammar
{
    public abstract partial record Command
    {
        public sealed record Help : Command { public override string Name => "help"; }
    }
}

namespace SmsHall.Core.Commands.Help
{
    using SmsHall.Core.Grammar;

    /// <summary>HELP (or a lone "?"): the usage lines of every command, in one SMS.</summary>
    public sealed class HelpCommand : BareCommand<Command.Help>
    {
        public override string Name => "help";
        public override CommandKind Kind => CommandKind.Reads;

        public override IReadOnlyDictionary<string, string[]> Replies { get; } = new Dictionary<string, string[]>
        {
            ["help"] = ["commands"],
        };

        protected override Task<Outcome> HandleAsync(Command.Help command, HandlerContext ctx, CancellationToken ct) =>
            Task.FromResult(Outcome.Say("help", ("commands", string.Join(", ", ctx.Catalogue.Usages(ctx.Language)))));
    }
}
