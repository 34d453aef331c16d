namespace SmsHall.Core.Catalogue;

/// <summary>
/// The catalogue the gateway answers with right now. A reload swaps in a new compiled catalogue in
/// one step, so each message is handled with one version from start to finish; a catalogue that
/// fails its check is recorded as rejected and the last good one keeps serving.
/// </summary>
public sealed class LiveCatalogue(CommandCatalogue initial, DateTimeOffset loadedAt)
{
    /// <summary>What is serving, since when, and the last rejected edit if it came after.</summary>
    public sealed record State(CommandCatalogue Catalogue, DateTimeOffset LoadedAt, Rejection? Rejected);

    /// <summary>An edit that failed the check, with its problems.</summary>
    public sealed record Rejection(DateTimeOffset At, IReadOnlyList<CatalogueProblem> Problems);

    private volatile State _state = new(initial, loadedAt, null);

    public State Current => _state;

    public CommandCatalogue Catalogue => _state.Catalogue;

    public void Accept(CommandCatalogue catalogue, DateTimeOffset at) => _state = new State(catalogue, at, null);

    public void Reject(IReadOnlyList<CatalogueProblem> problems, DateTimeOffset at) =>
        _state = _state with { Rejected = new Rejection(at, problems) };
}
