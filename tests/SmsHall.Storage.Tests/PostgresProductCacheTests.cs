using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using SmsHall.Core.Accounts;
using SmsHall.Storage.Postgres;
using static SmsHall.Storage.Tests.Messages;

namespace SmsHall.Storage.Tests;

/// <summary>
/// The products a PostgreSQL node keeps in memory (<see cref="PostgresProductCache"/>): two nodes on
/// one database, and a third connection standing for a DBA in psql. Whether node A answers from
/// memory is seen by changing GOLD's price with triggers off (no notification): a read that still
/// gives the old price did not ask the database.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresProductCacheTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly string _database;
    // A's listener waits on this clock before it tries again after losing its connection: until the
    // test moves it, A cannot listen again.
    private readonly FakeTimeProvider _clock = new();
    private readonly Node _a;
    private readonly Node _b;

    public PostgresProductCacheTests(PostgresServer server)
    {
        _database = server.CreateDatabase();
        _a = new Node(new ServiceCollection().AddSingleton<TimeProvider>(_clock).AddPostgresStorage(_ => _database).BuildServiceProvider());
        _a.Admin.Migrate();
        _a.Seeding.SeedDemo(Today);
        _b = new Node(new ServiceCollection().AddPostgresStorage(_ => _database).BuildServiceProvider());
    }

    [Fact]
    public async Task ANodeAnswersFromMemoryUntilAPriceChangesThroughAnotherNodeOrInPsql()
    {
        await Until(() => KeepsPlansAsync(_a), "A keeps the plans");
        Assert.True(await KeepsPlansAsync(_a)); // and keeps them, read after read

        await SqlAsync("UPDATE plans SET monthly_fee_cents = 4999 WHERE code = 'GOLD'");
        await Until(async () => await GoldFeeAsync(_a) == 4999, "A sees the price changed in psql");

        var packs = await _a.Accounts.DataPacksAsync();
        var pack = packs[0] with { PriceCents = packs[0].PriceCents + 100 };
        Assert.False(_b.Products.SavePack(pack));
        await Until(async () => (await _a.Accounts.DataPacksAsync()).Contains(pack), "A sees the pack's price changed by B");

        // A's own change is there at its next read, without waiting for its notification.
        var reward = new Reward("C20", 2500, RewardKind.Credit, 2000);
        await _a.Accounts.RewardsAsync();
        Assert.True(_a.Products.SaveReward(reward));
        Assert.Contains(reward, await _a.Accounts.RewardsAsync());
    }

    [Fact]
    public async Task ANodeWhoseListenerIsCutReadsTheDatabaseUntilItListensAgain()
    {
        await Until(() => KeepsPlansAsync(_a), "A keeps the plans");

        Assert.Equal(1, await SqlAsync(
            $"SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN {PostgresProductCache.Channel}'"));
        await Until(async () => !await KeepsPlansAsync(_a), "A drops what it kept");

        // Its listener cannot connect again until the clock moves: every read goes to the database,
        // and a change whose notification nobody on A heard is seen at once.
        for (var fee = 5001; fee <= 5003; fee++)
        {
            await SqlAsync($"UPDATE plans SET monthly_fee_cents = {fee} WHERE code = 'GOLD'");
            Assert.Equal(fee, await GoldFeeAsync(_a));
            Assert.False(await KeepsPlansAsync(_a));
        }

        await Until(() =>
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            return KeepsPlansAsync(_a);
        }, "A listens and keeps the plans again");
        await SqlAsync("UPDATE plans SET monthly_fee_cents = 6000 WHERE code = 'GOLD'");
        await Until(async () => await GoldFeeAsync(_a) == 6000, "A sees a change made after it listens again");
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }

    /// <summary>Whether the node answers GOLD's price from memory: a change no one is told of is not seen.</summary>
    private async Task<bool> KeepsPlansAsync(Node node)
    {
        var fee = await GoldFeeAsync(node);
        await SqlAsync("UPDATE plans SET monthly_fee_cents = monthly_fee_cents + 1 WHERE code = 'GOLD'", triggers: false);
        return await GoldFeeAsync(node) == fee;
    }

    private static async Task<long> GoldFeeAsync(Node node) => (await node.Accounts.PlansAsync()).Single(p => p.Code == "GOLD").MonthlyFeeCents;

    /// <summary>A statement on a connection of its own, as a DBA's; with triggers off (replica mode) it notifies nobody.</summary>
    private async Task<long> SqlAsync(string sql, bool triggers = true)
    {
        await using var c = new NpgsqlConnection(_database);
        await c.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        if (!triggers) await c.ExecuteAsync("SET LOCAL session_replication_role = replica", transaction: tx);
        var result = await c.ExecuteScalarAsync<long>(sql, transaction: tx);
        await tx.CommitAsync();
        return result;
    }

    private static async Task Until(Func<Task<bool>> condition, string what)
    {
        for (var waited = TimeSpan.Zero; waited < Deadline; waited += TimeSpan.FromMilliseconds(20))
        {
            if (await condition()) return;
            await Task.Delay(20);
        }
        Assert.Fail($"{what}: not within {Deadline.TotalSeconds} s");
    }
}
