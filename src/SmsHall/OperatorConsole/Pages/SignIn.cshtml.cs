using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace SmsHall.OperatorConsole.Pages;

public sealed class SignInModel(SignIns signIns, IOptions<ConsoleOptions> options) : PageModel
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
            default:
                // One answer for a wrong name, a wrong password and a locked account: which names exist stays unknown.
                var o = options.Value;
                Problem = $"Wrong name or password. ({o.MaxFailedSignIns} wrong passwords in a row lock an account for {o.LockoutMinutes} minutes.)";
                break;
        }
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Page();
    }
}
