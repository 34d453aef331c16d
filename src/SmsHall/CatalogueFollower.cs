using SmsHall.Core.Catalogue;
using SmsHall.Core.Ports;

namespace SmsHall;

/// <summary>
/// Keeps every node on the newest stored catalogue version: when one is published (by
/// <c>smshall catalogue publish|rollback</c>, or by another node taking in its file), this node
/// switches to it — at once on PostgreSQL, which notifies the nodes; within a couple of seconds otherwise.
/// </summary>
public sealed class CatalogueFollower(
    LiveCatalogue live, CatalogueSource source, ICatalogueChanges changes, ILogger<CatalogueFollower> log) : BackgroundService
{
    // How long a node goes at most without looking, notified or not.
    private static readonly TimeSpan LookEvery = TimeSpan.FromSeconds(2);

    // The last failure logged: the same one, every couple of seconds, is said once.
    private string? _lastError;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await changes.WaitAsync(LookEvery, stoppingToken);
                if (source.Follow(live) is { } version)
                    log.LogInformation("Now serving catalogue version {Version} ({Source})", version.Number, version.Source);
                _lastError = null;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database cannot be read now, or the version does not compile here: what serves stays.
                var error = e is CatalogueException c ? string.Join("; ", c.Problems) : e.Message;
                if (error != _lastError)
                    log.LogError("Could not switch to the newest catalogue version; version {Version} keeps serving: {Error}", live.Current.Version, error);
                _lastError = error;
            }
        }
    }
}
