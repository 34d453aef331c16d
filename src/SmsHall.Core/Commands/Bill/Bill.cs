using SmsHall.Core.Accounts;
using SmsHall.Core.Replies;

namespace SmsHall.Core.Grammar
{
    public abstract partial record Command
    {
        /// <summary>A month's bill; no period means the latest closed one.</summary>
        public sealed record Bill(YearMonth? Period) : Command
        {
            public override string Name => "bill";
            public override IReadOnlyDictionary<string, object?> Args =>
                new Dictionary<string, object?> { ["period"] = Period?.ToString() };
        }
    }
}

namespace SmsHall.Core.Commands.Bill
{
    using SmsHall.Core.Grammar;

    /// <summary>BILL [month]: a month's bill, the latest when no month is named.</summary>
    public sealed class BillCommand : CommandDefinition<Command.Bill>
    {
        public override string Name => "bill";
        public override CommandKind Kind => CommandKind.Reads;

        public override IReadOnlyDictionary<string, string[]> Replies { get; } = new Dictionary<string, string[]>
        {
            ["bill"] = ["period", "total", "lines", "due"],
            ["bill.overdue"] = ["period", "total", "lines", "due", "days"],
            ["bill.paid"] = ["period", "total", "lines", "paid_on"],
            ["bill.missing"] = ["period", "periods"],
            ["bill.none"] = [],
        };

        public override (Command? Command, int Distance) Read(Arguments arguments) =>
            arguments.None ? Exactly(new Command.Bill(null))
            : Exactly(MonthGrammar.TryResolve(arguments.Words.ToList(), arguments.Today, out var month) ? new Command.Bill(month) : null);

        protected override async Task<Outcome> HandleAsync(Command.Bill command, HandlerContext ctx, CancellationToken ct)
        {
            var number = ctx.Subscriber.Number;
            var periods = await ctx.Accounts.BillPeriodsAsync(number, ct);
            if (periods.Count == 0) return Outcome.Say("bill.none");

            var period = command.Period ?? periods[0];
            var bill = periods.Contains(period) ? await ctx.Accounts.BillAsync(number, period, ct) : null;
            if (bill is null)
            {
                return Outcome.Say("bill.missing",
                    ("period", period),
                    ("periods", string.Join(", ", periods.Select(p => p.ToString()))));
            }

            var lines = string.Join(", ", bill.Lines.Select(l => $"{l.Description} {Format.Money(l.AmountCents, ctx.Options)}"));
            (string, object)[] about = [("period", bill.Period), ("total", new Money(bill.TotalCents)), ("lines", lines)];
            if (bill.PaidOn is { } paidOn) return Outcome.Say("bill.paid", [.. about, ("paid_on", paidOn)]);
            var late = ctx.Today.DayNumber - bill.Due.DayNumber;
            return late > 0
                ? Outcome.Say("bill.overdue", [.. about, ("due", bill.Due), ("days", late)])
                : Outcome.Say("bill", [.. about, ("due", bill.Due)]);
        }
    }
}
