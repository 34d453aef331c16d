using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmsHall.Core.Ports;

namespace SmsHall.OperatorConsole.Pages;

/// <summary>One message with all the log knows of it, and its subscriber's conversation around it.</summary>
public sealed class TraceModel(IOperatorQueries queries) : PageModel
{
    /// <summary>Messages of the number shown before and after the one traced.</summary>
    public const int Around = 5;

    public MessageTrace? Trace { get; private set; }
    public string Sid { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string sid, CancellationToken ct)
    {
        Sid = sid;
        Trace = await queries.TraceAsync(sid, Around, ct);
        if (Trace is null) Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }
}
