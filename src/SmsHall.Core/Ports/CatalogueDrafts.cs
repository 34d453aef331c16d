namespace SmsHall.Core.Ports;

/// <summary>
/// An operator's catalogue edit that is not published yet, as they last left it, and the catalogue
/// version it began from (null when unknown), so that publishing sees another editor's publish since.
/// </summary>
public sealed record CatalogueDraft(string Operator, string Text, DateTimeOffset SavedAt, long? BaseVersion);

/// <summary>
/// The console's drafts, one per operator, kept in the database so that the editor, the preview and
/// publishing find the same text on every node and after a reload. One per operator rather than one
/// shared: two editors working at once never overwrite each other's half-done edit, and each
/// preview is of its own author's text.
/// </summary>
public interface ICatalogueDrafts
{
    Task<CatalogueDraft?> FindDraftAsync(string author, CancellationToken ct = default);

    /// <summary>
    /// Stores the operator's draft, replacing the one they had. <paramref name="baseVersion"/> is kept
    /// from the draft's first save: the draft began from it, whatever was published meanwhile.
    /// </summary>
    Task SaveDraftAsync(string author, string text, long? baseVersion, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>Forgets the operator's draft (published, or thrown away).</summary>
    Task DeleteDraftAsync(string author, CancellationToken ct = default);
}

/// <summary>Where a preview stands.</summary>
public enum PreviewState
{
    Running,
    Done,
    Failed,
}

/// <summary>
/// A preview of a draft on real traffic: the recorded messages of the last <see cref="Days"/> days
/// replayed with the served catalogue and with the draft. <see cref="Result"/> (JSON) is there when
/// it is done, <see cref="Error"/> when it failed.
/// </summary>
public sealed record PreviewRun(
    long Id, string Operator, int Days, PreviewState State, double Progress, string? Phase, DateTimeOffset StartedAt,
    DateTimeOffset UpdatedAt, string? Error, string? Result);

/// <summary>
/// Previews' state and results in the database, so any node shows a preview's progress whichever
/// node runs it. An operator has at most one running at a time.
/// </summary>
public interface ICataloguePreviews
{
    /// <summary>Records a new running preview; null when the operator has one running already.</summary>
    Task<long?> StartPreviewAsync(string author, int days, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>
    /// How far a running preview is (0 to 1) and what it is doing; ignored once it has ended. False
    /// when it has ended (failed meanwhile, as silent, by another node): its runner stops.
    /// </summary>
    Task<bool> ProgressPreviewAsync(long id, double progress, string phase, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>Ends a running preview with its result; false when it had ended already (failed meanwhile).</summary>
    Task<bool> FinishPreviewAsync(long id, string result, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>Ends a running preview with an error; false when it had ended already.</summary>
    Task<bool> FailPreviewAsync(long id, string error, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>The operator's newest preview, running or ended.</summary>
    Task<PreviewRun?> LatestPreviewAsync(string author, CancellationToken ct = default);
}
