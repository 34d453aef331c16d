using Microsoft.Extensions.Options;
using SmsHall.Core.Catalogue;
using SmsHall.Core.Ports;
using SmsHall.Hosting;
using SmsHall.Outbox;

namespace SmsHall.OperatorConsole;

/// <summary>
/// Tells the database, every <see cref="Every"/> and within a second of a catalogue change, which
/// catalogue version this node serves, and its handling times over the last hour and day: the overview lists the nodes seen lately and flags any left
/// behind. The version is looked at every second rather than signalled: the catalogue swaps in one
/// step with no event, and a look is one read of a field.
/// </summary>
public sealed class NodeReporter(
    INodes nodes, LiveCatalogue live, HandlingTimes times, IOptions<OutboxOptions> node, TimeProvider clock, ILogger<NodeReporter> log) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Look = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        long? reported = null;
        long? lastReport = null;
        var failing = false;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var version = live.Current.Version;
                if (lastReport is null || version != reported || clock.GetElapsedTime(lastReport.Value) >= Every)
                {
                    await nodes.ReportAsync(new NodeReport(node.Value.NodeName, version, clock.GetUtcNow(), times.Over(60), times.Over(24 * 60)), stopping);
                    (reported, lastReport, failing) = (version, clock.GetTimestamp(), false);
                }
                await Task.Delay(Look, clock, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database cannot be written now: said once, and the reports go on (the node only looks gone meanwhile).
                if (!failing) log.LogWarning("Could not report this node's catalogue version: {Error}", e.Message);
                failing = true;
                await Task.Delay(Look, clock, stopping).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
