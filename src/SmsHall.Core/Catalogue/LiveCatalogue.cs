namespace SmsHall.Core.Catalogue;

/// <summary>
/// The catalogue the gateway answers with right now. A reload swaps in a new compiled catalogue in
/// one step, so each message is handled with one version from start to finish; a catalogue file
/// that fails its check (or cannot be read) is recorded as rejected and the last good one keeps serving.
/// </summary>
public sealed class LiveCatalogue(CommandCatalogue initial, DateTimeOffset loadedAt, long? version = null)
{
    /// <summary>
    /// What is serving, its stored version number (null when it is not stored, as in replay), since
    /// when, and the problem with the catalogue file if it came after.
    /// </summary>
    public sealed record State(CommandCatalogue Catalogue, DateTimeOffset LoadedAt, Rejection? Rejected, long? Version);

    /// <summary>An edit that failed the check, or a file that could not be read, with its problems.</summary>
    public sealed record Rejection(DateTimeOffset At, IReadOnlyList<CatalogueProblem> Problems);

    private volatile State _state = new(initial, loadedAt, null, version);

    public State Current => _state;

    public CommandCatalogue Catalogue => _state.Catalogue;

    public void Accept(CommandCatalogue catalogue, DateTimeOffset at, long? version = null) => _state = new State(catalogue, at, null, version);

    public void Reject(IReadOnlyList<CatalogueProblem> problems, DateTimeOffset at) =>
        _state = _state with { Rejected = new Rejection(at, problems) };
}
