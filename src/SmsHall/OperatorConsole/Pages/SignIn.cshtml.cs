using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace SmsHall.OperatorConsole.Pages;

public sealed class SignInModel(SignIns signIns, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    [BindProperty] public string Name { get; set; } = "";
    [BindProperty] public string Password { get; set; } = "";
    public string? Problem { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        switch (await signIns.SignInAsync(Name, Password, ct))
        {
            case SignInResult.Success success:
                await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, ConsoleSetup.Principal(success.Account));
                return LocalRedirect(ReturnUrl is { } url && url.StartsWith("/console", StringComparison.Ordinal) ? url : "/console");
            case SignInResult.Locked locked:
                var minutes = Math.Max(1, (int)Math.Ceiling((locked.Until - clock.GetUtcNow()).TotalMinutes));
                Problem = $"Too many wrong passwords: this account is locked for {minutes} more minute(s).";
                break;
            default:
                Problem = "Wrong name or password.";
                break;
        }
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Page();
    }
}
