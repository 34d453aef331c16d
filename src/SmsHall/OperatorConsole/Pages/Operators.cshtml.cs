using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmsHall.Core.Ports;

namespace SmsHall.OperatorConsole.Pages;

/// <summary>Admins manage operator accounts here, and see the audit log of everything operators did.</summary>
[Authorize(Policy = ConsoleSetup.Admin)]
public sealed class OperatorsModel(IOperators operators, IAuditLog audit, SignIns signIns, TimeProvider clock) : PageModel
{
    public IReadOnlyList<OperatorAccount> Accounts { get; private set; } = [];
    public IReadOnlyList<AuditEntry> Audit { get; private set; } = [];
    public DateTimeOffset Now { get; private set; }
    public string? Message { get; private set; }
    public string? Problem { get; private set; }
    public string? OneTimePassword { get; private set; }
    public string? OneTimeFor { get; private set; }

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostAddAsync(string name, string role, CancellationToken ct)
    {
        name = (name ?? "").Trim().ToLowerInvariant();
        if (!TryRole(role, out var r)) return await ProblemAsync("Choose a role: viewer, editor or admin.", ct);
        if (SignIns.NameProblem(name) is { } bad) return await ProblemAsync(bad + ".", ct);
        var password = SignIns.OneTimePassword();
        if (!await signIns.AddAsync(name, r, password, oneTime: true, Me, ct)) return await ProblemAsync($"There is already an operator named {name}.", ct);
        (OneTimePassword, OneTimeFor) = (password, name);
        Message = $"{name} added as {role}.";
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRoleAsync(string name, string role, CancellationToken ct)
    {
        if (!TryRole(role, out var r)) return await ProblemAsync("Choose a role: viewer, editor or admin.", ct);
        if (!await operators.SetRoleAsync(name, r, ct)) return await ProblemAsync($"{name}'s role was not changed: there is no such operator, or they are the last admin.", ct);
        await AuditAsync("role changed", $"{name} is now {role}", ct);
        Message = $"{name} is now {role}.";
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostResetAsync(string name, CancellationToken ct)
    {
        var password = SignIns.OneTimePassword();
        if (!await signIns.ResetAsync(name, password, oneTime: true, Me, ct)) return await ProblemAsync($"There is no operator named {name}.", ct);
        (OneTimePassword, OneTimeFor) = (password, name);
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveAsync(string name, CancellationToken ct)
    {
        if (!await signIns.RemoveAsync(name, Me, ct)) return await ProblemAsync($"{name} was not removed: there is no such operator, or they are the last admin.", ct);
        Message = $"{name} removed.";
        await LoadAsync(ct);
        return Page();
    }

    private string Me => User.Identity!.Name!;

    private Task AuditAsync(string action, string detail, CancellationToken ct) => audit.RecordAsync(new AuditEntry(clock.GetUtcNow(), Me, action, detail), ct);

    private static bool TryRole(string? role, out OperatorRole r) => Enum.TryParse(role, ignoreCase: true, out r) && Enum.IsDefined(r) && !int.TryParse(role, out _);

    private async Task<IActionResult> ProblemAsync(string problem, CancellationToken ct)
    {
        Problem = problem;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Now = clock.GetUtcNow();
        Accounts = await operators.ListAsync(ct);
        Audit = await audit.RecentAsync(200, ct);
    }
}
