using SmsHall.Core.Accounts;
using SmsHall.Core.Grammar;
using SmsHall.Core.Replies;

namespace SmsHall.Core.Commands;

/// <summary>
/// A command whose change waits for YES: it makes offers under its <see cref="Action"/>, and YES
/// (Confirm), NO (Cancel) and a puzzled message meanwhile (Unknown) find it by that action, so a new
/// kind of offer needs nothing of theirs to change.
/// </summary>
public interface IOffering
{
    /// <summary>The offer's action as stored with it (<see cref="PendingAction.Action"/>).</summary>
    string Action { get; }

    /// <summary>What YES in time does: the reply and the changes (Confirm adds taking the offer).</summary>
    Task<Outcome> ConfirmAsync(PendingAction offer, HandlerContext ctx, CancellationToken ct);

    /// <summary>YES after the offer expired: nothing was changed.</summary>
    Reply Expired(PendingAction offer);

    /// <summary>NO in time: nothing was changed.</summary>
    Reply Cancelled(PendingAction offer, HandlerContext ctx);

    /// <summary>Anything else while it waits: how to answer it.</summary>
    Reply Waiting(PendingAction offer);
}

/// <summary>
/// An offer of the self-service commands: its expired, cancelled and waiting replies are the shared
/// ones (<c>confirm.expired.offer</c>, <c>cancel.offer</c>, <c>unknown.waiting.offer</c>), each naming
/// the offer in the command's own words (<see cref="What"/>).
/// </summary>
public abstract class OfferingCommand<T> : CommandDefinition<T>, IOffering where T : Command
{
    public abstract string Action { get; }

    public abstract Task<Outcome> ConfirmAsync(PendingAction offer, HandlerContext ctx, CancellationToken ct);

    /// <summary>The offer in a few words, for the shared replies ("the data pack P1G").</summary>
    protected abstract Reply What(PendingAction offer);

    public Reply Expired(PendingAction offer) => Reply.Of("confirm.expired.offer", ("offer", What(offer)));

    public Reply Cancelled(PendingAction offer, HandlerContext ctx) => Reply.Of("cancel.offer", ("offer", What(offer)));

    public Reply Waiting(PendingAction offer) => Reply.Of("unknown.waiting.offer", ("offer", What(offer)));

    /// <summary>An offer of this command, made by the message being handled, open for the confirmation window.</summary>
    protected PendingAction Offer(string argument, HandlerContext ctx) =>
        new(ctx.Message.Sid, Action, argument, ctx.Now, ctx.Now + TimeSpan.FromMinutes(ctx.Options.ConfirmationMinutes));
}
