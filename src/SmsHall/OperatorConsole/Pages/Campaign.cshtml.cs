using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using SmsHall.Core;
using SmsHall.Core.Campaigns;
using SmsHall.Core.Catalogue;
using SmsHall.Core.Ports;
using SmsHall.Core.Replies;
using SmsHall.Twilio;

namespace SmsHall.OperatorConsole.Pages;

/// <summary>
/// One campaign: the offer as each language's subscribers get it, who it reaches (how many, and a
/// sample), start and pause for editors, and the results so far.
/// </summary>
public sealed class CampaignModel(
    ICampaigns campaigns, Audience audience, LiveCatalogue catalogue, HallOptions hall, IOptions<TwilioOptions> twilio, IAuditLog audit, TimeProvider clock)
    : PageModel
{
    /// <summary>How many of the segment's numbers are shown (masked) before starting.</summary>
    public const int SampleSize = 10;

    /// <summary>Replies and conversions count within this time after an offer.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(7);

    public Campaign Campaign { get; private set; } = null!;
    public int Reach { get; private set; }
    public IReadOnlyList<string> Sample { get; private set; } = [];
    public CampaignResults Results { get; private set; } = null!;
    public IReadOnlyList<RenderedReply> Previews { get; private set; } = [];
    public string? SendingProblem => twilio.Value.OwnMessagesProblem();
    public string? Message { get; private set; }
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, string? done, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Message = done switch
        {
            "started" when Campaign.Draft.StartAt > clock.GetUtcNow() => $"Started: sending begins at {Campaign.Draft.StartAt:yyyy-MM-dd HH:mm} UTC.",
            "started" => "Started: offers are being sent.",
            "paused" => "Paused: no more offers are queued until it is started again.",
            _ => null,
        };
        return Page();
    }

    // After a change the page is shown by a GET, so reloading it shows the results again rather than repeating the change.
    private RedirectResult Done(long id, string what) => Redirect($"/console/campaigns/{id}?done={what}");

    public async Task<IActionResult> OnPostStartAsync(long id, CancellationToken ct)
    {
        if (!User.CanEdit()) return Forbid();
        if (!await LoadAsync(id, ct)) return NotFound();
        if (SendingProblem is { } problem) return Refuse(StatusCodes.Status409Conflict, $"The campaign cannot start: {problem}.");
        var now = clock.GetUtcNow();
        var members = await audience.MembersAsync(Campaign.Draft.Segment, now, ct);
        if (Campaign.State == CampaignState.Draft && members.Count == 0)
            return Refuse(StatusCodes.Status409Conflict, "The segment reaches nobody now: there is no one to send the offer to.");
        if (!await campaigns.StartAsync(id, members.Select(m => m.Number).ToList(), now, ct))
            return Refuse(StatusCodes.Status409Conflict, "The campaign is running already (another operator may have started it).");
        await AuditAsync("campaign started", $"campaign {id} \"{Campaign.Draft.Name}\"" + (Campaign.State == CampaignState.Draft ? $": {members.Count} recipient(s)" : " again"), ct);
        return Done(id, "started");
    }

    public async Task<IActionResult> OnPostPauseAsync(long id, CancellationToken ct)
    {
        if (!User.CanEdit()) return Forbid();
        if (!await LoadAsync(id, ct)) return NotFound();
        if (!await campaigns.PauseAsync(id, ct)) return Refuse(StatusCodes.Status409Conflict, "The campaign is not running.");
        await AuditAsync("campaign paused", $"campaign {id} \"{Campaign.Draft.Name}\"", ct);
        return Done(id, "paused");
    }

    private IActionResult Refuse(int status, string problem)
    {
        Problem = problem;
        Response.StatusCode = status;
        return Page();
    }

    private Task AuditAsync(string action, string detail, CancellationToken ct) =>
        audit.RecordAsync(new AuditEntry(clock.GetUtcNow(), User.Identity!.Name, action, detail), ct);

    private async Task<bool> LoadAsync(long id, CancellationToken ct)
    {
        if (await campaigns.FindAsync(id, ct) is not { } campaign) return false;
        Campaign = campaign;
        Results = await campaigns.ResultsAsync(id, Window, ct);
        Previews = catalogue.Catalogue.Languages.Select(l => Offers.Render(campaign.Draft.Messages, l, catalogue.Catalogue, hall)).ToList();
        if (campaign.State == CampaignState.Draft)
        {
            // Before it starts, who it would reach now; from then on its recipients are fixed.
            var members = await audience.MembersAsync(campaign.Draft.Segment, clock.GetUtcNow(), ct);
            Reach = members.Count;
            Sample = members.Take(SampleSize).Select(m => PhoneMask.Mask(m.Number)).ToList();
        }
        else Reach = campaign.Recipients;
        return true;
    }
}
