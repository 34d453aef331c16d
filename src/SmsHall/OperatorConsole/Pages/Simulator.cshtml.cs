using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmsHall.Core;
using SmsHall.Core.Catalogue;
using SmsHall.Core.Ports;

namespace SmsHall.OperatorConsole.Pages;

/// <summary>
/// A phone-like chat against the live catalogue or the operator's draft, on a private copy of the
/// accounts (<see cref="Simulator"/>). Editors may text as any number; viewers, who may not see
/// subscribers' numbers, as the demo subscribers only.
/// </summary>
public sealed partial class SimulatorModel(Simulator simulator, LiveCatalogue live, ICatalogueDrafts drafts, HallOptions hall, TimeProvider clock) : PageModel
{
    public const int MaxBody = 1600;

    public string Session { get; } = Guid.NewGuid().ToString("N");

    public IReadOnlyList<(string Number, string Name)> DemoSubscribers => Demo();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostSendAsync(string? session, string? from, string? other, string? body, string? catalogue, CancellationToken ct)
    {
        if (session is null || !SessionId().IsMatch(session)) return Bad("The simulator session is missing: reload the page.");
        if (string.IsNullOrWhiteSpace(body)) return Bad("Write a message first.");
        if (body.Length > MaxBody) return Bad($"A message is at most {MaxBody} characters here.");

        string number;
        if (from is not null && from.StartsWith("demo:", StringComparison.Ordinal)
            && int.TryParse(from[5..], out var index) && index >= 0 && index < DemoSubscribers.Count)
        {
            number = DemoSubscribers[index].Number;
        }
        else if (from == "other")
        {
            if (!User.CanEdit()) return StatusCode(StatusCodes.Status403Forbidden, new { error = "Viewers text as the demo subscribers only." });
            number = (other ?? "").Trim();
            if (!PhoneNumber().IsMatch(number)) return Bad("A number is + and 6 to 15 digits, as +15550000001.");
        }
        else
        {
            return Bad("Choose whom to text as.");
        }

        CommandCatalogue chosen;
        if (catalogue == "draft")
        {
            var draft = User.CanEdit() ? await drafts.FindDraftAsync(User.Identity!.Name!, ct) : null;
            if (draft is null) return Bad("You have no draft: edit the catalogue first, or text against the live one.");
            var (compiled, problems) = CommandCatalogue.Check("draft", draft.Text, live.Catalogue.SegmentBudget);
            if (compiled is null) return Bad($"Your draft has {problems.Count(p => p.Severity == Severity.Error)} error(s): fix them in the editor first.");
            chosen = compiled;
        }
        else
        {
            chosen = live.Catalogue;
        }

        var reply = await simulator.TextAsync(User.Identity!.Name!, session, number, body, chosen, ct);
        return new JsonResult(new { from = User.Number(number), reply });
    }

    private IReadOnlyList<(string Number, string Name)> Demo() =>
        DemoData.Subscribers(hall.Today(clock.GetUtcNow())).Select(s => (s.Number, s.Name)).ToList();

    private JsonResult Bad(string error) => new(new { error }) { StatusCode = StatusCodes.Status400BadRequest };

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex SessionId();

    [GeneratedRegex(@"^\+[0-9]{6,15}$")]
    private static partial Regex PhoneNumber();
}
