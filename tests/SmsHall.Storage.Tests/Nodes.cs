using Microsoft.Extensions.DependencyInjection;
using SmsHall.Core;
using SmsHall.Core.Accounts;
using SmsHall.Core.Catalogue;
using SmsHall.Core.Grammar;
using SmsHall.Core.Ports;
using SmsHall.Core.Replies;

namespace SmsHall.Storage.Tests;

/// <summary>
/// One gateway node's view of the storage: its own container, so its own connections, pools and
/// (on SQLite) its own log writer, as a separate process would have. Several on one database are
/// several nodes.
/// </summary>
public sealed class Node(ServiceProvider services) : IDisposable
{
    public IAccounts Accounts => services.GetRequiredService<IAccounts>();
    public IMessageLog Log => services.GetRequiredService<IMessageLog>();
    public IOutbox Outbox => services.GetRequiredService<IOutbox>();
    public IOutgoing Outgoing => services.GetRequiredService<IOutgoing>();
    public ILeases Leases => services.GetRequiredService<ILeases>();
    public INoticeSources Notices => services.GetRequiredService<INoticeSources>();
    public ICatalogueVersions Catalogues => services.GetRequiredService<ICatalogueVersions>();
    public IOperatorQueries Queries => services.GetRequiredService<IOperatorQueries>();
    public INodes Nodes => services.GetRequiredService<INodes>();
    public ILogExport Export => services.GetRequiredService<ILogExport>();
    public ISeeding Seeding => services.GetRequiredService<ISeeding>();
    public IStorageAdmin Admin => services.GetRequiredService<IStorageAdmin>();
    public ISnapshotSource Snapshot => services.GetRequiredService<ISnapshotSource>();
    public ICatalogueChanges Changes => services.GetRequiredService<ICatalogueChanges>();
    public ICatalogueHistory History => services.GetRequiredService<ICatalogueHistory>();
    public IProducts Products => services.GetRequiredService<IProducts>();
    public ICampaigns Campaigns => services.GetRequiredService<ICampaigns>();
    public IOperators Operators => services.GetRequiredService<IOperators>();
    public IAuditLog Audit => services.GetRequiredService<IAuditLog>();
    public IKeyRingStore KeyRing => services.GetRequiredService<IKeyRingStore>();
    public ICatalogueDrafts Drafts => services.GetRequiredService<ICatalogueDrafts>();
    public ICataloguePreviews Previews => services.GetRequiredService<ICataloguePreviews>();
    public ITickets Tickets => services.GetRequiredService<ITickets>();

    public void Dispose() => services.Dispose();
}

/// <summary>Messages as the pipeline hands them to storage, without the pipeline.</summary>
public static class Messages
{
    public const string Alice = "+15550000001";
    public const string Bob = DemoData.PostpaidNumber;
    public const string Chen = "+15550000003";
    public const string ShortCode = "SMSHALL";

    public static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    public static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);

    public static InboundMessage Inbound(string sid, string from, string body = "BAL", DateTimeOffset? at = null, ReplyBy by = ReplyBy.Answer) =>
        new(sid, from, ShortCode, body, at ?? Now, by);

    public static RenderedReply Reply(string text, string key = "balance") => new(key, "en", text, SmsEncoding.Gsm7, 1);

    public static HandledMessage Handled(
        InboundMessage m, string reply, IReadOnlyList<AccountChange>? changes = null, RateLimit? limit = null, string command = "balance") =>
        new(m, new Understanding(m.Body, m.Body.ToLowerInvariant(), Command(command), MatchKind.Exact, m.Body.ToLowerInvariant(), ["en"]),
            changes ?? [], Reply(reply), ReplyStatus.Replied, m.ReceivedAt, limit);

    private static Command Command(string name) => name switch
    {
        "unknown" => new Command.Unknown([]),
        "confirm" => new Command.Confirm(),
        "feedback" => new Command.Feedback("text"),
        "agent" => new Command.Agent(),
        "ticket" => new Command.TicketReply(0),
        _ => new Command.Balance(),
    };

    /// <summary>Records a message and commits its reply, as the pipeline does.</summary>
    public static async Task<Answer> HandleAsync(this Node node, HandledMessage handled)
    {
        if (await node.Log.RecordInboundAsync(handled.Inbound) is { } earlier) return earlier;
        return await node.Log.CommitAsync(handled);
    }
}
