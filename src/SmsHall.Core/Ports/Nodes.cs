namespace SmsHall.Core.Ports;

/// <summary>A gateway node as it last reported: the catalogue version it serves, and when.</summary>
public sealed record NodeSeen(string Name, long? CatalogueVersion, DateTimeOffset LastSeen);

/// <summary>The nodes on the database, each reporting what it serves, so operators see a node left behind.</summary>
public interface INodes
{
    /// <summary>Records that the node is up and serves that catalogue version (null: one not stored).</summary>
    Task ReportAsync(string name, long? catalogueVersion, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>The nodes that reported since then, by name.</summary>
    Task<IReadOnlyList<NodeSeen>> SeenSinceAsync(DateTimeOffset since, CancellationToken ct = default);
}
