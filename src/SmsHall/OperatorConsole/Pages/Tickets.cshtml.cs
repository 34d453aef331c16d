using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using SmsHall.Core;
using SmsHall.Core.Ports;
using SmsHall.Core.Replies;
using SmsHall.Outbox;
using SmsHall.Twilio;

namespace SmsHall.OperatorConsole.Pages;

/// <summary>
/// The ticket queue: complaints and callback requests by state, one ticket with its messages beside
/// the subscriber's recent messages (every purpose, with why it was sent). Editors assign a ticket to
/// themselves, answer it by SMS (through the outbox, logged like any reply) and close it.
/// </summary>
public sealed class TicketsModel(
    ITickets tickets, IAuditLog audit, TimeProvider clock, IOptions<TwilioOptions> twilio,
    IServiceProvider services) : PageModel
{
    public const int Top = 200;
    public const int Recent = 20;

    /// <summary>An answer is an SMS or a few: longer than this is a letter, not an answer.</summary>
    public const int MaxAnswer = 640;

    [BindProperty(SupportsGet = true)] public string? State { get; set; }

    public IReadOnlyList<Ticket> Queue { get; private set; } = [];
    public IReadOnlyDictionary<string, long> Counts { get; private set; } = new Dictionary<string, long>();
    public Ticket? Ticket { get; private set; }
    public IReadOnlyList<TicketMessage> Thread { get; private set; } = [];
    public IReadOnlyList<NumberMessage> Messages { get; private set; } = [];
    public string? Message { get; private set; }
    public string? Problem { get; private set; }

    /// <summary>Why answers cannot be sent from here, or null when they can.</summary>
    public string? CannotSend => twilio.Value.OwnMessagesProblem();

    public async Task<IActionResult> OnGetAsync(string? id, CancellationToken ct)
    {
        if (State is not null && !TicketStates.All.Contains(State))
            return await FailAsync(StatusCodes.Status400BadRequest, $"There is no state '{State}': it is one of {string.Join(", ", TicketStates.All)}.", null, ct);
        if (id is null) return await ShowAsync(null, ct);
        if (Tickets.Parse(id) is not { } number)
            return await FailAsync(StatusCodes.Status400BadRequest, $"'{id}' is no ticket reference (they read T1042).", null, ct);
        return await ShowAsync(number, ct);
    }

    public async Task<IActionResult> OnPostAssignAsync(string id, CancellationToken ct)
    {
        if (!User.CanEdit()) return Forbid();
        if (await FindAsync(id, ct) is not { } ticket) return await NoSuchTicketAsync(id, ct);
        if (!await tickets.AssignAsync(ticket.Id, User.Identity!.Name!, clock.GetUtcNow(), ct))
            return await FailAsync(StatusCodes.Status409Conflict, $"{ticket.Reference} is {ticket.State}: only open tickets are assigned.", ticket.Id, ct);
        await AuditAsync("ticket assigned", $"{ticket.Reference} to {User.Identity!.Name}", ct);
        Message = $"{ticket.Reference} is assigned to you.";
        return await ShowAsync(ticket.Id, ct);
    }

    public async Task<IActionResult> OnPostAnswerAsync(string id, string? answer, CancellationToken ct)
    {
        if (!User.CanEdit()) return Forbid();
        if (await FindAsync(id, ct) is not { } ticket) return await NoSuchTicketAsync(id, ct);
        if (CannotSend is { } cannot)
            return await FailAsync(StatusCodes.Status409Conflict, $"Nothing was sent: the gateway cannot send messages of its own ({cannot}).", ticket.Id, ct);
        var text = answer?.Trim() ?? "";
        if (text.Length is 0 or > MaxAnswer)
            return await FailAsync(StatusCodes.Status400BadRequest, $"Write an answer of 1 to {MaxAnswer} characters.", ticket.Id, ct);
        if (ticket.State == TicketStates.Closed)
            return await FailAsync(StatusCodes.Status409Conflict, $"{ticket.Reference} is closed: nothing was sent.", ticket.Id, ct);

        var now = clock.GetUtcNow();
        var (encoding, segments) = SmsSegments.Count(text);
        var reason = $"ticket {ticket.Reference}";
        var sms = new OutgoingMessage(ticket.Number, twilio.Value.From, Channel.Sms, new RenderedReply("answer", ticket.Language, text, encoding, segments),
            Purpose.Answer, reason, null, now);
        switch (await tickets.AnswerAsync(ticket.Id, User.Identity!.Name!, sms, ct))
        {
            case null:
                return await FailAsync(StatusCodes.Status409Conflict, $"{ticket.Reference} was closed meanwhile: nothing was sent.", ticket.Id, ct);
            case not QueueResult.Queued:
                return await FailAsync(StatusCodes.Status409Conflict, "Nothing was sent: the subscriber has opted out (STOP).", ticket.Id, ct);
        }
        services.GetService<OutboxSignal>()?.Notify();
        await AuditAsync("ticket answered", $"{ticket.Reference}: {text}", ct);
        Message = $"The answer to {ticket.Reference} is on its way ({segments} SMS).";
        return await ShowAsync(ticket.Id, ct);
    }

    public async Task<IActionResult> OnPostCloseAsync(string id, CancellationToken ct)
    {
        if (!User.CanEdit()) return Forbid();
        if (await FindAsync(id, ct) is not { } ticket) return await NoSuchTicketAsync(id, ct);
        if (!await tickets.CloseAsync(ticket.Id, clock.GetUtcNow(), ct))
            return await FailAsync(StatusCodes.Status409Conflict, $"{ticket.Reference} is closed already.", ticket.Id, ct);
        await AuditAsync("ticket closed", ticket.Reference, ct);
        Message = $"{ticket.Reference} is closed.";
        return await ShowAsync(ticket.Id, ct);
    }

    private async Task<Ticket?> FindAsync(string? id, CancellationToken ct) =>
        Tickets.Parse(id) is { } number ? await tickets.FindAsync(number, ct) : null;

    private Task<IActionResult> NoSuchTicketAsync(string? id, CancellationToken ct) =>
        FailAsync(StatusCodes.Status404NotFound, $"There is no ticket {id}.", null, ct);

    private Task AuditAsync(string action, string detail, CancellationToken ct) =>
        audit.RecordAsync(new AuditEntry(clock.GetUtcNow(), User.Identity!.Name, action, detail), ct);

    private async Task<IActionResult> FailAsync(int status, string problem, long? ticket, CancellationToken ct)
    {
        Problem = problem;
        Response.StatusCode = status;
        if (status == StatusCodes.Status400BadRequest && !TicketStates.All.Contains(State ?? TicketStates.Open)) State = null;
        return await ShowAsync(ticket, ct);
    }

    private async Task<IActionResult> ShowAsync(long? id, CancellationToken ct)
    {
        Queue = await tickets.ListAsync(State, Top, ct);
        Counts = await tickets.CountsAsync(ct);
        if (id is { } number)
        {
            Ticket = await tickets.FindAsync(number, ct);
            if (Ticket is null && Problem is null)
            {
                Problem = $"There is no ticket {Tickets.Reference(number)}.";
                Response.StatusCode = StatusCodes.Status404NotFound;
            }
        }
        if (Ticket is not null)
        {
            Thread = await tickets.MessagesAsync(Ticket.Id, ct);
            Messages = await tickets.RecentAsync(Ticket.Number, Recent, ct);
        }
        return Page();
    }
}
