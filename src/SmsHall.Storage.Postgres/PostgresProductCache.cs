using Npgsql;

namespace SmsHall.Storage.Postgres;

/// <summary>
/// The products (plans, extras, data packs, rewards) as this node last read them, kept until the
/// database says their table changed: migration 016's triggers NOTIFY on <see cref="Channel"/> after
/// any statement on those tables, whoever ran it (any node, <c>smshall db seed</c>, a DBA in psql).
/// A list is kept only while this node's LISTEN connection is up: before LISTEN is confirmed, and
/// from the moment the connection is lost until it listens again, reads go to the database, since
/// a notification may have been missed; what was kept is dropped at both moments. The listener
/// starts with the first read, on a connection of its own; its failures never fail a read.
/// </summary>
public sealed class PostgresProductCache(PostgresDatabase db, TimeProvider clock) : IAsyncDisposable, IDisposable
{
    /// <summary>The LISTEN/NOTIFY channel that carries the name of each products table changed.</summary>
    public const string Channel = "smshall_products";

    // A listener that failed waits this long before it tries again: a database that is down is not hammered.
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    // A quiet listener checks its connection this often: one dropped silently (a firewall forgetting an
    // idle connection) raises no error, and would leave the node keeping lists nobody tells it about.
    private static readonly TimeSpan ProbeAfter = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, object> _kept = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _listener;
    private bool _listening;
    private bool _stopped;

    // Moved by every notification, local change, start and loss of listening: a read keeps its list
    // only if it did not move while the read ran, so a list read before a change is never kept after it.
    private long _version;

    /// <summary>The list kept for <paramref name="table"/>, else what <paramref name="read"/> reads (kept if it may be).</summary>
    internal async Task<IReadOnlyList<T>> ReadAsync<T>(string table, Func<CancellationToken, Task<List<T>>> read, CancellationToken ct)
    {
        long version;
        lock (_gate)
        {
            if (_kept.TryGetValue(table, out var kept)) return (IReadOnlyList<T>)kept;
            if (!_stopped) _listener ??= Task.Run(ListenAsync, CancellationToken.None);
            version = _version;
        }
        // Read-only: one list is handed to every message that reads it.
        var list = (await read(ct)).AsReadOnly();
        lock (_gate)
        {
            if (_listening && _version == version) _kept[table] = list;
        }
        return list;
    }

    /// <summary>
    /// A products table this node changed: forgotten at once, so the node's next read (an operator's
    /// page after the save) sees the change without waiting for its own notification to come back.
    /// </summary>
    internal void Changed(string table)
    {
        lock (_gate)
        {
            _version++;
            // Extras are kept with their names: a change to either is a change to the extras.
            _kept.Remove(table == "extra_names" ? "extras" : table);
        }
    }

    private void Listening(bool listening)
    {
        lock (_gate)
        {
            _listening = listening;
            _version++;
            _kept.Clear();
        }
    }

    private async Task ListenAsync()
    {
        var stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await ListenUntilLostAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // Lost, or could not connect: reads go to the database until it listens again.
            }
            try
            {
                await Task.Delay(RetryAfter, clock, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ListenUntilLostAsync(CancellationToken stop)
    {
        var listener = await db.OpenAsync(stop);
        listener.Notification += Notified;
        try
        {
            await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", listener)) await listen.ExecuteNonQueryAsync(stop);
            Listening(true);
            while (true)
            {
                if (await listener.WaitAsync(ProbeAfter, stop)) continue;
                await using var probe = new NpgsqlCommand("SELECT 1", listener);
                await probe.ExecuteNonQueryAsync(stop);
            }
        }
        finally
        {
            Listening(false);
            listener.Notification -= Notified;
            await PostgresDatabase.CloseListenerAsync(listener);
        }
    }

    private void Notified(object sender, NpgsqlNotificationEventArgs e) => Changed(e.Payload);

    public async ValueTask DisposeAsync()
    {
        Task? listener;
        lock (_gate)
        {
            _stopped = true;
            listener = _listener;
        }
        await _stop.CancelAsync();
        // It ends on cancellation and throws nothing.
        if (listener is not null) await listener;
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
