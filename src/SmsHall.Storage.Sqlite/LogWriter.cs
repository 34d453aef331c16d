using Microsoft.Data.Sqlite;

namespace SmsHall.Storage.Sqlite;

/// <summary>
/// The one writer of the message log (group commit). Callers hand it their writes and wait; every
/// write waiting at one moment runs in one transaction, each inside its own savepoint, and is
/// committed once — one fsync for many messages instead of one each. A caller's task completes only
/// after the commit that holds its rows, so "done" still means durable. A write that throws is rolled
/// back to its savepoint alone, and its caller gets the exception; the others commit — unless it failed
/// because the database cannot be written: then the whole batch fails with StorageUnavailableException.
/// No thread waits for work: a caller that finds nobody committing commits itself (a lone message
/// pays no thread hop), and writes that arrive meanwhile are committed next, by a pool thread.
/// On a scratch copy (replay) it runs each write at once and commits every thousand (see <see cref="Database"/>).
/// </summary>
public sealed class LogWriter : IAsyncDisposable, IDisposable
{
    // Enough to cover a burst without one commit growing slow; the next batch starts right after.
    private const int MaxBatch = 256;

    private readonly Database _db;
    private readonly object _gate = new();
    private List<Job> _waiting = [];
    private bool _committing;
    private bool _stopped;
    private Statements? _statements;
    private int _uncommitted;
    private Timer? _checkpoints;

    public LogWriter(Database db) => _db = db;

    /// <summary>
    /// Runs <paramref name="write"/> in the next group commit; completes when that commit is durable,
    /// or, with <paramref name="beforeCommit"/>, as soon as the write has run (for a write whose rows a
    /// later write of the same caller commits again anyway, so its caller need not wait a whole commit).
    /// <paramref name="oneChange"/> says the write changes the database in one statement at most, and
    /// throws only when that statement changed nothing: SQLite undoes a failed statement's changes
    /// itself, so it needs no savepoint of its own (two statements fewer).
    /// </summary>
    public Task<T> WriteAsync<T>(Func<Statements, SqliteTransaction, T> write, bool beforeCommit = false, bool oneChange = false)
    {
        if (_db.Scratch) return WriteNow(write, oneChange);
        var job = new Job<T>(write, beforeCommit, oneChange);
        lock (_gate)
        {
            if (_stopped) return Task.FromException<T>(new ObjectDisposedException(nameof(LogWriter), "the message log writer has stopped"));
            _waiting.Add(job);
            if (_committing) return job.Task; // the one committing takes it next
            _committing = true;
        }
        Commit(TakeBatch());
        // Writes that came during that commit are committed by a pool thread, so this caller's answer
        // does not wait for other messages' commits.
        if (!StopIfNothingWaits()) ThreadPool.UnsafeQueueUserWorkItem(_ => CommitUntilNothingWaits(), null);
        return job.Task;
    }

    private void CommitUntilNothingWaits()
    {
        do Commit(TakeBatch());
        while (!StopIfNothingWaits());
    }

    private List<Job> TakeBatch()
    {
        lock (_gate)
        {
            if (_waiting.Count <= MaxBatch)
            {
                var all = _waiting;
                _waiting = [];
                return all;
            }
            var batch = _waiting.GetRange(0, MaxBatch);
            _waiting.RemoveRange(0, MaxBatch);
            return batch;
        }
    }

    /// <summary>Ends this round of committing if nothing is waiting; true when it did.</summary>
    private bool StopIfNothingWaits()
    {
        lock (_gate)
        {
            if (_waiting.Count > 0) return false;
            _committing = false;
            Monitor.PulseAll(_gate);
            return true;
        }
    }

    private void Commit(List<Job> batch)
    {
        try
        {
            var c = Connection();
            using var tx = c.Connection.BeginTransaction(); // BEGIN IMMEDIATE
            var alone = batch.Count == 1;
            if (alone)
            {
                // Alone in its transaction, a write needs no savepoint: if it fails, the rollback is its own.
                try
                {
                    batch[0].Run(c, tx);
                    batch[0].CompleteEarly();
                }
                catch (Exception e)
                {
                    batch[0].Fail(e);
                }
            }
            else
            {
                foreach (var job in batch) RunInSavepoint(job, c, tx);
            }
            if (alone && batch[0].Failed) tx.Rollback();
            else tx.Commit();
        }
        catch (Exception e)
        {
            // Nothing of this batch is committed: every caller still waiting hears why.
            foreach (var job in batch) job.Fail(e);
            _statements?.Dispose();
            _statements = null;
        }
        foreach (var job in batch) job.Complete();
    }

