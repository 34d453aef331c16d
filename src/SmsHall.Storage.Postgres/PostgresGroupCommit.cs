using Npgsql;
using SmsHall.Core.Accounts;

namespace SmsHall.Storage.Postgres;

/// <summary>
/// Group commit on PostgreSQL: the items waiting at one moment commit in one transaction, so a node
/// under load pays one BEGIN, one COMMIT and one WAL flush for many of them instead of one each, and
/// <paramref name="commit"/> can send the statements of the whole batch together, a few round trips
/// a batch rather than a few an item. A caller's task completes only after the commit that holds its
/// rows, so "done" still means durable (synchronous_commit on). A batch is sorted by
/// <paramref name="key"/> (the number whose advisory lock an item takes), so two nodes' batches take
/// their locks in the same order and never wait for each other in a circle. An item that fails (a
/// stale offer, a voucher redeemed meanwhile: <paramref name="commit"/> throws
/// <see cref="ItemFailedException"/>) is taken out and its caller hears why; the rest of the batch is
/// run again and commits. A deadlock with another node's batch (over a voucher both redeem) is such
/// a failure, told as a stale account so the item is handled again. When the database cannot be
/// written, the whole batch fails with that reason. No thread waits for work: a caller that finds
/// nobody committing commits itself, and items that arrive meanwhile are committed next, by a pool thread.
/// </summary>
public sealed class PostgresGroupCommit<TItem, TResult>(
    PostgresDatabase db,
    Func<TItem, string> key,
    Func<NpgsqlConnection, NpgsqlTransaction, IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> commit)
{
    // Enough to cover a burst without one transaction holding its numbers' locks for long.
    private const int MaxBatch = 64;

    private readonly object _gate = new();
    private List<Job> _waiting = [];
    private bool _committing;

    /// <summary>Commits <paramref name="item"/> in the next group commit; completes when that commit is durable.</summary>
    public async Task<TResult> RunAsync(TItem item)
    {
        var job = new Job(item, key(item));
        bool leads;
        lock (_gate)
        {
            _waiting.Add(job);
            leads = !_committing; // else the one committing takes it next
            _committing = true;
        }
        if (!leads) return await job.Task;
        await CommitAsync(TakeBatch());
        // Items that came during that commit are committed by a pool thread, so this caller's
        // answer does not wait for other items' commits.
        if (!StopIfNothingWaits()) _ = Task.Run(CommitUntilNothingWaitsAsync);
        return await job.Task;
    }

    private async Task CommitUntilNothingWaitsAsync()
    {
        do await CommitAsync(TakeBatch());
        while (!StopIfNothingWaits());
    }

    /// <summary>
    /// The next batch: the items waiting, oldest first, one per key. A second item of a key waits for
    /// the next batch, because <c>commit</c> reads every item's state before it writes any (a number's
    /// second message would not see its first one's reply).
    /// </summary>
    private List<Job> TakeBatch()
    {
        lock (_gate)
        {
            var keys = new HashSet<string>(StringComparer.Ordinal);
            var batch = new List<Job>();
            var rest = new List<Job>();
            foreach (var job in _waiting)
                (batch.Count < MaxBatch && keys.Add(job.Key) ? batch : rest).Add(job);
            _waiting = rest;
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
        batch.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        try
        {
            await using var c = await db.OpenAsync(CancellationToken.None);
            // No savepoint per item (a round trip each, and they would split the batch's statements):
            // an item that fails is rare (a lost race), so the batch is rolled back and run again without it.
            var remaining = batch;
            while (remaining.Count > 0)
            {
                await using var tx = await c.BeginTransactionAsync();
                try
                {
                    var results = await commit(c, tx, [.. remaining.Select(j => j.Item)]);
                    await tx.CommitAsync();
                    for (var i = 0; i < remaining.Count; i++) remaining[i].Result = results[i];
                    break;
                }
                catch (ItemFailedException failed)
                {
                    await tx.RollbackAsync();
                    remaining[failed.Index].Failed = Raced(failed.InnerException!);
                    remaining = [.. remaining.Where((_, i) => i != failed.Index)];
                }
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

    // 40P01 (deadlock detected) and 40001 (serialization failure): another node's transaction won;
    // the item is handled again on fresh data, like any other lost race.
    private static Exception Raced(Exception e) =>
        e is PostgresException { SqlState: "40P01" or "40001" }
            ? new StaleAccountException($"raced with another node's commit ({((PostgresException)e).SqlState})")
            : e;

    private sealed class Job(TItem item, string key)
    {
        private readonly TaskCompletionSource<TResult> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TItem Item { get; } = item;
        public string Key { get; } = key;
        public TResult? Result { get; set; }
        public Exception? Failed { get; set; }
        public Task<TResult> Task => _done.Task;

        public void Complete()
        {
            if (Failed is not null) _done.TrySetException(Failed);
            else _done.TrySetResult(Result!);
        }
    }
}

/// <summary>
/// One item of a group commit failed for a reason of its own (not because the database cannot be
/// written): it is taken out of the batch and its caller hears <see cref="Exception.InnerException"/>.
/// </summary>
public sealed class ItemFailedException(int index, Exception reason) : Exception($"item {index} of the batch failed", reason)
{
    public int Index { get; } = index;

    /// <summary>
    /// Runs <paramref name="step"/> for the item at <paramref name="index"/>, telling a failure of its own as this exception.
    /// </summary>
    public static async Task<T> For<T>(int index, Func<Task<T>> step)
    {
        try
        {
            return await step();
        }
        catch (Exception e) when (e is not ItemFailedException && !PostgresErrors.CannotWrite(e))
        {
            throw new ItemFailedException(index, e);
        }
    }
}
