using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmsHall.Core.Ports;

namespace SmsHall.OperatorConsole.Pages;

/// <summary>What subscribers write most that the hall did not understand, each a click from becoming an alias.</summary>
public sealed class NotUnderstoodModel(IOperatorQueries queries, TimeProvider clock) : PageModel
{
    public const int Top = 100;

    [BindProperty(SupportsGet = true)] public int Days { get; set; } = 7;

    public IReadOnlyList<UnmatchedMessage> Messages { get; private set; } = [];
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid || Days is < 1 or > 365)
        {
            Problem = "Days must be a number from 1 to 365.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        Messages = await queries.UnmatchedAsync(clock.GetUtcNow().AddDays(-Days), Top, ct);
        return Page();
    }

    /// <summary>The catalogue editor with the text filled in as an alias of the closest command (if any).</summary>
    public static string AliasLink(UnmatchedMessage m) =>
        "/console/catalogue" + QueryString.Create(new Dictionary<string, string?> { ["alias"] = m.Normalised, ["command"] = m.Suggestions.FirstOrDefault() }
            .Where(p => p.Value is not null)).ToUriComponent();
}
