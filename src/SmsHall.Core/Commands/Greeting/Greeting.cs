namespace SmsHall.Core.Grammar
{
    public abstract partial record Command
    {
        public sealed record Greeting : Command { public override string Name => "greeting"; }
    }
}

namespace SmsHall.Core.Commands.Greeting
{
    using SmsHall.Core.Grammar;

    /// <summary>
    /// "Hi", "你好", "bonjour", "سلام" as the whole message: a friendly one-line help. Around a
    /// command ("hi, my balance please") a greeting is mere filler.
    /// </summary>
    public sealed class GreetingCommand : BareCommand<Command.Greeting>
    {
        public override string Name => "greeting";
        public override CommandKind Kind => CommandKind.Courtesy;

        public override IReadOnlyDictionary<string, string[]> Replies { get; } = new Dictionary<string, string[]>
        {
            ["greeting"] = ["name"],
        };

        protected override Task<Outcome> HandleAsync(Command.Greeting command, HandlerContext ctx, CancellationToken ct) =>
            Task.FromResult(Outcome.Say("greeting", ("name", FirstName(ctx.Subscriber.Name))));

        /// <summary>The name a subscriber is greeted by: the first word of the account's name.</summary>
        public static string FirstName(string name) => name.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
    }
}
