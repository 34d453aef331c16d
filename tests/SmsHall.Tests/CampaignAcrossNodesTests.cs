using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SmsHall.Campaigns;
using SmsHall.Core;
using SmsHall.Core.Campaigns;
using SmsHall.Core.Catalogue;
using SmsHall.Core.Ports;
using SmsHall.Storage.Postgres;
using SmsHall.Storage.Tests;
using SmsHall.Twilio;

namespace SmsHall.Tests;

/// <summary>One node's campaign sender on its own storage container, as a separate process would have.</summary>
public sealed record SenderNode(string Holder, CampaignRun Run, IServiceProvider Storage)
{
    public ICampaigns Campaigns => Storage.GetRequiredService<ICampaigns>();

    public static SenderNode On(string holder, IServiceProvider storage, LiveCatalogue catalogue, HallOptions hall, IOptions<TwilioOptions> twilio) =>
        new(holder, new CampaignRun(storage.GetRequiredService<ICampaigns>(), storage.GetRequiredService<IOutgoing>(), storage.GetRequiredService<ILeases>(),
            catalogue, hall, twilio), storage);
}

/// <summary>Two nodes sending one campaign while its lease changes hands (on SQLite in CampaignTests, on PostgreSQL here).</summary>
public static class TwoSenders
{
    /// <summary>
    /// Node A queued the first recipient's offer, then stopped before writing it down, holding the
    /// lease. Then both run a round every 20 seconds at once, except while one is down: A for the
    /// first two rounds (B takes the lapsed lease over), B for two rounds later on (A takes it back).
    /// Returns how many offers each queued.
    /// </summary>
    public static async Task<(int A, int B)> SendAsync(long id, SenderNode a, SenderNode b, CommandCatalogue catalogue, DateTimeOffset start)
    {
        var first = (await a.Campaigns.WaitingAsync(id, 1))[0];
        var offer = new OutgoingMessage(first.Number, "", Channel.Sms, Offers.Render((await a.Campaigns.FindAsync(id))!.Draft.Messages, first.Language,
            catalogue, new HallOptions()), Purpose.Offer, $"campaign {id}", AlertCategories.Offers, start);
        Assert.Equal(QueueResult.Queued, await a.Storage.GetRequiredService<IOutgoing>().QueueAsync(offer, new DailyCap(3, start.AddDays(-1), start.AddDays(1))));
        Assert.True(await a.Storage.GetRequiredService<ILeases>().TryTakeAsync(CampaignRun.Lease, a.Holder, start, CampaignRun.LeaseLength));

        var (byA, byB) = (0, 0);
        for (var round = 1; (await a.Campaigns.FindAsync(id))!.Waiting > 0; round++)
        {
            Assert.True(round < 200, "the campaign never finished");
            var at = start.AddSeconds(20 * round);
            var runs = await Task.WhenAll(
                round is 1 or 2 ? Task.FromResult(0) : Task.Run(() => a.Run.RunAsync(a.Holder, at)),
                round is 6 or 7 ? Task.FromResult(0) : Task.Run(() => b.Run.RunAsync(b.Holder, at)));
            byA += runs[0];
            byB += runs[1];
        }
        Assert.True(byA > 0 && byB > 0, $"A queued {byA}, B {byB}: the lease never changed hands");
        return (byA, byB);
    }
}

/// <summary>Two senders on one PostgreSQL database, the store several nodes share.</summary>
[Collection(PostgresCollection.Name)]
public sealed class CampaignAcrossNodesTests(PostgresServer server)
{
    private static readonly DateTimeOffset Now = TestGateway.Start;

    [Fact]
    public async Task TwoNodesOnPostgresSendEachOfferOnceWhileTheLeaseChangesHands()
    {
        var connectionString = server.CreateDatabase();
        using var storageA = new ServiceCollection().AddPostgresStorage(_ => connectionString).BuildServiceProvider();
        using var storageB = new ServiceCollection().AddPostgresStorage(_ => connectionString).BuildServiceProvider();
        storageA.GetRequiredService<IStorageAdmin>().Migrate();
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        storageA.GetRequiredService<ISeeding>().SeedDemo(today);
        storageA.GetRequiredService<ISeeding>().SeedSynthetic(100, today);
        var catalogue = new LiveCatalogue(CommandCatalogue.Load(Repo.CommandsMd), Now);
        var hall = new HallOptions();
        var twilio = Options.Create(new TwilioOptions { From = "+15005550006" });
        var (a, b) = (SenderNode.On("node-a", storageA, catalogue, hall, twilio), SenderNode.On("node-b", storageB, catalogue, hall, twilio));

        var members = await new Audience(a.Campaigns, storageA.GetRequiredService<Core.Accounts.IAccounts>(), hall).MembersAsync(Segment.WouldSave, Now);
        Assert.True(members.Count >= 10, $"only {members.Count} would save");
        var id = await a.Campaigns.CreateAsync(new CampaignDraft("Save", Segment.WouldSave, new Dictionary<string, string> { ["en"] = "Save on your plan: text RECOMMEND." },
            Now, 3, Now, "editor"));
        Assert.True(await b.Campaigns.StartAsync(id, [.. members.Select(m => m.Number)], Now));

        var (byA, byB) = await TwoSenders.SendAsync(id, a, b, catalogue.Catalogue, Now);

        // One offer each in the outbox (none sent: no sender runs here), and every recipient written down as queued.
        Assert.Equal(members.Count, (await storageB.GetRequiredService<IOutbox>().StatsAsync(Now)).Pending);
        Assert.Equal(members.Count, byA + byB);
        Assert.Equal(members.Count, (await b.Campaigns.ResultsAsync(id, TimeSpan.FromDays(7))).Queued);
    }
}
