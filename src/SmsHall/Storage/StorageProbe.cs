using Microsoft.Extensions.Options;
using SmsHall.Core;
using SmsHall.Core.Ports;
using SmsHall.Outbox;

namespace SmsHall.Storage;

/// <summary>
/// While the database cannot be written, tries a write every Database:ProbeSeconds and marks it
/// writable when one succeeds: the node comes back by itself, without a restart and without waiting
/// for traffic (a load balancer sends it none while /health says unavailable).
/// </summary>
public sealed class StorageProbe(
    IStorageAdmin storage, StorageHealth health, IOptions<DatabaseOptions> options, IOptions<OutboxOptions> node, TimeProvider clock, ILogger<StorageProbe> log)
    : BackgroundService
{
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
            storage.Probe(node.Value.NodeName, clock.GetUtcNow());
            health.Written();
        }
        catch (StorageUnavailableException e)
        {
            health.Failed(e);
        }
    }
}
