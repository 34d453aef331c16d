namespace SmsHall.Replay;

/// <summary>
/// What a replay found: counts by outcome and by command, the turns that differ, and (for JUnit)
/// each conversation's result. Counts are always complete; details are kept up to a limit so memory
/// stays flat however long the log.
/// </summary>
public sealed class ReplayReport(IReadOnlyList<ReplayInput> inputs, string catalogue, string database, bool trackConversations)
{
    public const int MaxDetails = 10_000;
    private const int MaxDetailsPerConversation = 20;

    private readonly Dictionary<(string Input, string Name), ConversationResult> _index = [];

    public IReadOnlyList<ReplayInput> Inputs { get; } = inputs;
    public string Catalogue { get; } = catalogue;
    public string Database { get; } = database;
    public DateTimeOffset StartedAt { get; init; }

    public int Messages { get; private set; }
    public int[] Totals { get; } = new int[Enum.GetValues<Outcome>().Length];
    public SortedDictionary<string, int[]> ByCommand { get; } = new(StringComparer.Ordinal);

    /// <summary>The turns that are not the same, oldest first, at most <see cref="MaxDetails"/>.</summary>
    public List<TurnResult> Differences { get; } = [];
    public int DifferencesLeftOut { get; private set; }

    public List<ConversationResult> Conversations { get; } = [];

    public TimeSpan Elapsed { get; set; }
    public int BadLines { get; set; }
    public IReadOnlyList<string> BadLineExamples { get; set; } = [];

    public int Count(Outcome outcome) => Totals[(int)outcome];

    public bool AnythingChanged => Count(Outcome.Same) != Messages;

    public void Add(ReplayInput input, TurnResult result)
    {
        Messages++;
        Totals[(int)result.Outcome]++;
        if (!ByCommand.TryGetValue(result.Command, out var counts)) ByCommand[result.Command] = counts = new int[Totals.Length];
        counts[(int)result.Outcome]++;

        var differs = result.Outcome != Outcome.Same;
        if (differs)
        {
            if (Differences.Count < MaxDetails) Differences.Add(result);
            else DifferencesLeftOut++;
        }

        if (!trackConversations) return;
        var key = (input.Path, result.Turn.Conversation);
        if (!_index.TryGetValue(key, out var conversation))
        {
            _index[key] = conversation = new ConversationResult(input, result.Turn.Conversation);
            Conversations.Add(conversation);
        }
        conversation.Turns++;
        if (!differs) return;
        conversation.DifferenceCount++;
        conversation.HasError |= result.Outcome == Outcome.Error;
        if (conversation.Differences.Count < MaxDetailsPerConversation) conversation.Differences.Add(result);
    }

    /// <summary>Outcome names as reports show them.</summary>
    public static string Label(Outcome outcome) => outcome switch
    {
        Outcome.Same => "same",
        Outcome.Changed => "changed",
        Outcome.NewlyAnswered => "newly answered",
        Outcome.NoLongerAnswered => "no longer answered",
        _ => "error",
    };
}

/// <summary>One conversation (a number's messages in a log, a case in a script) and how it replayed.</summary>
public sealed class ConversationResult(ReplayInput input, string name)
{
    public ReplayInput Input { get; } = input;
    public string Name { get; } = name;
    public int Turns { get; set; }
    public int DifferenceCount { get; set; }
    public bool HasError { get; set; }
    public List<TurnResult> Differences { get; } = [];
}
