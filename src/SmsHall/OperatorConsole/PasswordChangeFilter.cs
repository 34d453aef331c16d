using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc;

namespace SmsHall.OperatorConsole;

/// <summary>An operator signed in with a one-time password sets their own before anything else.</summary>
internal sealed class PasswordChangeFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var page = context.ActionDescriptor.ViewEnginePath;
        if (context.HttpContext.User.HasClaim(ConsoleSetup.MustChangeClaim, "true") && page is not ("/Password" or "/SignOut" or "/SignIn" or "/Denied"))
        {
            context.Result = new RedirectResult("/console/password");
            return Task.CompletedTask;
        }
        return next();
    }
}
