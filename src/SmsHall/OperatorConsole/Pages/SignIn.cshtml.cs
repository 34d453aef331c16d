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
        // An empty box binds as null.
        if (string.IsNullOrWhiteSpace(Name) || string.IsNullOrEmpty(Password))
        {
            Problem = "Enter your name and your password.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        switch (await signIns.SignInAsync(Name, Password, ct))
        {
            case SignInResult.Success success:
                await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, ConsoleSetup.Principal(success.Account));
                return LocalRedirect(IsConsolePage(ReturnUrl) ? ReturnUrl! : "/console");
            default:
                // One answer for a wrong name, a wrong password and a locked account: which names exist stays unknown.
                var o = options.Value;
                Problem = $"Wrong name or password. ({o.MaxFailedSignIns} wrong passwords in a row lock an account for {o.LockoutMinutes} minutes.)";
                break;
        }
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Page();
    }

    /// <summary>Only a console page of this site; no control character, which the Location header would refuse.</summary>
    private bool IsConsolePage(string? url) =>
        url is not null && Url.IsLocalUrl(url) && !url.Any(char.IsControl)
        && (url == "/console" || url.StartsWith("/console/", StringComparison.Ordinal) || url.StartsWith("/console?", StringComparison.Ordinal));
}
