using SmsHall.Core.Grammar;
using SmsHall.Core.Replies;

namespace SmsHall.Core.Handlers;

public sealed class BillHandler
{
    public async Task<Outcome> HandleAsync(Command.Bill command, HandlerContext ctx, CancellationToken ct)
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
        return bill.PaidOn is { } paidOn
            ? Outcome.Say("bill.paid", ("period", bill.Period), ("total", new Money(bill.TotalCents)), ("lines", lines), ("paid_on", paidOn))
            : Outcome.Say("bill", ("period", bill.Period), ("total", new Money(bill.TotalCents)), ("lines", lines), ("due", bill.Due));
    }
}
