using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SmsHall.Core.Accounts;
using SmsHall.Core.Ports;
using SmsHall.Storage.Postgres;
using static SmsHall.Storage.Tests.Messages;

namespace SmsHall.Storage.Tests;

/// <summary>
/// PostgreSQL's group commit: messages arriving together commit in one transaction, and one that
/// loses a race is taken out of the batch without taking the others with it.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class GroupCommitTests(PostgresServer server) : IDisposable
{
    private readonly string _connectionString = server.CreateDatabase();
    private readonly List<ServiceProvider> _services = [];

    private Node NewNode()
    {
        var services = new ServiceCollection().AddPostgresStorage(_ => _connectionString).BuildServiceProvider();
        _services.Add(services);
        return new Node(services);
    }

    public void Dispose()
    {
        foreach (var services in _services) services.Dispose();
    }

    [Fact]
    public async Task AMessageThatLosesARaceIsTakenOutOfItsBatchAndTheOthersCommit()
    {
        var node = NewNode();
        node.Admin.Migrate();
        node.Seeding.SeedDemo(Today);
        node.Seeding.SeedSynthetic(60, Today);

        for (var round = 0; round < 5; round++)
        {
            // Sixty messages at once from sixty numbers, one of them answering an offer that is not there.
            var loser = $"SM-LOSER-{round}";
            var messages = Enumerable.Range(0, 60).Select(i =>
            {
                var from = SyntheticSubscribers.Number(i);
                return i == 30
                    ? Handled(Inbound(loser, from, "YES"), "Done", [new AccountChange.TakeOffer("SM-NO-SUCH-OFFER")], command: "confirm")
                    : Handled(Inbound($"SM-GC-{round}-{i}", from), $"Balance {i}");
            }).ToList();
            var outcomes = await Task.WhenAll(messages.Select(async Task<string?> (m) =>
            {
                try
                {
                    return (await node.HandleAsync(m)).Text;
                }
                catch (StaleAccountException)
                {
                    return "stale";
                }
            }));

            Assert.Equal("stale", outcomes[30]);
            Assert.All(outcomes.Where((_, i) => i != 30).Select((text, i) => (text, i)), o => Assert.StartsWith("Balance", o.text));
            await using var c = new NpgsqlConnection(_connectionString);
            Assert.Equal(59, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbound_messages WHERE inbound_sid LIKE @p", new { p = $"SM-GC-{round}-%" }));
            Assert.Equal("received", await c.ExecuteScalarAsync<string>("SELECT status FROM inbound_messages WHERE sid = @loser", new { loser }));
            Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbound_messages WHERE inbound_sid = @loser", new { loser }));
        }
    }

    [Fact]
    public async Task MessagesArrivingTogetherShareTransactions()
    {
        var node = NewNode();
        node.Admin.Migrate();
        node.Seeding.SeedSynthetic(200, Today);
        await using var c = new NpgsqlConnection(_connectionString);
        var before = await c.ExecuteScalarAsync<long>("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()");

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            node.HandleAsync(Handled(Inbound($"SM-SHARE-{i}", SyntheticSubscribers.Number(i)), "Balance"))));

        var after = await c.ExecuteScalarAsync<long>("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()");
        Assert.Equal(200, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbound_messages WHERE inbound_sid LIKE 'SM-SHARE-%'"));
        // Each record commits on its own (200); the 200 commits share far fewer transactions.
        Assert.True(after - before < 200 + 100, $"{after - before} transactions for 200 messages");
    }
}
