using System.Threading.Channels;
using Dapper;
using Microsoft.Data.Sqlite;

namespace SmsHall.Storage;

/// <summary>
/// The one writer of the message log (group commit). Callers hand it their writes and wait; it runs
/// every write waiting at that moment in one transaction, each inside its own savepoint, and commits
/// once — one fsync for many messages instead of one each. A caller's task completes only after the
/// commit that holds its rows, so "done" still means durable. A write that throws is rolled back to
/// its savepoint alone, and its caller gets the exception; the others commit.
/// </summary>
public sealed class LogWriter : IAsyncDisposable, IDisposable
{
    // Enough to cover a burst without one commit growing slow; the next batch starts right after.
    private const int MaxBatch = 256;

    private readonly Database _db;
    private readonly Channel<Job> _jobs = Channel.CreateUnbounded<Job>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private SqliteConnection? _connection;

    public LogWriter(Database db)
    {
        _db = db;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Runs <paramref name="write"/> in the next group commit; completes when that commit is durable.</summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> write)
    {
        var job = new Job<T>(write);
        return _jobs.Writer.TryWrite(job)
            ? job.Task
            : Task.FromException<T>(new ObjectDisposedException(nameof(LogWriter), "the message log writer has stopped"));
    }

    private async Task LoopAsync()
    {
        var batch = new List<Job>(MaxBatch);
        while (await _jobs.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _jobs.Reader.TryRead(out var job)) batch.Add(job);
            Commit(batch);
            batch.Clear();
        }
        _connection?.Dispose();
    }

    private void Commit(List<Job> batch)
    {
        try
        {
            var c = Connection();
            using var tx = c.BeginTransaction(); // BEGIN IMMEDIATE
            foreach (var job in batch)
            {
                tx.Save("job");
                try
                {
                    job.Run(c, tx);
                    tx.Release("job");
                }
                catch (Exception e)
                {
                    tx.Rollback("job");
                    tx.Release("job");
                    job.Fail(e);
                }
            }
            tx.Commit();
        }
        catch (Exception e)
        {
            // Nothing of this batch is committed: every caller still waiting hears why.
            foreach (var job in batch) job.Fail(e);
            _connection?.Dispose();
            _connection = null;
        }
        foreach (var job in batch) job.Complete();
    }

    private SqliteConnection Connection()
    {
        if (_connection is not null) return _connection;
        var c = new SqliteConnection(_db.ConnectionString);
        c.Open();
        // Scratch copies (replay) commit without fsync; the gateway keeps SQLite's full durability.
        if (!_db.Durable) c.Execute("PRAGMA synchronous = OFF");
        return _connection = c;
    }

    /// <summary>Stops taking writes, commits those already given, and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        _jobs.Writer.TryComplete();
        await _loop;
    }

    // The CLI disposes its services synchronously; the loop runs on the thread pool, so waiting is safe.
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private abstract class Job
    {
        public abstract void Run(SqliteConnection c, SqliteTransaction tx);
        public abstract void Fail(Exception e);
        public abstract void Complete();
    }

    private sealed class Job<T>(Func<SqliteConnection, SqliteTransaction, T> write) : Job
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private Exception? _error;

        public Task<T> Task => _done.Task;

        public override void Run(SqliteConnection c, SqliteTransaction tx) => _result = write(c, tx);

        public override void Fail(Exception e) => _error ??= e;

        public override void Complete()
        {
            if (_error is null) _done.TrySetResult(_result!);
            else _done.TrySetException(_error);
        }
    }
}
