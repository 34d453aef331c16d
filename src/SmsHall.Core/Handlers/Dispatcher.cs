using SmsHall.Core.Grammar;

namespace SmsHall.Core.Handlers;

/// <summary>Sends each command to its handler.</summary>
public sealed class Dispatcher
{
    private readonly BalanceHandler _balance = new();
    private readonly UsageHandler _usage = new();
    private readonly BillHandler _bill = new();
    private readonly PlanHandler _plan = new();
    private readonly PlanChangeHandler _planChange = new();
    private readonly ConfirmHandler _confirm = new();
    private readonly CancelHandler _cancel = new();
    private readonly HelpHandler _help = new();
    private readonly StopHandler _stop = new();
    private readonly StartHandler _start = new();
    private readonly LangHandler _lang = new();
    private readonly TopUpHandler _topUp = new();
    private readonly UnknownHandler _unknown = new();

    public Task<Outcome> HandleAsync(Command command, HandlerContext ctx, CancellationToken ct) => command switch
    {
        Command.Balance => _balance.HandleAsync(ctx, ct),
        Command.Usage => _usage.HandleAsync(ctx, ct),
        Command.Bill bill => _bill.HandleAsync(bill, ctx, ct),
        Command.Plan => _plan.HandleAsync(ctx, ct),
        Command.PlanChange change => _planChange.HandleAsync(change, ctx, ct),
        Command.Confirm => _confirm.HandleAsync(ctx, ct),
        Command.Cancel cancel => _cancel.HandleAsync(cancel, ctx, ct),
        Command.Help => Task.FromResult(_help.Handle(ctx)),
        Command.Stop => Task.FromResult(_stop.Handle(ctx)),
        Command.Start => Task.FromResult(_start.Handle(ctx)),
        Command.Lang lang => Task.FromResult(_lang.Handle(lang, ctx)),
        Command.TopUp topUp => _topUp.HandleAsync(topUp, ctx, ct),
        Command.Unknown unknown => Task.FromResult(_unknown.Handle(unknown, ctx)),
        Command.Media => Task.FromResult(Outcome.Say("media")),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command.Name, "no handler"),
    };
}
