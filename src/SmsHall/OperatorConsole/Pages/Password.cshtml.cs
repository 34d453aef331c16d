using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmsHall.Core.Ports;

namespace SmsHall.OperatorConsole.Pages;

public sealed class PasswordModel(IOperators operators, IAuditLog audit, TimeProvider clock) : PageModel
{
    [BindProperty] public string Current { get; set; } = "";
    [BindProperty] public string Password { get; set; } = "";
    [BindProperty] public string Repeat { get; set; } = "";
    public string? Problem { get; private set; }
    public bool Saved { get; private set; }
    public bool MustChange => User.HasClaim(ConsoleSetup.MustChangeClaim, "true");

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var name = User.Identity!.Name!;
        var account = await operators.FindAsync(name, ct);
        if (account is null) return Forbid();
        // An empty box binds as null.
        (Current, Password, Repeat) = (Current ?? "", Password ?? "", Repeat ?? "");
        Problem = new PasswordHasher<string>().VerifyHashedPassword("", account.PasswordHash, Current) == PasswordVerificationResult.Failed
            ? "The current password is wrong."
            : Password != Repeat ? "The two new passwords differ."
            : Password == Current ? "The new password must differ from the current one."
            : SignIns.PasswordProblem(Password);
        if (Problem is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var hash = SignIns.Hash(Password);
        await operators.SetPasswordAsync(name, hash, mustChangePassword: false, ct);
        await audit.RecordAsync(new AuditEntry(clock.GetUtcNow(), name, "password changed", null), ct);
        // This session goes on with the new password's stamp; the account's other sessions end.
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, ConsoleSetup.Principal(account with { PasswordHash = hash, MustChangePassword = false }));
        if (account.MustChangePassword) return Redirect("/console");
        Saved = true;
        return Page();
    }
}
