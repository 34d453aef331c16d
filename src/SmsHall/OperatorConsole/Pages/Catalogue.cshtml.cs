using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmsHall.Core.Catalogue;
using SmsHall.Core.Ports;

namespace SmsHall.OperatorConsole.Pages;

/// <summary>
/// The catalogue editor: the served text (or the operator's draft) with the check as they type,
/// "add as alias" from the not-understood page, a preview of the draft on real traffic, and
/// publishing. Viewers read and check; only editors save, preview and publish.
/// </summary>
// A catalogue is far larger than a Twilio form: up to Catalogue:MaxBytes, sent form-encoded.
[TypeFilter<CatalogueSizeLimit>(Order = CatalogueSizeLimit.Order)]
public sealed class CatalogueModel(
    LiveCatalogue live, ICatalogueHistory history, ICatalogueVersions versions, ICatalogueDrafts drafts, CataloguePublisher publisher,
    CataloguePreviewer previewer, TimeProvider clock) : PageModel
{
    public const int DefaultDays = 7;

    /// <summary>The differences of a group shown on one page; the download has every one.</summary>
    public const int PerPage = 200;

    /// <summary>The group whose <see cref="PageNumber"/> is shown (the others show their first page).</summary>
    public string? Group { get; private set; }

    public int PageNumber { get; private set; } = 1;

    public string Text { get; private set; } = "";
    public long? ServedVersion { get; private set; }
    public CatalogueDraft? Draft { get; private set; }
    public IReadOnlyList<CatalogueProblem> Problems { get; private set; } = [];
    public int? FocusLine { get; private set; }

    /// <summary>The alias waiting for the operator to choose its command, with the commands to choose from.</summary>
    public string? PickFor { get; private set; }

    public IReadOnlyList<string> Targets { get; private set; } = [];

    /// <summary>Another version was published since the draft began: the page offers to publish anyway.</summary>
    public bool Conflict { get; private set; }

    /// <summary>The version the editor's text began from, sent back with every save.</summary>
    public long? BaseVersion => Draft?.BaseVersion ?? ServedVersion;

    /// <summary>The editor shows an edit made from a link that is not stored as the draft yet.</summary>
    public bool Unsaved { get; private set; }
    public PreviewRun? Preview { get; private set; }
    public PreviewResult? Result { get; private set; }

    /// <summary>What the last action did, shown once after its redirect.</summary>
    [TempData]
    public string? Flash { get; set; }

    /// <summary>What this request did.</summary>
    public string? Message { get; private set; }

    public string? Problem { get; private set; }

    // "page" from the query only: Razor Pages' route values have a "page" of their own (the page's name).
    public async Task<IActionResult> OnGetAsync(
        string? alias, string? command, [FromQuery] string? group, [FromQuery(Name = "page")] int? page, CancellationToken ct)
    {
        (Group, PageNumber) = (group, page ?? 1);
        if (!ModelState.IsValid || PageNumber < 1 || (Group is not null && !Groups.ContainsKey(Group)))
            return await ProblemAsync($"Choose a group ({string.Join(", ", Groups.Keys)}) and a page from 1.", ct);
        await LoadAsync(ct);
        if (alias is null && command is null) return Page();
        if (!User.CanEdit())
        {
            Problem = "Only editors can add an alias; you can read the catalogue.";
            return Page();
        }
        var edit = CatalogueEdits.AddAlias(Text, command ?? "", alias ?? "", live.Catalogue.DefaultLanguage);
        FocusLine = edit.Line > 0 ? edit.Line : null;
        if (edit.Problem is not null)
        {
            Problem = edit.Problem;
            // No (known) command, as when "not understood" found none close: the operator picks one.
            var targets = CatalogueEdits.AliasTargets(Text);
            if (!string.IsNullOrWhiteSpace(alias) && !targets.Contains((command ?? "").Trim().ToLowerInvariant()))
            {
                PickFor = alias.Trim();
                Targets = targets;
            }
            return Page();
        }
        if (!edit.Changed)
        {
            Message = $"'{alias}' is an alias of {command} already (line {edit.Line}).";
            return Page();
        }
        // A GET changes nothing stored (a link or a prefetch must not write a draft): the edit is only
        // shown in the editor, and kept when the editor saves, previews, publishes or types.
        Text = edit.Text;
        Problems = publisher.Check(Text);
        Unsaved = true;
        Message = $"'{alias!.Trim().ToUpperInvariant()}' added to the aliases of {command} at line {edit.Line} in the editor, not saved yet. Preview it on real traffic, then publish.";
        return Page();
    }

    /// <summary>The groups of differences, by the name in their links.</summary>
    public static readonly IReadOnlyDictionary<string, ChangeKind> Groups = new Dictionary<string, ChangeKind>
    {
        ["newly-understood"] = ChangeKind.NewlyUnderstood,
        ["no-longer-understood"] = ChangeKind.NoLongerUnderstood,
        ["reworded"] = ChangeKind.Reworded,
    };

    /// <summary>The page of a group's differences shown now: the chosen page for the chosen group, else the first.</summary>
    public (IReadOnlyList<PreviewChange> Changes, int Page, int Pages) Shown(string group)
    {
        var all = Result!.Changes.Where(c => c.Kind == Groups[group]).ToList();
        var pages = Math.Max(1, (all.Count + PerPage - 1) / PerPage);
        var page = group == Group ? Math.Clamp(PageNumber, 1, pages) : 1;
        return (all.Skip((page - 1) * PerPage).Take(PerPage).ToList(), page, pages);
    }

    /// <summary>Every difference of the operator's finished preview as JSON Lines, one reply that differs a line.</summary>
    public async Task<IActionResult> OnGetDifferencesAsync(CancellationToken ct)
    {
        if (!User.CanEdit()) return Forbid();
        var run = await previewer.LatestAsync(Me, ct);
        if (run is not { State: PreviewState.Done, Result: { } json })
            return new ContentResult { StatusCode = StatusCodes.Status404NotFound, ContentType = "text/plain; charset=utf-8", Content = "You have no finished preview to download." };
        var result = JsonSerializer.Deserialize(json, PreviewJson.Default.PreviewResult)!;
        Response.ContentType = "application/x-ndjson; charset=utf-8";
        Response.Headers.ContentDisposition = $"attachment; filename=\"preview-{run.Id}.jsonl\"";
        await using var writer = new StreamWriter(Response.Body, new System.Text.UTF8Encoding(false));
        foreach (var change in result.Changes)
        {
            await writer.WriteAsync(JsonSerializer.Serialize(change, PreviewJson.Default.PreviewChange));
            await writer.WriteAsync('\n'); // JSON Lines: \n on every system
        }
        return new EmptyResult();
    }

    /// <summary>The check as the operator types (JSON); an editor's text is kept as their draft meanwhile.</summary>
    public async Task<IActionResult> OnPostCheckAsync(string? text, long? baseVersion, CancellationToken ct)
    {
        text ??= "";
        var problems = publisher.Check(text);
        var saved = false;
        if (User.CanEdit())
        {
            var draft = await drafts.FindDraftAsync(Me, ct);
            if (draft?.Text != text && (draft is not null || text != ServedText()))
            {
                await drafts.SaveDraftAsync(Me, text, baseVersion, clock.GetUtcNow(), ct);
                saved = true;
            }
        }
        var errors = problems.Count(p => p.Severity == Severity.Error);
        return new JsonResult(new
        {
            errors,
            warnings = problems.Count - errors,
            saved,
            problems = problems.Select(p => new { line = p.Line, severity = p.Severity == Severity.Error ? "error" : "warning", message = p.Message }),
        });
    }

    public async Task<IActionResult> OnPostSaveAsync(string? text, long? baseVersion, CancellationToken ct)
    {
        if (!User.CanEdit()) return Forbid();
        await drafts.SaveDraftAsync(Me, text ?? "", baseVersion, clock.GetUtcNow(), ct);
        Flash = "Draft saved.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDiscardAsync(CancellationToken ct)
    {
        if (!User.CanEdit()) return Forbid();
        await drafts.DeleteDraftAsync(Me, ct);
        Flash = "Draft thrown away: the editor shows the served catalogue.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostPreviewAsync(string? text, long? baseVersion, int? days, CancellationToken ct)
    {
        if (!User.CanEdit()) return Forbid();
        if (text is not null) await drafts.SaveDraftAsync(Me, text, baseVersion, clock.GetUtcNow(), ct);
        // "1e99" or "abc" bind as no value: refused, rather than silently previewing the default days.
        if (!ModelState.IsValid) return await ProblemAsync($"The days are a whole number from 1 to {CataloguePreviewer.MaxDays}.", ct);
        var (_, problem) = await previewer.StartAsync(Me, days ?? DefaultDays, ct);
        if (problem is not null) return await ProblemAsync(problem, ct);
        return Redirect("/console/catalogue#preview");
    }

    /// <summary>Where the operator's preview stands (JSON), polled by the page while it runs.</summary>
    public async Task<IActionResult> OnGetPreviewAsync(CancellationToken ct)
    {
        var run = await previewer.LatestAsync(Me, ct);
        return new JsonResult(run is null ? new { state = "none", progress = 0.0, phase = (string?)null, error = (string?)null }
            : new { state = CataloguePreviewer.StateOf(run), progress = run.Progress, phase = run.Phase, error = run.Error });
    }

    public async Task<IActionResult> OnPostPublishAsync(string? text, long? baseVersion, string? note, bool anyway, CancellationToken ct)
    {
        if (!User.CanEdit()) return Forbid();
        text ??= "";
        await drafts.SaveDraftAsync(Me, text, baseVersion, clock.GetUtcNow(), ct);
        // Another editor published since this draft began: publishing it as it is would undo their change.
        var began = (await drafts.FindDraftAsync(Me, ct))?.BaseVersion;
        if (!anyway && began is { } b && versions.Latest()?.Number is { } latest && latest != b)
        {
            Conflict = true;
            return await ProblemAsync(
                $"Version {latest} was published since you began from version {b}: publishing your draft would undo it. Throw your draft away to start from the served text, or tick \"publish anyway\".", ct);
        }
        var publication = await publisher.PublishAsync(text, "publish", Me, note, ct);
        if (publication.Errors.Count > 0) return await ProblemAsync(publication.Message, ct);
        await drafts.DeleteDraftAsync(Me, ct);
        Flash = publication.Message;
        return RedirectToPage();
    }

    private string Me => User.Identity!.Name!;

    private async Task<IActionResult> ProblemAsync(string problem, CancellationToken ct)
    {
        Problem = problem;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>The text of the version this node serves.</summary>
    private string ServedText()
    {
        var served = live.Current.Version is { } v ? history.Find(v) : versions.Latest();
        return served?.Text ?? "";
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Message ??= Flash;
        ServedVersion = live.Current.Version;
        Draft = User.CanEdit() ? await drafts.FindDraftAsync(Me, ct) : null;
        Text = Draft?.Text ?? ServedText();
        Problems = publisher.Check(Text);
        Preview = User.CanEdit() ? await previewer.LatestAsync(Me, ct) : null;
        Result = Preview is { State: PreviewState.Done, Result: { } json } ? JsonSerializer.Deserialize(json, PreviewJson.Default.PreviewResult) : null;
    }
}

/// <summary>
/// The editor's request size, from Catalogue:MaxBytes: form-encoding writes a non-ASCII byte as three
/// (%E4%BD%99), so a catalogue of MaxBytes in Chinese is three times as large on the wire. Set before
/// the antiforgery check reads the form, as <see cref="RequestSizeLimitAttribute"/> is.
/// </summary>
public sealed class CatalogueSizeLimit(IOptions<CatalogueOptions> options) : IAuthorizationFilter
{
    public const int Order = 900;

    public void OnAuthorization(AuthorizationFilterContext context)
    {
        var limit = 3L * options.Value.MaxBytes + 1024 * 1024; // and room for the other fields
        var features = context.HttpContext.Features;
        if (features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limit;
        if (features.Get<IFormFeature>()?.Form is null)
        {
            var form = new FormOptions { ValueLengthLimit = (int)Math.Min(int.MaxValue, limit), MultipartBodyLengthLimit = limit };
            features.Set<IFormFeature>(new FormFeature(context.HttpContext.Request, form));
        }
    }
}
