using SmsHall.Core.Catalogue;

namespace SmsHall.Core.Ports;

/// <summary>A stored catalogue version as <c>smshall catalogue history</c> lists it: who published it and why, not its text.</summary>
public sealed record PublishedVersion(long Number, string Hash, string Source, DateTimeOffset At, string? By, string? Note);

/// <summary>
/// Publishing catalogue versions by hand (<c>smshall catalogue publish|history|rollback</c>), beside
/// the versions the catalogue file stores by itself (<see cref="ICatalogueVersions"/>). Every node
/// serves the newest version.
/// </summary>
public interface ICatalogueHistory
{
    /// <summary>Stores a checked catalogue as the newest version, saying who published it and why; every node switches to it.</summary>
    CatalogueVersion Publish(string text, string source, string? by, string? note, DateTimeOffset at);

    /// <summary>Every stored version, newest first.</summary>
    IReadOnlyList<PublishedVersion> History();

    /// <summary>A stored version by its number, or null.</summary>
    CatalogueVersion? Find(long number);
}

/// <summary>Tells a node that a catalogue version may have been stored by another node or a command.</summary>
public interface ICatalogueChanges
{
    /// <summary>
    /// Completes when another version may have been stored, or after <paramref name="timeout"/> at
    /// the latest (a provider that cannot tell simply waits it out, and the node looks anyway).
    /// </summary>
    Task WaitAsync(TimeSpan timeout, CancellationToken ct);
}
