namespace SmsHall.Core.Grammar
{
    public abstract partial record Command
    {
        /// <summary>
        /// Media with no text (a picture, a voice note): answered with the catalogue's <c>media</c>
        /// reply. Nothing a subscriber writes means it, so it has no keywords.
        /// </summary>
        public sealed record Media : Command
        {
            public override string Name => "media";
        }
    }
}

namespace SmsHall.Core.Commands.Media
{
    using SmsHall.Core.Grammar;

    /// <summary>A picture or voice note with no text: we can only read text.</summary>
    public sealed class MediaCommand : CommandDefinition<Command.Media>
    {
        public override string Name => "media";
        public override CommandKind Kind => CommandKind.NoKeywords;

        public override IReadOnlyDictionary<string, string[]> Replies { get; } = new Dictionary<string, string[]>
        {
            ["media"] = [],
        };

        public override (Command? Command, int Distance) Read(Arguments arguments) => Exactly(null);

        protected override Task<Outcome> HandleAsync(Command.Media command, HandlerContext ctx, CancellationToken ct) =>
            Task.FromResult(Outcome.Say("media"));
    }
}
