using System.Security.Claims;

namespace SmsHall.OperatorConsole;

/// <summary>What the signed-in operator may see and do.</summary>
public static class ConsoleUser
{
    public static string RoleName(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Role) ?? "";

    public static bool CanEdit(this ClaimsPrincipal user) => user.IsInRole(ConsoleSetup.Editor) || user.IsInRole(ConsoleSetup.Admin);

    /// <summary>A subscriber's number as this operator may see it: viewers see it masked.</summary>
    public static string Number(this ClaimsPrincipal user, string? number) => user.CanEdit() ? number ?? "" : PhoneMask.Mask(number);

    /// <summary>A text that may quote a number (Twilio's error texts do), as this operator may see it.</summary>
    public static string Text(this ClaimsPrincipal user, string? text) => user.CanEdit() ? text ?? "" : PhoneMask.MaskNumbersIn(text);
}
