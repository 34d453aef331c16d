using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmsHall.Core.Catalogue;
using SmsHall.Core.Ports;

namespace SmsHall.OperatorConsole.Pages;

/// <summary>Every stored catalogue version, what each changed (a line diff with the one before), and rollback (editors).</summary>
public sealed class CatalogueHistoryModel(ICatalogueHistory history, LiveCatalogue live, CataloguePublisher publisher) : PageModel
{
    public IReadOnlyList<PublishedVersion> Versions { get; private set; } = [];
    public long? ServedVersion { get; private set; }
    public PublishedVersion? Shown { get; private set; }
    public long? ComparedWith { get; private set; }
    public IReadOnlyList<DiffLine> Diff { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public string? Problem { get; private set; }

    public IActionResult OnGet(long? version)
    {
        Load();
        if (!ModelState.IsValid)
        {
            // ?version=abc is not "no version": say so rather than show the list as if it were asked for.
            Problem = "A catalogue version is a whole number, as ?version=2.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        if (version is null) return Page();
        Shown = Versions.FirstOrDefault(v => v.Number == version);
        if (Shown is null)
        {
            Problem = $"There is no catalogue version {version}.";
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        var previous = Versions.FirstOrDefault(v => v.Number < Shown.Number);
        ComparedWith = previous?.Number;
        Diff = TextDiffs.Lines(previous is null ? "" : history.Find(previous.Number)!.Text, history.Find(Shown.Number)!.Text);
        return Page();
    }

    public async Task<IActionResult> OnPostRollbackAsync(long version, string? note, CancellationToken ct)
    {
        if (!User.CanEdit()) return Forbid();
        if (!ModelState.IsValid || history.Find(version) is not { } stored)
        {
            Load();
            Problem = ModelState.IsValid ? $"There is no catalogue version {version}." : "A catalogue version is a whole number.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var publication = await publisher.PublishAsync(stored.Text, "rollback",
            User.Identity!.Name!, string.IsNullOrWhiteSpace(note) ? $"rollback to version {version}" : note, ct);
        if (publication.Errors.Count > 0)
        {
            Load();
            Problem = $"Version {version} does not pass the check with these settings; not published.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        Message = publication.Message;
        return RedirectToPage();
    }

    private void Load()
    {
        Versions = history.History();
        ServedVersion = live.Current.Version;
    }
}
