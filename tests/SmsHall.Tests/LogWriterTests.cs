using Dapper;
using Microsoft.Data.Sqlite;
using SmsHall.Core.Accounts;
using SmsHall.Storage.Sqlite;

namespace SmsHall.Tests;

/// <summary>The group-commit writer on a real SQLite file.</summary>
public sealed class LogWriterTests : IDisposable
{
    private readonly Database _db = new(TestGateway.NewDatabasePath());

    public LogWriterTests()
    {
        _db.Migrate();
        using var c = _db.Open();
        c.Execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)");
    }

    [Fact]
    public async Task ConcurrentWritesAreAllCommittedAndEachIsVisibleWhenItsTaskCompletes()
    {
        await using var writer = new LogWriter(_db);
        var writes = Enumerable.Range(0, 500).Select(async i =>
        {
            await writer.WriteAsync((s, tx) => s.Connection.Execute("INSERT INTO notes (id, text) VALUES (@i, 'note')", new { i }, tx));
            // Done means committed: another connection sees it at once.
            using var reader = new SqliteConnection($"Data Source={_db.Path}");
            reader.Open();
            return reader.ExecuteScalar<long>("SELECT COUNT(*) FROM notes WHERE id = @i", new { i });
        }).ToList();
        Assert.All(await Task.WhenAll(writes), seen => Assert.Equal(1, seen));
    }

    [Fact]
    public async Task CommittedWritesReachTheDatabaseFileSoonNotOnlyTheWal()
    {
        // The writer never copies the WAL back itself (that stalled every message behind it); a timer
        // does, on its own connection. Seen here through a copy of the main file alone, without its WAL.
        await using var writer = new LogWriter(_db);
        for (var i = 0; i < 50; i++)
            await writer.WriteAsync((s, tx) => s.Connection.Execute("INSERT INTO notes (id, text) VALUES (@i, 'note')", new { i }, tx));
        var copy = TestGateway.NewDatabasePath();
        try
        {
            long inFile = 0;
            for (var waited = 0; waited < 100 && inFile < 50; waited++)
            {
                await Task.Delay(50);
                File.Copy(_db.Path, copy, overwrite: true);
                using var c = new SqliteConnection($"Data Source={copy};Pooling=False");
                c.Open();
                // Until the table itself is copied back, the file does not have it yet.
                inFile = c.ExecuteScalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'notes'") == 0 ? 0
                    : c.ExecuteScalar<long>("SELECT COUNT(*) FROM notes");
            }
            Assert.Equal(50, inFile);
        }
        finally
        {
            TestGateway.DeleteDatabase(copy);
        }
    }

    [Fact]
    public void ConnectionsWaitForAnotherWriteInSqlitesOwnBusyHandler()
    {
        // Microsoft.Data.Sqlite alone retries a locked database every 150 ms: a batch of messages whose
        // BEGIN IMMEDIATE met the node's short report write waited that long (bench/webhook.sh's p99.9).
        // SQLite's handler retries within milliseconds, for as long as the connection's timeout.
        using var c = _db.Open();
        Assert.Equal(c.DefaultTimeout * 1000L, c.ExecuteScalar<long>("PRAGMA busy_timeout"));
        Assert.True(c.DefaultTimeout > 0);
    }

    [Fact]
    public async Task AWriteThatFailsIsRolledBackAloneAndItsCallerHearsWhy()
    {
        await using var writer = new LogWriter(_db);
        // Queued together, so they share a transaction.
        var before = writer.WriteAsync((s, tx) => s.Connection.Execute("INSERT INTO notes (id, text) VALUES (1, 'kept')", transaction: tx));
        var failing = writer.WriteAsync<int>((s, tx) =>
        {
            s.Connection.Execute("INSERT INTO notes (id, text) VALUES (2, 'half-written')", transaction: tx);
            throw new InvalidOperationException("the account moved");
        });
        var after = writer.WriteAsync((s, tx) => s.Connection.Execute("INSERT INTO notes (id, text) VALUES (3, 'kept')", transaction: tx));

        Assert.Equal(1, await before);
        Assert.Equal("the account moved", (await Assert.ThrowsAsync<InvalidOperationException>(() => failing)).Message);
        Assert.Equal(1, await after);
        using var c = _db.Open();
        Assert.Equal([1L, 3L], c.Query<long>("SELECT id FROM notes ORDER BY id"));
    }

    [Fact]
    public async Task AWriteAskedToAnswerBeforeTheCommitAnswersOnceItHasRunAndIsCommittedWithItsBatch()
    {
        await using var writer = new LogWriter(_db);
        using var holds = new ManualResetEventSlim();
        using var first = new ManualResetEventSlim();
        using var last = new ManualResetEventSlim();
        // A write that holds the writer, so the next two are committed together after it.
        var holding = Task.Run(() => writer.WriteAsync((s, tx) =>
        {
            holds.Set();
            return first.Wait(TimeSpan.FromSeconds(10));
        }));
        Assert.True(holds.Wait(TimeSpan.FromSeconds(10)));
        var early = writer.WriteAsync((s, tx) => s.Connection.Execute("INSERT INTO notes (id, text) VALUES (1, 'early')", transaction: tx), beforeCommit: true);
        var after = writer.WriteAsync((s, tx) => last.Wait(TimeSpan.FromSeconds(10)));
        first.Set();

        Assert.Equal(1, await early); // answered while the write after it still runs: not committed yet
        Assert.Equal(0, Count());
        last.Set();
        await after;
        await holding;
        Assert.Equal(1, Count());
    }

    [Fact]
    public async Task OnAScratchCopyReadsSeeEveryWriteAndCommitsComeEveryThousandAndAtTheEnd()
    {
        using var scratch = new Database(_db.Path, scratch: true);
        var writer = new LogWriter(scratch);
        for (var i = 0; i < 1500; i++)
            await writer.WriteAsync((s, tx) => s.Connection.Execute("INSERT INTO notes (id, text) VALUES (@i, 'note')", new { i }, tx));

        Assert.Equal(1500, scratch.Read(s => s.Scalar<long>("SELECT COUNT(*) FROM notes"))); // its own reads see all
        Assert.Equal(1000, Count()); // others see what is committed
        await writer.DisposeAsync();
        Assert.Equal(1500, Count());
    }

    [Fact]
    public async Task OnAScratchCopyAWriteThatFailsIsUndoneAloneAndItsCallerHearsWhy()
    {
        using var scratch = new Database(_db.Path, scratch: true);
        var writer = new LogWriter(scratch);
        await writer.WriteAsync((s, tx) => s.Connection.Execute("INSERT INTO notes (id, text) VALUES (1, 'kept')", transaction: tx));
        var failing = writer.WriteAsync<int>((s, tx) =>
        {
            s.Connection.Execute("INSERT INTO notes (id, text) VALUES (2, 'undone')", transaction: tx);
            throw new InvalidOperationException("stale");
        });
        await writer.WriteAsync((s, tx) => s.Connection.Execute("INSERT INTO notes (id, text) VALUES (3, 'kept')", transaction: tx));

        Assert.Equal("stale", (await Assert.ThrowsAsync<InvalidOperationException>(() => failing)).Message);
        Assert.Equal([1L, 3L], scratch.Read(s => s.List("SELECT id FROM notes ORDER BY id", r => r.Long(0))));
        await writer.DisposeAsync();
        Assert.Equal(2, Count());
    }

    [Fact]
    public async Task AScratchCopyKeepsTheProductsItReadUntilAnOperatorChangesThem()
    {
        using var scratch = new Database(_db.Path, scratch: true);
        var accounts = new SqliteAccounts(scratch);
        Assert.Empty(await accounts.RewardsAsync());

        new SqliteProducts(scratch).SaveReward(new Reward("MOVIE", 100, RewardKind.Data, 500));

        Assert.Equal(["MOVIE"], (await accounts.RewardsAsync()).Select(r => r.Code));
    }

    private long Count()
    {
        using var reader = new SqliteConnection($"Data Source={_db.Path}");
        reader.Open();
        return reader.ExecuteScalar<long>("SELECT COUNT(*) FROM notes");
    }

    [Fact]
    public async Task StoppingCommitsWhatWasGivenAndRefusesMore()
    {
        var writer = new LogWriter(_db);
        var last = writer.WriteAsync((s, tx) => s.Connection.Execute("INSERT INTO notes (id, text) VALUES (7, 'last')", transaction: tx));
        await writer.DisposeAsync();
        Assert.Equal(1, await last);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => writer.WriteAsync((s, tx) => 0));
    }

    public void Dispose() => TestGateway.DeleteDatabase(_db.Path);
}
