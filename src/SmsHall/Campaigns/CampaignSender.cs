using Microsoft.Extensions.Options;
using SmsHall.Core.Campaigns;
using SmsHall.Outbox;
using SmsHall.Twilio;

namespace SmsHall.Campaigns;

/// <summary>Campaigns:RoundSeconds: how often each node tries the lease and queues the offers due.</summary>
public sealed class CampaignOptions
{
    public double RoundSeconds { get; set; } = 2;
}

/// <summary>
/// Runs on every node; only the node holding the lease <c>campaigns</c> sends (<see cref="CampaignRun"/>).
/// Idle while the gateway cannot send messages of its own accord (the console says why).
/// </summary>
public sealed class CampaignSender(
    CampaignRun run,
    IOptions<CampaignOptions> options,
    IOptions<OutboxOptions> outbox,
    IOptions<TwilioOptions> twilio,
    OutboxSignal signal,
    TimeProvider clock,
    ILogger<CampaignSender> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var every = TimeSpan.FromSeconds(options.Value.RoundSeconds);
        var holder = outbox.Value.NodeName;
        while (!stopping.IsCancellationRequested)
        {
            if (twilio.Value.OwnMessagesProblem() is null)
            {
                try
                {
                    if (await run.RunAsync(holder, clock.GetUtcNow(), stopping) > 0) signal.Notify();
                }
                catch (Exception e) when (!stopping.IsCancellationRequested)
                {
                    // The next round tries again; what was written down stays done.
                    log.LogError(e, "A campaign round failed");
                }
            }
            try
            {
                await Task.Delay(every, stopping);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }
}

public static class CampaignSetup
{
    /// <summary>The segments, the campaign sender on this node, and its settings (Campaigns:RoundSeconds).</summary>
    public static IServiceCollection AddCampaigns(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<CampaignOptions>().Bind(config.GetSection("Campaigns"))
            .Validate(o => o.RoundSeconds is >= 0.05 and <= 600, "Campaigns:RoundSeconds must be from 0.05 to 600")
            .ValidateOnStart();
        services.AddSingleton<Audience>();
        services.AddSingleton<CampaignRun>();
        services.AddHostedService<CampaignSender>();
        return services;
    }
}
