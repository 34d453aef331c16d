namespace SmsHall.Core.Ports;

/// <summary>Who a campaign is for: one of a few kinds of subscriber an operator can pick.</summary>
public enum Segment
{
    /// <summary>Subscribers RECOMMEND would tell of a cheaper plan that covers their last three months.</summary>
    WouldSave,

    /// <summary>Subscribers who used most of their plan's data this cycle and bought no pack in it.</summary>
    HeavyData,

    /// <summary>Prepaid subscribers who topped up several times lately.</summary>
    FrequentTopUps,
}

/// <summary>What a campaign is doing: drawn up, sending (from its start time), or paused by an operator.</summary>
public enum CampaignState
{
    Draft,
    Running,
    Paused,
}

/// <summary>What became of one recipient's offer when the sender came to it.</summary>
public enum RecipientOutcome
{
    Queued,
    Refused,
    OverCap,
    OptedOut,
}

/// <summary>A campaign as an operator draws it up: <see cref="Messages"/> holds the offer's text per catalogue language.</summary>
public sealed record CampaignDraft(
    string Name,
    Segment Segment,
    IReadOnlyDictionary<string, string> Messages,
    DateTimeOffset StartAt,
    int RatePerMinute,
    DateTimeOffset CreatedAt,
    string CreatedBy);

/// <summary>
/// A stored campaign with where its sending stands. Sending is paced from <see cref="PacedFrom"/>
/// (its start, or its latest resumption): by then <see cref="PacedBase"/> offers had been queued, and
/// at most <see cref="CampaignDraft.RatePerMinute"/> more may be queued each minute after it.
/// </summary>
public sealed record Campaign(
    long Id,
    CampaignDraft Draft,
    CampaignState State,
    DateTimeOffset? PacedFrom,
    int PacedBase,
    int Recipients,
    int Waiting,
    int Queued)
{
    /// <summary>What the messages log gives as the offer's reason, and what makes each recipient's offer one of a kind.</summary>
    public string Reason => $"campaign {Id}";
}

/// <summary>A subscriber offers may go to (not opted out, offers not refused), with what the segments look at.</summary>
/// <param name="LastPackAt">When they last bought a data pack, if ever.</param>
/// <param name="TopUps">Payments and voucher top-ups since the instant asked about.</param>
public sealed record Prospect(
    string Number,
    string Language,
    string PlanCode,
    bool Postpaid,
    int PlanDataMb,
    int? DataMbUsed,
    DateOnly? CycleStart,
    DateTimeOffset? LastPackAt,
    int TopUps);

/// <summary>A recipient whose offer has not been queued yet.</summary>
public sealed record Recipient(string Number, string Language);

/// <summary>
/// A campaign's results: what became of its recipients, what Twilio reported of the offers, the
/// messages recipients sent after their offer and the recipients who changed plan or bought a pack
/// after it, both within the window asked about.
/// </summary>
public sealed record CampaignResults(
    int Recipients, int Waiting, int Queued, int Refused, int OverCap, int OptedOut, int Sent, int Delivered, int Replies, int Conversions);

/// <summary>
/// Campaigns of offers and their recipients. A campaign's recipients are fixed when it is first
/// started, and each is decided once (<see cref="RecordAsync"/>), so a restart or another node taking
/// the sending over carries on where it stopped.
/// </summary>
public interface ICampaigns
{
    Task<long> CreateAsync(CampaignDraft draft, CancellationToken ct = default);

    /// <summary>Every campaign, newest first.</summary>
    Task<IReadOnlyList<Campaign>> ListAsync(CancellationToken ct = default);

    Task<Campaign?> FindAsync(long id, CancellationToken ct = default);

    /// <summary>The running campaigns (what the sender looks at every round), oldest first.</summary>
    Task<IReadOnlyList<Campaign>> RunningAsync(CancellationToken ct = default);

    /// <summary>
    /// Every subscriber an offer may go to: not opted out and not refusing offers. Top-ups are
    /// counted since <paramref name="topUpsSince"/> (payments by their day: from <paramref name="topUpsSinceDay"/>).
    /// </summary>
    Task<IReadOnlyList<Prospect>> ProspectsAsync(DateTimeOffset topUpsSince, DateOnly topUpsSinceDay, CancellationToken ct = default);

    /// <summary>
    /// Starts a drawn-up or paused campaign; the first start makes <paramref name="numbers"/> its
    /// recipients (a later one keeps those it has). Pacing counts from <paramref name="now"/> or the
    /// campaign's start time, whichever is later. False when it is already running or there is none.
    /// </summary>
    Task<bool> StartAsync(long id, IReadOnlyCollection<string> numbers, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>Pauses a running campaign; false when it is not running.</summary>
    Task<bool> PauseAsync(long id, CancellationToken ct = default);

    /// <summary>Up to <paramref name="max"/> recipients not decided yet, in number order.</summary>
    Task<IReadOnlyList<Recipient>> WaitingAsync(long id, int max, CancellationToken ct = default);

    /// <summary>How many of the campaign's offers were queued after <paramref name="since"/> (as written down).</summary>
    Task<int> QueuedSinceAsync(long id, DateTimeOffset since, CancellationToken ct = default);

    /// <summary>Records what became of a recipient's offer; a recipient already decided keeps its first outcome.</summary>
    Task RecordAsync(long id, string number, RecipientOutcome outcome, DateTimeOffset at, CancellationToken ct = default);

    Task<CampaignResults> ResultsAsync(long id, TimeSpan window, CancellationToken ct = default);
}

/// <summary>How segments, states and outcomes are written in storage and in the console.</summary>
public static class CampaignNames
{
    public static string Write(Segment segment) => segment switch
    {
        Segment.WouldSave => "would-save",
        Segment.HeavyData => "heavy-data",
        _ => "frequent-top-ups",
    };

    public static Segment? ReadSegment(string? name) => name switch
    {
        "would-save" => Segment.WouldSave,
        "heavy-data" => Segment.HeavyData,
        "frequent-top-ups" => Segment.FrequentTopUps,
        _ => null,
    };

    public static string Write(CampaignState state) => state.ToString().ToLowerInvariant();

    public static CampaignState ReadState(string name) => Enum.Parse<CampaignState>(name, ignoreCase: true);

    public static string Write(RecipientOutcome outcome) => outcome switch
    {
        RecipientOutcome.Queued => "queued",
        RecipientOutcome.Refused => "refused",
        RecipientOutcome.OverCap => "over-cap",
        _ => "opted-out",
    };
}
