using System.Text;
using Microsoft.Extensions.Options;
using SmsHall.Core.Catalogue;
using SmsHall.Core.Ports;

namespace SmsHall.OperatorConsole;

/// <summary>What publishing did: the version now served, or the problems that stopped it.</summary>
public sealed record Publication(CatalogueVersion? Version, bool Published, IReadOnlyList<CatalogueProblem> Errors, string Message);

/// <summary>
/// Publishing from the console, as <c>smshall catalogue publish|rollback</c> does: a text that passes
/// the check becomes the newest stored version (every node switches to it; this one at once), and
/// the audit log says who did it and why.
/// </summary>
public sealed class CataloguePublisher(
    ICatalogueHistory history, ICatalogueVersions versions, CatalogueSource source, LiveCatalogue live, IAuditLog audit,
    IOptions<CatalogueOptions> options, TimeProvider clock)
{
    /// <summary>The catalogue's problems, as <c>smshall catalogue check</c> finds them (a text too large is one error).</summary>
    public IReadOnlyList<CatalogueProblem> Check(string text, string name = "draft")
    {
        var bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes > options.Value.MaxBytes)
            return [new CatalogueProblem(name, 0, $"the catalogue is {bytes:N0} bytes, more than Catalogue:MaxBytes ({options.Value.MaxBytes:N0})")];
        return CommandCatalogue.Check(name, text, options.Value.SegmentBudget).Problems;
    }

    public async Task<Publication> PublishAsync(string text, string how, string author, string? note, CancellationToken ct)
    {
        var errors = Check(text).Where(p => p.Severity == Severity.Error).ToList();
        if (errors.Count > 0) return new Publication(null, false, errors, $"Not published: the catalogue has {errors.Count} error(s); every node keeps the version it serves.");
        var latest = versions.Latest();
        if (latest?.Hash == CatalogueVersion.HashOf(text))
            return new Publication(latest, false, [], $"This is catalogue version {latest.Number} already, the one every node serves; nothing published.");
        var now = clock.GetUtcNow();
        var version = history.Publish(text, how, author, string.IsNullOrWhiteSpace(note) ? null : note.Trim(), now);
        // This node serves it at once; the others switch when notified (PostgreSQL) or within seconds.
        source.Follow(live);
        await audit.RecordAsync(new AuditEntry(now, author, $"catalogue {how}", $"version {version.Number}{(string.IsNullOrWhiteSpace(note) ? "" : ": " + note.Trim())}"), ct);
        return new Publication(version, true, [], $"Published as catalogue version {version.Number}; every node switches to it.");
    }
}
