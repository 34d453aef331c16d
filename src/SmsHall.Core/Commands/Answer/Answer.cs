namespace SmsHall.Core.Grammar
{
    public abstract partial record Command
    {
        /// <summary>A canned answer an operator wrote in the catalogue (<c>## answer stolen</c>).</summary>
        public sealed record Answer(string Topic) : Command
        {
            public override string Name => "answer";
            public override IReadOnlyDictionary<string, object?> Args => new Dictionary<string, object?> { ["topic"] = Topic };
        }
    }
}

namespace SmsHall.Core.Commands.Answer
{
    using SmsHall.Core.Commands.Greeting;
    using SmsHall.Core.Grammar;

    /// <summary>
    /// Operator-defined answers: a section <c>## answer &lt;topic&gt;</c> in commands.md with keywords
    /// and a fixed reply per language, added without code (lost or stolen phone, roaming, PUK,
    /// customer care). Its reply may name the care number, the subscriber's name and plan.
    /// </summary>
    public sealed class AnswerCommand : CommandDefinition<Command.Answer>
    {
        public const string Prefix = "answer ";

        private static readonly string[] Placeholders = ["care", "name", "plan"];

        public override string Name => "answer";
        public override CommandKind Kind => CommandKind.Info;

        /// <summary>None of its own: every <c>answer</c> section brings one reply, its own.</summary>
        public override IReadOnlyDictionary<string, string[]> Replies { get; } = new Dictionary<string, string[]>();

        public override bool Describes(string section) => IsTopic(section);

        public override IReadOnlyCollection<string>? PlaceholdersOf(string key) => IsTopic(key) ? Placeholders : null;

        /// <summary>A topic is a word or a few, lower case: "answer stolen", "answer roaming".</summary>
        public static bool IsTopic(string section) =>
            section.StartsWith(Prefix, StringComparison.Ordinal) && section.Length > Prefix.Length
            && section[Prefix.Length..].All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_');

        public override (Command? Command, int Distance) Read(Arguments arguments) =>
            Exactly(arguments.None ? new Command.Answer(arguments.Section[Prefix.Length..]) : null);

        protected override Task<Outcome> HandleAsync(Command.Answer command, HandlerContext ctx, CancellationToken ct) =>
            Task.FromResult(Outcome.Say(Prefix + command.Topic,
                ("care", ctx.Options.CareNumber),
                ("name", GreetingCommand.FirstName(ctx.Subscriber.Name)),
                ("plan", ctx.Subscriber.PlanCode)));
    }
}
