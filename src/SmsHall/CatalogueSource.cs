using Microsoft.Extensions.Options;
using SmsHall.Core.Catalogue;

namespace SmsHall;

/// <summary>Where the catalogue is, how large it may be and how long its replies may be (section "Catalogue").</summary>
public sealed class CatalogueOptions
{
    public string Path { get; set; } = "commands.md";

    /// <summary>The SMS segments one reply may need at most; the catalogue check holds every template to it.</summary>
    public int SegmentBudget { get; set; } = CommandCatalogue.DefaultSegmentBudget;

    /// <summary>A larger file is not read at all (a wrong file copied over commands.md must not exhaust memory).</summary>
    public int MaxBytes { get; set; } = CatalogueFile.DefaultMaxBytes;

    /// <summary>Reads and compiles the file, or throws <see cref="CatalogueException"/> (replay, which tests the file itself).</summary>
    public CommandCatalogue Load(string? path = null) => CommandCatalogue.Load(path ?? Path, SegmentBudget, MaxBytes);
}

/// <summary>
/// Where the serving catalogue comes from. The file (Catalogue:Path), when it passes its check and
/// differs from the last version taken from it, is stored as a new version; a node serves the newest
/// stored version. A file that is rejected, missing or unreadable leaves the stored version serving,
/// reported as degraded; only when no version was ever stored is there no catalogue at all.
/// </summary>
public sealed class CatalogueSource(IOptions<CatalogueOptions> options, ICatalogueVersions versions, TimeProvider clock)
{
    public string Path => options.Value.Path;

    /// <summary>
    /// The catalogue to start with. <paramref name="store"/> false (commands that only read) never
    /// writes a version: a good file is served as it is. Throws <see cref="CatalogueException"/>
    /// with the file's problems when there is neither a good file nor a stored version.
    /// </summary>
    public LiveCatalogue Start(bool store)
    {
        var now = clock.GetUtcNow();
        var (catalogue, text, problems) = ReadFile();
        if (catalogue is not null)
        {
            if (!store) return new LiveCatalogue(catalogue, now, StoredAs(text!));
            var lastFromFile = versions.LatestFrom(CatalogueVersion.FromFile);
            var same = lastFromFile?.Hash == CatalogueVersion.HashOf(text!) ? lastFromFile : null;
            var version = same ?? versions.Store(text!, CatalogueVersion.FromFile, now);
            var latest = versions.Latest() ?? version;
            return latest.Number == version.Number ? new LiveCatalogue(catalogue, now, version.Number) : Compile(latest, now, problems);
        }
        var live = Compile(versions.Latest() ?? throw new CatalogueException(problems), now, problems);
        live.Reject(problems, now);
        return live;
    }

    /// <summary>
    /// The stored version a good file is, for a command that only reads: none when it is not stored,
    /// or when the database cannot be reached (such a command needs no database).
    /// </summary>
    private long? StoredAs(string text)
    {
        try
        {
            var lastFromFile = versions.LatestFrom(CatalogueVersion.FromFile);
            return lastFromFile?.Hash == CatalogueVersion.HashOf(text) ? lastFromFile.Number : null;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or Core.StorageUnavailableException)
        {
            return null;
        }
    }

    /// <summary>Looks at the file again after a change: a new good edit is stored and served, a bad one is recorded as rejected.</summary>
    public Reload Refresh(LiveCatalogue live)
    {
        var now = clock.GetUtcNow();
        var (catalogue, text, problems) = ReadFile();
        if (catalogue is null)
        {
            live.Reject(problems, now);
            return new Reload(ReloadOutcome.Rejected, null, problems);
        }
        var lastFromFile = versions.LatestFrom(CatalogueVersion.FromFile);
        if (lastFromFile?.Hash == CatalogueVersion.HashOf(text!))
        {
            // Not a new edit (a save without changes, or a bad edit undone): what serves stays, now healthy.
            if (live.Current.Rejected is not null) live.Accept(live.Catalogue, live.Current.LoadedAt, live.Current.Version);
            return new Reload(ReloadOutcome.Unchanged, lastFromFile, catalogue.Warnings);
        }
        var version = versions.Store(text!, CatalogueVersion.FromFile, now);
        live.Accept(catalogue, now, version.Number);
        return new Reload(ReloadOutcome.Accepted, version, catalogue.Warnings);
    }

    /// <summary>
    /// Switches to the newest stored version when it is not the one serving (another node, or
    /// <c>smshall catalogue publish</c>, stored it). Returns it, or null when nothing changed. A version
    /// that no longer compiles here (settings differ) is reported and not served.
    /// </summary>
    public CatalogueVersion? Follow(LiveCatalogue live)
    {
        var latest = versions.Latest();
        if (latest is null || latest.Number == live.Current.Version) return null;
        var (catalogue, problems) = CommandCatalogue.Check($"stored catalogue version {latest.Number}", latest.Text, options.Value.SegmentBudget);
        if (catalogue is null) throw new CatalogueException(problems.Where(p => p.Severity == Severity.Error).ToList());
        // The file's own trouble, if any, is still the operator's to see.
        var rejected = live.Current.Rejected;
        live.Accept(catalogue, clock.GetUtcNow(), latest.Number);
        if (rejected is not null) live.Reject(rejected.Problems, rejected.At);
        return latest;
    }

    /// <summary>A stored version, compiled; one that no longer compiles (settings changed since) counts as none.</summary>
    private LiveCatalogue Compile(CatalogueVersion version, DateTimeOffset now, IReadOnlyList<CatalogueProblem> fileProblems)
    {
        var (catalogue, _) = CommandCatalogue.Check($"stored catalogue version {version.Number}", version.Text, options.Value.SegmentBudget);
        return catalogue is null ? throw new CatalogueException(fileProblems) : new LiveCatalogue(catalogue, now, version.Number);
    }

    private (CommandCatalogue? Catalogue, string? Text, IReadOnlyList<CatalogueProblem> Errors) ReadFile()
    {
        var (text, problem) = CatalogueFile.Read(Path, options.Value.MaxBytes);
        if (text is null) return (null, null, [problem!]);
        var (catalogue, problems) = CommandCatalogue.Check(Path, text, options.Value.SegmentBudget);
        return (catalogue, text, catalogue is null ? problems.Where(p => p.Severity == Severity.Error).ToList() : []);
    }
}

public enum ReloadOutcome
{
    Accepted,
    Unchanged,
    Rejected,
}

/// <summary>What looking at the file again did: the version now from the file, and its warnings or its errors.</summary>
public sealed record Reload(ReloadOutcome Outcome, CatalogueVersion? Version, IReadOnlyList<CatalogueProblem> Problems);
