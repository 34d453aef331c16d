using SmsHall.Core.Accounts;
using SmsHall.Core.Ports;

namespace SmsHall.Core.Commands;

/// <summary>
/// What FEEDBACK and AGENT share: a ticket opened with the message as it was written, under a
/// number reserved first so that the reply (the section named as the kind) can quote its reference.
/// </summary>
internal static class NewTicket
{
    public static async Task<Outcome> OpenAsync(HandlerContext ctx, string kind, (string Name, object Value) detail, CancellationToken ct)
    {
        var id = await ctx.Accounts.ReserveTicketAsync(ct);
        return Outcome.Say(kind, ("ref", Tickets.Reference(id)), detail)
            .With(new AccountChange.OpenTicket(id, kind, ctx.Message.Body.Trim(), ctx.Language));
    }
}
