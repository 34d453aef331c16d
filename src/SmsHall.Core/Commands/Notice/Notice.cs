namespace SmsHall.Core.Grammar
{
    public abstract partial record Command
    {
        /// <summary>
        /// A notice from the account (bill ready, balance low, …): the gateway sends it of its own
        /// accord (<see cref="Notices.NoticeRun"/>), so nothing a subscriber writes means it.
        /// </summary>
        public sealed record Notice : Command
        {
            public override string Name => "notice";
        }
    }
}

namespace SmsHall.Core.Commands.Notice
{
    using SmsHall.Core.Grammar;

    /// <summary>The catalogue's <c>notice</c> section: one reply per kind of notice, each saying how to stop that kind.</summary>
    public sealed class NoticeCommand : CommandDefinition<Command.Notice>
    {
        public override string Name => "notice";
        public override CommandKind Kind => CommandKind.NoKeywords;

        public override IReadOnlyDictionary<string, string[]> Replies { get; } = new Dictionary<string, string[]>
        {
            ["notice.bill-ready"] = ["period", "total", "due"],
            ["notice.bill-due"] = ["period", "total", "due"],
            ["notice.bill-overdue"] = ["period", "total", "due", "days"],
            ["notice.balance-low"] = ["balance"],
            ["notice.data-80"] = ["data_used", "data_allowance"],
            ["notice.data-100"] = ["data_allowance"],
            ["notice.points-expiring"] = ["points", "expires"],
        };

        public override (Command? Command, int Distance) Read(Arguments arguments) => Exactly(null);

        // Never asked for: a notice is written by the notice run, not as the answer to a message.
        protected override Task<Outcome> HandleAsync(Command.Notice command, HandlerContext ctx, CancellationToken ct) =>
            throw new InvalidOperationException("a notice answers no message");
    }
}
