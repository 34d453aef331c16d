using Npgsql;
using SmsHall.Core.Accounts;

namespace SmsHall.Storage.Postgres;

/// <summary>
/// Group commit on PostgreSQL: the handled messages waiting at one moment commit in one transaction,
/// so a node under load pays one BEGIN, one COMMIT and one WAL flush for many messages instead of
/// one each. (Records of inbound messages commit on their own, in parallel: see PostgresMessageLog.) A caller's task completes only after the commit that holds its
/// rows, so "done" still means durable (synchronous_commit on). Each message takes its number's
/// advisory lock inside the batch; a batch takes them in number order, so two nodes' batches never
/// wait for each other in a circle. A message that fails (a stale offer, a voucher redeemed
/// meanwhile) is taken out and its caller hears why; the rest of the batch is run again and commits. A
/// deadlock with another node's batch (over a voucher both redeem) is such a failure, told as a
/// stale account so the hall handles the message again. When the database cannot be written, the
/// whole batch fails with that reason. No thread waits for work: a caller that finds nobody
/// committing commits itself, and messages that arrive meanwhile are committed next, by a pool thread.
/// </summary>
public sealed class PostgresGroupCommit(PostgresDatabase db)
{
    // Enough to cover a burst without one transaction holding its numbers' locks for long.
    private const int MaxBatch = 64;

    private readonly object _gate = new();
    private List<Job> _waiting = [];
    private bool _committing;

    /// <summary>Runs <paramref name="work"/> for a message of <paramref name="number"/> in the next group commit; completes when that commit is durable.</summary>
    public async Task<T> RunAsync<T>(string number, Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work)
    {
        var job = new Job<T>(number, work);
        bool leads;
        lock (_gate)
        {
            _waiting.Add(job);
            leads = !_committing; // else the one committing takes it next
            _committing = true;
        }
        if (!leads) return await job.Task;
        await CommitAsync(TakeBatch());
        // Messages that came during that commit are committed by a pool thread, so this caller's
        // answer does not wait for other messages' commits.
        if (!StopIfNothingWaits()) _ = Task.Run(CommitUntilNothingWaitsAsync);
        return await job.Task;
    }

    private async Task CommitUntilNothingWaitsAsync()
    {
        do await CommitAsync(TakeBatch());
        while (!StopIfNothingWaits());
    }

    private List<Job> TakeBatch()
    {
        lock (_gate)
        {
            var take = Math.Min(_waiting.Count, MaxBatch);
            var batch = _waiting.GetRange(0, take);
            _waiting.RemoveRange(0, take);
            return batch;
        }
    }

    private bool StopIfNothingWaits()
    {
        lock (_gate)
        {
            if (_waiting.Count > 0) return false;
            _committing = false;
            return true;
        }
    }

    private async Task CommitAsync(List<Job> batch)
    {
        // Number order: the advisory locks of one batch are taken in the same order on every node.
        batch.Sort((a, b) => string.CompareOrdinal(a.Number, b.Number));
        try
        {
            await using var c = await db.OpenAsync(CancellationToken.None);
            // No savepoint per message (two round trips each): a message that fails is rare (a lost
            // race), so the batch is rolled back and run again without it.
            var remaining = batch;
            while (remaining.Count > 0)
            {
                await using var tx = await c.BeginTransactionAsync();
                var failed = await RunUntilOneFailsAsync(remaining, c, tx);
                if (failed < 0)
                {
                    await tx.CommitAsync();
                    break;
                }
                await tx.RollbackAsync();
                remaining = [.. remaining.Where((_, i) => i != failed)];
            }
        }
        catch (Exception e)
        {
            // Nothing of this batch is committed: every caller still waiting hears why.
            var reason = PostgresErrors.Translate(e);
            foreach (var job in batch.Where(j => j.Failed is null)) job.Failed = reason;
        }
        foreach (var job in batch) job.Complete();
    }

    /// <summary>Runs the jobs in order; the index of the first that fails (it is told why), or -1.</summary>
    private static async Task<int> RunUntilOneFailsAsync(List<Job> jobs, NpgsqlConnection c, NpgsqlTransaction tx)
    {
        for (var i = 0; i < jobs.Count; i++)
        {
            try
            {
                await jobs[i].RunAsync(c, tx);
            }
            catch (Exception e) when (!PostgresErrors.CannotWrite(e))
            {
                jobs[i].Failed = Raced(e);
                return i;
            }
        }
        return -1;
    }

    // 40P01 (deadlock detected) and 40001 (serialization failure): another node's transaction won;
    // the message is handled again on fresh data, like any other lost race.
    private static Exception Raced(Exception e) =>
        e is PostgresException { SqlState: "40P01" or "40001" }
            ? new StaleAccountException($"raced with another node's commit ({((PostgresException)e).SqlState})")
            : e;

    private abstract class Job(string number)
    {
        public string Number { get; } = number;
        public Exception? Failed { get; set; }
        public abstract Task RunAsync(NpgsqlConnection c, NpgsqlTransaction tx);
        public abstract void Complete();
    }

    private sealed class Job<T>(string number, Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work) : Job(number)
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Task => _done.Task;

        public override async Task RunAsync(NpgsqlConnection c, NpgsqlTransaction tx) => _result = await work(c, tx);

        public override void Complete()
        {
            if (Failed is not null) _done.TrySetException(Failed);
            else _done.TrySetResult(_result!);
        }
    }
}
