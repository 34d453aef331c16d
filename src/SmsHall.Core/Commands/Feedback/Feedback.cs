using SmsHall.Core.Ports;

namespace SmsHall.Core.Grammar
{
    public abstract partial record Command
    {
        /// <summary>A complaint: its <see cref="Text"/> is what follows the keyword, empty when nothing does.</summary>
        public sealed record Feedback(string Text) : Command
        {
            public override string Name => "feedback";
            public override IReadOnlyDictionary<string, object?> Args =>
                new Dictionary<string, object?> { ["text"] = Text.Length == 0 ? null : Text };
        }
    }
}

namespace SmsHall.Core.Commands.Feedback
{
    using SmsHall.Core.Grammar;

    /// <summary>
    /// "complaint: no signal at home since monday", "投诉 网速太慢": opens a ticket an operator answers
    /// from the console, and tells the subscriber its reference and when to expect the answer.
    /// </summary>
    public sealed class FeedbackCommand : CommandDefinition<Command.Feedback>
    {
        public override string Name => "feedback";

        // It opens a ticket, which a person then works on: a change, never offered to chatter as "did you mean".
        public override CommandKind Kind => CommandKind.Changes;

        public override bool Suggested => false;

        public override bool TakesText => true;

        public override IReadOnlyDictionary<string, string[]> Replies { get; } = new Dictionary<string, string[]>
        {
            ["feedback"] = ["ref", "hours"],
            ["feedback.empty"] = [],
        };

        public override IReadOnlyDictionary<string, int> Widths { get; } = new Dictionary<string, int> { ["hours"] = 3 };

        // Leading the message, the keyword takes the whole rest as the complaint, whatever its words.
        // Anywhere else ("so i aint complaining") it counts only alone (with filler): chatter often
        // holds the word, and a complaint is what a message begins with.
        public override (Command? Command, int Distance) Read(Arguments arguments) =>
            Exactly(arguments.FreeText || arguments.None ? new Command.Feedback(Joined(arguments.Words)) : null);

        // Chinese is written without spaces: the words the grammar cut it into are joined back without them.
        private static string Joined(IReadOnlyList<string> words)
        {
            var text = new System.Text.StringBuilder();
            foreach (var word in words)
            {
                if (text.Length > 0 && !(Text.TextNormaliser.IsHan(text[^1]) && Text.TextNormaliser.IsHan(word[0]))) text.Append(' ');
                text.Append(word);
            }
            return text.ToString();
        }

        protected override async Task<Outcome> HandleAsync(Command.Feedback command, HandlerContext ctx, CancellationToken ct)
        {
            // A bare "complaint" opens nothing: an empty ticket helps nobody, so the subscriber is asked what it is about.
            if (command.Text.Length == 0) return Outcome.Say("feedback.empty");
            return await NewTicket.OpenAsync(ctx, TicketKinds.Feedback, ("hours", ctx.Options.TicketAnswerHours), ct);
        }
    }
}
