using Npgsql;
using SmsHall.Core.Ports;

namespace SmsHall.Storage.Postgres;

/// <summary>
/// Listens for new catalogue versions (NOTIFY on <see cref="PostgresCatalogueVersions.Channel"/>) on a
/// connection of its own. A lost connection is opened again at the next wait; meanwhile the node
/// still looks after each timeout, so a missed notification only delays the switch.
/// </summary>
public sealed class PostgresCatalogueChanges(PostgresDatabase db) : ICatalogueChanges, IAsyncDisposable, IDisposable
{
    private NpgsqlConnection? _listening;

    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            if (_listening is null)
            {
                _listening = await db.OpenAsync(ct);
                await using var listen = new NpgsqlCommand($"LISTEN {PostgresCatalogueVersions.Channel}", _listening);
                await listen.ExecuteNonQueryAsync(ct);
            }
            await _listening.WaitAsync(timeout, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await DisposeAsync();
            await Task.Delay(timeout, ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_listening is { } listening)
        {
            _listening = null;
            await PostgresDatabase.CloseListenerAsync(listening);
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
