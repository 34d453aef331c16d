using Microsoft.AspNetCore.Mvc.RazorPages;
using SmsHall.Core.Catalogue;
using SmsHall.Core.Ports;

namespace SmsHall.OperatorConsole.Pages;

/// <summary>The hall at a glance: the last hour and the last day of the log, the outbox, and what each node serves.</summary>
public sealed class IndexModel(
    IOperatorQueries queries, IOutbox outbox, INodes nodes, ICatalogueVersions versions, LiveCatalogue live, TimeProvider clock) : PageModel
{
    /// <summary>A node not heard from for this long is not listed.</summary>
    public static readonly TimeSpan SeenWithin = TimeSpan.FromMinutes(1);

    public LogSummary Hour { get; private set; } = null!;
    public LogSummary Day { get; private set; } = null!;
    public OutboxStats Outbox { get; private set; } = null!;
    public IReadOnlyList<NodeSeen> Nodes { get; private set; } = [];
    public long? Newest { get; private set; }
    public long? CatalogueVersion { get; private set; }
    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Now = clock.GetUtcNow();
        // Whole periods, the current one last: the bars line up with the clock and a message of this instant is counted.
        Hour = await WindowAsync(TimeSpan.FromMinutes(5), 12, ct);
        Day = await WindowAsync(TimeSpan.FromHours(1), 24, ct);
        Outbox = await outbox.StatsAsync(Now, ct);
        Nodes = await nodes.SeenSinceAsync(Now - SeenWithin, ct);
        Newest = versions.Latest()?.Number;
        CatalogueVersion = live.Current.Version;
    }

    private Task<LogSummary> WindowAsync(TimeSpan bucket, int buckets, CancellationToken ct)
    {
        var end = new DateTimeOffset(Now.UtcTicks - Now.UtcTicks % bucket.Ticks, TimeSpan.Zero) + bucket;
        return queries.SummaryAsync(end - bucket * buckets, end, bucket, ct);
    }

    public static BarChart PerBucket(string id, string title, LogSummary s) =>
        new(id, title, s.PerBucket.Select((count, i) => ((s.From + s.Bucket * i).ToString("HH:mm"), count)).ToList());

    public static StackedBar Outcomes(string id, LogSummary s) =>
        new(id,
        [
            ("understood", s.Outcome(LoggedOutcome.Understood), "#1b7f3b"),
            ("clarified", s.Outcome(LoggedOutcome.Clarified), "#d4a72c"),
            ("not understood", s.Outcome(LoggedOutcome.NotUnderstood), "#b3261e"),
            ("unhandled", s.Outcome(LoggedOutcome.Unhandled), "#5d6b7e"),
        ]);

    // Enough colours for the parts a breakdown shows; the rest are summed as "other".
    private static readonly string[] Palette = ["#0b63ce", "#1b7f3b", "#d4a72c", "#b3261e", "#6f42c1", "#0e8a8a", "#c2571a", "#5d6b7e"];

    /// <summary>A breakdown (by language, command or reply status) as one stacked bar: the largest parts, then "other".</summary>
    public static StackedBar Breakdown(string id, IReadOnlyList<NamedCount> counts)
    {
        var shown = counts.Take(Palette.Length - 1).Select((n, i) => (n.Name, n.Count, Palette[i])).ToList();
        var rest = counts.Skip(Palette.Length - 1).Sum(n => n.Count);
        if (rest > 0) shown.Add(("other", rest, Palette[^1]));
        return new StackedBar(id, shown);
    }

    /// <summary>A node's handling time over a window, as the nodes table shows it.</summary>
    public static string Times(HandlingTime? t) => t is null ? "—" : $"{t.P50Ms:0.#} / {t.P99Ms:0.#} ms ({t.Messages})";
}
