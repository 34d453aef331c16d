namespace SmsHall.Core.Ports;

/// <summary>How many messages a node answered in a window, and within how many milliseconds half and 99 % of them were.</summary>
public sealed record HandlingTime(long Messages, double P50Ms, double P99Ms);

/// <summary>What a node reports: the catalogue version it serves (null: one not stored) and its handling times.</summary>
public sealed record NodeReport(string Name, long? CatalogueVersion, DateTimeOffset At, HandlingTime? LastHour = null, HandlingTime? LastDay = null);

/// <summary>A gateway node as it last reported.</summary>
public sealed record NodeSeen(string Name, long? CatalogueVersion, DateTimeOffset LastSeen, HandlingTime? LastHour = null, HandlingTime? LastDay = null);

/// <summary>The nodes on the database, each reporting what it serves and how fast, so operators see a node left behind or slow.</summary>
public interface INodes
{
    /// <summary>Records that the node is up, with what it serves and its handling times.</summary>
    Task ReportAsync(NodeReport report, CancellationToken ct = default);

    /// <summary>The nodes that reported since then, by name.</summary>
    Task<IReadOnlyList<NodeSeen>> SeenSinceAsync(DateTimeOffset since, CancellationToken ct = default);
}