    // The savepoint's statements are kept prepared (SqliteTransaction.Save and Release parse their SQL each time).
    private static void RunInSavepoint(Job job, Statements c, SqliteTransaction tx)
    {
        var savepoint = !job.OneChange;
        if (savepoint) c.Execute("SAVEPOINT job");
        try
        {
            job.Run(c, tx);
            if (savepoint) c.Execute("RELEASE job");
            job.CompleteEarly();
        }
        catch (SqliteException e) when (StorageErrors.CannotWrite(e))
        {
            // SQLite may have rolled back the whole transaction, savepoint and all (it does on a full
            // disk), and the other writes would fail the same way: the batch fails as one, for this reason.
            throw;
        }
        catch (Exception e)
        {
            if (savepoint)
            {
                c.Execute("ROLLBACK TO job");
                c.Execute("RELEASE job");
            }
            job.Fail(e);
        }
    }

    /// <summary>
    /// A scratch copy: its one caller writes at a time, so the write runs at once, with no queue, task
    /// or lock between them, on the connection its reads share, inside one transaction that stays open
    /// (so they see every write before it) and is committed every thousand writes and when the writer
    /// stops. Each write has its savepoint, as in a batch, from statements kept prepared.
    /// </summary>
    private Task<T> WriteNow<T>(Func<Statements, SqliteTransaction, T> write, bool oneChange)
    {
        if (_stopped) return Task.FromException<T>(new ObjectDisposedException(nameof(LogWriter), "the message log writer has stopped"));
        var c = _db.ScratchConnection();
        try
        {
            var tx = c.Transaction ??= c.Connection.BeginTransaction();
            if (!oneChange) c.Execute("SAVEPOINT job");
            T result;
            try
            {
                result = write(c, tx);
            }
            catch (Exception e) when (e is not SqliteException s || !StorageErrors.CannotWrite(s))
            {
                if (!oneChange)
                {
                    c.Execute("ROLLBACK TO job");
                    c.Execute("RELEASE job");
                }
                return Task.FromException<T>(StorageErrors.Translate(e));
            }
            if (!oneChange) c.Execute("RELEASE job");
            if (++_uncommitted >= 1000) CommitScratch(c);
            return Task.FromResult(result);
        }
        catch (Exception e)
        {
            // The database cannot be written: what is not committed yet is lost with the transaction.
            c.Transaction?.Dispose();
            c.Transaction = null;
            _uncommitted = 0;
            return Task.FromException<T>(StorageErrors.Translate(e));
        }
    }

    private void CommitScratch(Statements c)
    {
        c.Transaction?.Commit();
        c.Transaction?.Dispose();
        c.Transaction = null;
        _uncommitted = 0;
    }

    private Statements Connection()
    {
        if (_statements is not null) return _statements;
        var connection = _db.Open();
        if (!_db.Scratch)
        {
            // SQLite would copy the WAL back into the file (and fsync it) on the writer, after the commit
            // that fills it to 1,000 pages: every message waiting on that writer waited too (the p99.9 of
            // 140 ms). A timer does it instead, on its own connection, without blocking the writer.
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_autocheckpoint = 0";
            command.ExecuteNonQuery();
            _checkpoints = new Timer(_ => Checkpoint(), null, CheckpointEvery, CheckpointEvery);
        }
        return _statements = new Statements(connection);
    }

    private static readonly TimeSpan CheckpointEvery = TimeSpan.FromMilliseconds(200);

    // PASSIVE: copies what no reader still needs and waits for nobody. A failure is left to the next tick
    // (SQLite's own checkpoints fail silently the same way); the WAL keeps every commit meanwhile.
    private void Checkpoint()
    {
        try
        {
            using var connection = _db.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
            command.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
        }
    }

    /// <summary>Stops taking writes, waits for those already given to commit, and closes the connection.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _stopped = true;
            while (_committing) Monitor.Wait(_gate);
        }
        if (_db.Scratch) CommitScratch(_db.ScratchConnection());
        using (var stopped = new ManualResetEvent(false))
            if (_checkpoints?.Dispose(stopped) == true) stopped.WaitOne(); // a checkpoint running finishes first
        _checkpoints = null;
        _statements?.Dispose();
        _statements = null;
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private abstract class Job
    {
        public abstract bool Failed { get; }
        public abstract bool OneChange { get; }
        public abstract void Run(Statements s, SqliteTransaction tx);
        public abstract void Fail(Exception e);
        public abstract void Complete();

        public abstract void CompleteEarly();
    }

    private sealed class Job<T>(Func<Statements, SqliteTransaction, T> write, bool beforeCommit, bool oneChange) : Job
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private Exception? _error;

        public Task<T> Task => _done.Task;

        public override bool Failed => _error is not null;

        public override bool OneChange => oneChange;

        public override void Run(Statements s, SqliteTransaction tx) => _result = write(s, tx);

        // A database that cannot be written is the core's StorageUnavailableException: the caller answers "not now".
        public override void Fail(Exception e) => _error ??= StorageErrors.Translate(e);

        public override void Complete()
        {
            if (_error is null) _done.TrySetResult(_result!);
            else _done.TrySetException(_error);
        }

        public override void CompleteEarly()
        {
            if (beforeCommit) _done.TrySetResult(_result!);
        }
    }
}
