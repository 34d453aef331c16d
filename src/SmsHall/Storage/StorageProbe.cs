using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using SmsHall.Outbox;

namespace SmsHall.Storage;

/// <summary>
/// While the database cannot be written, tries a write every Database:ProbeSeconds and marks it
/// writable when one succeeds: the node comes back by itself, without a restart and without waiting
/// for traffic (a load balancer sends it none while /health says unavailable).
/// </summary>
public sealed class StorageProbe(
    Database db, StorageHealth health, IOptions<DatabaseOptions> options, IOptions<OutboxOptions> node, TimeProvider clock, ILogger<StorageProbe> log)
    : BackgroundService
{
    // The room the probe's write needs beyond what it frees: a few dozen messages' worth.
    private const int Room = 64 * 1024;

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var every = TimeSpan.FromSeconds(options.Value.ProbeSeconds);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, clock, stopping);
                if (health.Unavailable is not null) Probe();
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Not a full disk but a bug: said loudly, and the probing goes on — a probe that stopped
                // would leave the node out of the load balancer for good.
                log.LogError(e, "The storage probe failed; it tries again in {Seconds} s", options.Value.ProbeSeconds);
            }
        }
    }

    private void Probe()
    {
        try
        {
            using var c = db.Open();
            using var tx = c.BeginTransaction();
            // The new row first, then the previous one deleted: the write needs Room more than the
            // file has in use, as new messages would (see migration 005).
            c.Execute("INSERT INTO node_heartbeat (node, at, room) VALUES (@node, @at, zeroblob(@room))",
                new { node = node.Value.NodeName, at = Dates.Write(clock.GetUtcNow()), room = Room }, tx);
            c.Execute("DELETE FROM node_heartbeat WHERE node = @node AND id <> last_insert_rowid()", new { node = node.Value.NodeName }, tx);
            tx.Commit();
            health.Written();
        }
        catch (SqliteException e) when (StorageErrors.CannotWrite(e))
        {
            health.Failed(e);
        }
    }
}
