using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmsHall.Core.Catalogue;
using SmsHall.Core.Commands;
using SmsHall.Core.Ports;

namespace SmsHall.OperatorConsole.Pages;

/// <summary>The message log searched and filtered, newest first, with a live tail of what comes in.</summary>
public sealed class MessagesModel(IOperatorQueries queries, LiveCatalogue live) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public string? Number { get; set; }
    [BindProperty(SupportsGet = true)] public string? Text { get; set; }
    [BindProperty(SupportsGet = true)] public string? Command { get; set; }
    [BindProperty(SupportsGet = true)] public string? Outcome { get; set; }
    [BindProperty(SupportsGet = true)] public string? Language { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    // Read from the query by hand: Razor Pages' own route value "page" (the page's name) would win a binding.
    public int PageNumber { get; private set; } = 1;

    public IReadOnlyList<LoggedMessage> Messages { get; private set; } = [];
    public bool HasOlder { get; private set; }
    public string? Problem { get; private set; }

    public IEnumerable<string> Commands => CommandSet.All.Select(d => d.Name);
    public IReadOnlyList<string> Languages => live.Catalogue.Languages;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var problem = Filter(out var filter);
        if (Request.Query["page"] is { Count: > 0 } page)
            PageNumber = int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : 0;
        if (problem is null && PageNumber is < 1 or > 10_000) problem = "The page must be a number from 1 to 10000.";
        if (problem is not null)
        {
            Problem = problem;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var found = await queries.SearchAsync(filter, (PageNumber - 1) * PageSize, PageSize + 1, ct);
        HasOlder = found.Count > PageSize;
        Messages = found.Take(PageSize).ToList();
        return Page();
    }

    /// <summary>
    /// How far before the newest message shown the tail looks again. A message is stamped when it
    /// arrives but shows only once recorded, so one that waited (for its number's lock, or on another
    /// node) can appear with an older stamp than messages already shown; the page skips those it has.
    /// </summary>
    public static readonly TimeSpan TailOverlap = TimeSpan.FromSeconds(30);

    /// <summary>How many messages one look of the tail brings at most (a look every 2 s).</summary>
    public const int TailSize = 500;

    /// <summary>The live tail: the messages matching the filter received since <paramref name="after"/> less <see cref="TailOverlap"/>, newest first, as JSON.</summary>
    public async Task<IActionResult> OnGetTailAsync(string? after, CancellationToken ct)
    {
        if (!DateTimeOffset.TryParse(after, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since))
            return BadRequest(new { problem = "after must be an instant, as 2026-11-22T10:00:00Z" });
        if (Filter(out var filter) is { } problem) return BadRequest(new { problem });
        var found = await queries.SearchAsync(filter with { After = since - TailOverlap }, 0, TailSize, ct);
        return new JsonResult(found.Select(m => new
        {
            m.Sid,
            from = User.Number(m.From),
            receivedAt = m.ReceivedAt.ToString("O", CultureInfo.InvariantCulture),
            at = m.ReceivedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            m.Body,
            m.Outcome,
            m.Command,
            m.Language,
            m.Reply,
            m.ReplyStatus,
        }));
    }

    /// <summary>The query as a filter; a problem to show when part of it makes no sense.</summary>
    private string? Filter(out MessageFilter filter)
    {
        filter = new MessageFilter();
        if (!TryTime(From, out var from) || !TryTime(To, out var to)) return "From and to must be dates and times, as 2026-11-22T09:30.";
        if (Outcome is { Length: > 0 } && !LoggedOutcome.All.Contains(Outcome)) return $"The outcome must be one of {string.Join(", ", LoggedOutcome.All)}.";
        filter = new MessageFilter(NumberOf(Number), Blank(Text), Blank(Command), Blank(Outcome), Blank(Language), from, to);
        return null;
    }

    /// <summary>A number as typed, in the log's form: +digits, without spaces or dashes.</summary>
    public static string? NumberOf(string? typed)
    {
        if (Blank(typed) is not { } number) return null;
        var digits = new string(number.Where(c => char.IsAsciiDigit(c)).ToArray());
        return "+" + digits;
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    /// <summary>A time from the form's datetime-local input, taken as UTC; true for none.</summary>
    private static bool TryTime(string? text, out DateTimeOffset? time)
    {
        time = null;
        if (Blank(text) is not { } t) return true;
        if (!DateTime.TryParseExact(t, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"], CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)) return false;
        time = new DateTimeOffset(parsed, TimeSpan.Zero);
        return true;
    }

    /// <summary>This search's query string, on another page of results.</summary>
    public string Query(int page) => QueryString.Create(new Dictionary<string, string?>
    {
        ["number"] = Number, ["text"] = Text, ["command"] = Command, ["outcome"] = Outcome, ["language"] = Language,
        ["from"] = From, ["to"] = To, ["page"] = page.ToString(CultureInfo.InvariantCulture),
    }.Where(p => !string.IsNullOrEmpty(p.Value))).ToUriComponent();
}
