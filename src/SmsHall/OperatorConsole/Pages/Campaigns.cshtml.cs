using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmsHall.Core;
using SmsHall.Core.Campaigns;
using SmsHall.Core.Catalogue;
using SmsHall.Core.Ports;

namespace SmsHall.OperatorConsole.Pages;

/// <summary>Campaigns of offers: the list, and the form an editor draws a new one up with.</summary>
public sealed class CampaignsModel(ICampaigns campaigns, LiveCatalogue catalogue, HallOptions hall, IAuditLog audit, TimeProvider clock) : PageModel
{
    /// <summary>How the start time is typed (a datetime-local field), in the hall's time zone.</summary>
    public const string StartFormat = "yyyy-MM-ddTHH:mm";

    public IReadOnlyList<Campaign> All { get; private set; } = [];
    public IReadOnlyList<string> Languages => catalogue.Catalogue.Languages;
    public string DefaultLanguage => catalogue.Catalogue.DefaultLanguage;
    public string TimeZone => hall.TimeZone;
    public IReadOnlyList<string> Problems { get; private set; } = [];

    // What the form was filled with, shown again when it has a problem.
    public string Name { get; private set; } = "";
    public Segment Segment { get; private set; } = Segment.WouldSave;
    public string Start { get; private set; } = "";
    public string Rate { get; private set; } = "60";
    public IReadOnlyDictionary<string, string> Messages { get; private set; } = new Dictionary<string, string>();

    public async Task OnGetAsync(CancellationToken ct)
    {
        Start = Local(clock.GetUtcNow()).ToString(StartFormat, CultureInfo.InvariantCulture);
        All = await campaigns.ListAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!User.CanEdit()) return Forbid();
        var form = Request.Form;
        Name = form["name"].ToString().Trim();
        Start = form["start"].ToString().Trim();
        Rate = form["rate"].ToString().Trim();
        Messages = Languages.Select(l => (l, Text: form[$"message-{l}"].ToString().Trim())).Where(m => m.Text.Length > 0)
            .ToDictionary(m => m.l, m => m.Text);
        var problems = new List<string>();
        var segment = CampaignNames.ReadSegment(form["segment"]);
        if (segment is null) problems.Add("Choose a segment.");
        else Segment = segment.Value;
        var now = clock.GetUtcNow();
        DateTimeOffset startAt = now;
        if (Start.Length > 0 && !TryReadStart(Start, out startAt)) problems.Add($"The start time must read like {Local(now).ToString(StartFormat, CultureInfo.InvariantCulture)}.");
        var rate = int.TryParse(Rate, NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : 0;
        var draft = new CampaignDraft(Name, Segment, Messages, startAt, rate, now, User.Identity!.Name!);
        problems.AddRange(Offers.Problems(draft, catalogue.Catalogue, hall));
        if (problems.Count > 0)
        {
            Problems = problems;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            All = await campaigns.ListAsync(ct);
            return Page();
        }
        var id = await campaigns.CreateAsync(draft, ct);
        await audit.RecordAsync(new AuditEntry(now, User.Identity!.Name, "campaign created",
            $"campaign {id} \"{draft.Name}\": {CampaignNames.Write(draft.Segment)}, {draft.RatePerMinute}/min from {draft.StartAt:yyyy-MM-dd HH:mm} UTC"), ct);
        return Redirect($"/console/campaigns/{id}");
    }

    /// <summary>An instant as the hall's local time.</summary>
    public DateTime Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, hall.TimeZoneInfo).DateTime;

    private bool TryReadStart(string text, out DateTimeOffset at)
    {
        at = default;
        if (!DateTime.TryParseExact(text, [StartFormat, "yyyy-MM-dd HH:mm", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            return false;
        at = new DateTimeOffset(local, hall.TimeZoneInfo.GetUtcOffset(local));
        return true;
    }
}
