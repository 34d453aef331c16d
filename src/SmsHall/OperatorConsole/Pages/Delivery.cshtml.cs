using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmsHall.Core.Ports;
using SmsHall.Outbox;

namespace SmsHall.OperatorConsole.Pages;

/// <summary>
/// Replies on their way and those that did not arrive: the outbox, failures and Twilio's error codes,
/// replies held for an operator (editors resend or drop them), and the numbers that opted out.
/// </summary>
public sealed class DeliveryModel(IOutbox outbox, IOperatorQueries queries, IAuditLog audit, TimeProvider clock, IServiceProvider services) : PageModel
{
    public const int Top = 100;

    /// <summary>How far back failures and error codes are counted.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(1);

    public OutboxStats Stats { get; private set; } = null!;
    public IReadOnlyList<HeldReply> Held { get; private set; } = [];
    public DeliveryReport Report { get; private set; } = null!;
    public DateTimeOffset Now { get; private set; }
    public string? Message { get; private set; }
    public string? Problem { get; private set; }

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostResendAsync(long id, CancellationToken ct)
    {
        if (!User.CanEdit()) return Forbid();
        if (!await outbox.ResendHeldAsync(id, clock.GetUtcNow(), ct)) return await NotHeldAsync(id, ct);
        await AuditAsync("reply resent", $"held reply {id}", ct);
        services.GetService<OutboxSignal>()?.Notify();
        Message = $"Reply {id} is sent again.";
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDropAsync(long id, CancellationToken ct)
    {
        if (!User.CanEdit()) return Forbid();
        if (!await outbox.DropHeldAsync(id, clock.GetUtcNow(), ct)) return await NotHeldAsync(id, ct);
        await AuditAsync("reply dropped", $"held reply {id}", ct);
        Message = $"Reply {id} is dropped: it will not be sent.";
        await LoadAsync(ct);
        return Page();
    }

    private Task AuditAsync(string action, string detail, CancellationToken ct) =>
        audit.RecordAsync(new AuditEntry(clock.GetUtcNow(), User.Identity!.Name, action, detail), ct);

    private async Task<IActionResult> NotHeldAsync(long id, CancellationToken ct)
    {
        Problem = $"Reply {id} is not held for a decision (any more): another operator may have acted on it.";
        Response.StatusCode = StatusCodes.Status404NotFound;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Now = clock.GetUtcNow();
        Stats = await outbox.StatsAsync(Now, ct);
        Held = await outbox.HeldAsync(ct);
        Report = await queries.DeliveryAsync(Now - Window, Top, ct);
    }
}
