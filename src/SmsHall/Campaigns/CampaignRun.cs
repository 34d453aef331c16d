using Microsoft.Extensions.Options;
using SmsHall.Core;
using SmsHall.Core.Campaigns;
using SmsHall.Core.Catalogue;
using SmsHall.Core.Ports;
using SmsHall.Twilio;

namespace SmsHall.Campaigns;

/// <summary>
/// One round of the campaign sender: while this node holds the lease <c>campaigns</c>, queues the
/// running campaigns' next offers through the outbox, as many as their rate allows since they were
/// (re)started, and writes down what became of each recipient. What is written down is never
/// done again; a recipient queued but not written down (a crash in between) is found already sent by
/// the outbox's once-per-reason check and written down as queued.
/// </summary>
public sealed class CampaignRun(
    ICampaigns campaigns,
    IOutgoing outgoing,
    ILeases leases,
    LiveCatalogue catalogue,
    HallOptions hall,
    IOptions<TwilioOptions> twilio)
{
    public const string Lease = "campaigns";

    /// <summary>How long a round's lease lasts: a node that stops is taken over after this.</summary>
    public static readonly TimeSpan LeaseLength = TimeSpan.FromSeconds(30);

    /// <summary>The most offers one round queues per campaign, so the lease is renewed often in a large campaign.</summary>
    public const int MaxPerRound = 200;

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>Runs one round at <paramref name="now"/>; returns how many offers it queued (none without the lease).</summary>
    public async Task<int> RunAsync(string holder, DateTimeOffset now, CancellationToken ct = default)
    {
        // Nothing is queued in quiet hours: offers held to the morning would all be released at once
        // then, at the sender's pace rather than the campaign's. Queueing resumes in the morning at the
        // rate (the rule of the last minute below keeps the night from being made up in one burst).
        if (hall.HeldUntil(now) is not null) return 0;
        if (!await leases.TryTakeAsync(Lease, holder, now, LeaseLength, ct)) return 0;
        var queued = 0;
        foreach (var campaign in await campaigns.RunningAsync(ct))
        {
            if (campaign is not { State: CampaignState.Running, Waiting: > 0, PacedFrom: { } from } || from > now) continue;
            var allowed = Allowed(campaign, now);
            // And never more than the rate within the last minute: a sender back after a gap (no
            // node held the lease) does not make up for the lost minutes in one burst.
            if (allowed > 0) allowed = Math.Min(allowed, campaign.Draft.RatePerMinute - await campaigns.QueuedSinceAsync(campaign.Id, now - Minute, ct));
            if (allowed <= 0) continue;
            foreach (var recipient in await campaigns.WaitingAsync(campaign.Id, Math.Min(allowed, MaxPerRound), ct))
            {
                var outcome = await QueueAsync(campaign, recipient, now, ct);
                await campaigns.RecordAsync(campaign.Id, recipient.Number, outcome, now, ct);
                if (outcome == RecipientOutcome.Queued) queued++;
            }
        }
        return queued;
    }

    /// <summary>
    /// How many more offers may be queued now over the run: <see cref="CampaignDraft.RatePerMinute"/> a
    /// minute since sending was (re)started, less those queued since — so after k minutes at most k × rate.
    /// </summary>
    public static int Allowed(Campaign campaign, DateTimeOffset now)
    {
        if (campaign.PacedFrom is not { } from || now < from) return 0;
        var due = (long)Math.Floor(campaign.Draft.RatePerMinute * (now - from).TotalMinutes);
        return (int)Math.Min(int.MaxValue, due - (campaign.Queued - campaign.PacedBase));
    }

    private async Task<RecipientOutcome> QueueAsync(Campaign campaign, Recipient recipient, DateTimeOffset now, CancellationToken ct)
    {
        var text = Offers.Render(campaign.Draft.Messages, recipient.Language, catalogue.Catalogue, hall);
        var message = new OutgoingMessage(recipient.Number, twilio.Value.From, Channel.Sms, text, Purpose.Offer, campaign.Reason,
            AlertCategories.Offers, now);
        return await outgoing.QueueAsync(message, hall.CapOn(message.Due), ct) switch
        {
            QueueResult.Queued or QueueResult.AlreadySent => RecipientOutcome.Queued,
            QueueResult.Refused => RecipientOutcome.Refused,
            QueueResult.OverDailyCap => RecipientOutcome.OverCap,
            _ => RecipientOutcome.OptedOut,
        };
    }
}
