using Dapper;
using SmsHall.Core.Ports;

namespace SmsHall.Storage.Postgres;

/// <summary>Campaigns of offers and their recipients on PostgreSQL.</summary>
public sealed class PostgresCampaigns(PostgresDatabase db) : ICampaigns
{
    private const string Select =
        """
        SELECT c.id, c.name, c.segment, c.start_at AS StartAt, c.rate_per_minute AS RatePerMinute, c.state, c.created_at AS CreatedAt,
               c.created_by AS CreatedBy, c.paced_from AS PacedFrom, c.paced_base AS PacedBase,
               (SELECT count(*) FROM campaign_recipients r WHERE r.campaign_id = c.id) AS Recipients,
               (SELECT count(*) FROM campaign_recipients r WHERE r.campaign_id = c.id AND r.outcome IS NULL) AS Waiting,
               (SELECT count(*) FROM campaign_recipients r WHERE r.campaign_id = c.id AND r.outcome = 'queued') AS Queued
        FROM campaigns c
        """;

    public async Task<long> CreateAsync(CampaignDraft d, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO campaigns (name, segment, start_at, rate_per_minute, created_at, created_by)
            VALUES (@Name, @segment, @start, @RatePerMinute, @created, @CreatedBy) RETURNING id
            """,
            new { d.Name, segment = CampaignNames.Write(d.Segment), start = d.StartAt.ToUniversalTime(), d.RatePerMinute, created = d.CreatedAt.ToUniversalTime(), d.CreatedBy },
            tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO campaign_messages (campaign_id, language, body) VALUES (@id, @Key, @Value)",
            d.Messages.Select(m => new { id, m.Key, m.Value }), tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return id;
    }

    public Task<IReadOnlyList<Campaign>> ListAsync(CancellationToken ct = default) => ReadAsync(" ORDER BY c.id DESC", ct);

    public Task<IReadOnlyList<Campaign>> RunningAsync(CancellationToken ct = default) => ReadAsync(" WHERE c.state = 'running' ORDER BY c.id", ct);

    public async Task<Campaign?> FindAsync(long id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(Select + " WHERE c.id = @id", new { id }, cancellationToken: ct));
        if (row is null) return null;
        var messages = await c.QueryAsync<MessageRow>(new CommandDefinition(
            "SELECT campaign_id AS CampaignId, language, body FROM campaign_messages WHERE campaign_id = @id", new { id }, cancellationToken: ct));
        return row.Campaign(messages);
    }

    public async Task<IReadOnlyList<Prospect>> ProspectsAsync(DateTimeOffset topUpsSince, DateOnly topUpsSinceDay, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<ProspectRow>(new CommandDefinition(
            """
            SELECT s.number, s.language, s.plan_code AS PlanCode, s.postpaid, p.data_mb AS PlanDataMb,
                   u.data_mb_used AS DataMbUsed, u.cycle_start AS CycleStart,
                   (SELECT max(d.added_at) FROM data_added d WHERE d.number = s.number AND d.source = 'pack') AS LastPackAt,
                   (SELECT count(*) FROM payments y WHERE y.number = s.number AND y.paid_on >= @sinceDay)
                   + (SELECT count(*) FROM vouchers v WHERE v.redeemed_by = s.number AND v.redeemed_at >= @since) AS TopUps
            FROM subscribers s
            JOIN plans p ON p.code = s.plan_code
            LEFT JOIN usage u ON u.number = s.number
            WHERE NOT s.opted_out
              AND NOT EXISTS (SELECT 1 FROM alert_refusals r WHERE r.number = s.number AND r.category = @offers)
            ORDER BY s.number COLLATE "C"
            """,
            new { since = topUpsSince.ToUniversalTime(), sinceDay = topUpsSinceDay, offers = AlertCategories.Offers }, cancellationToken: ct));
        return rows.Select(r => new Prospect(r.Number, r.Language, r.PlanCode, r.Postpaid, r.PlanDataMb, r.DataMbUsed, r.CycleStart,
            r.LastPackAt is { } at ? PostgresAccounts.Utc(at) : null, (int)r.TopUps)).ToList();
    }

    public async Task<bool> StartAsync(long id, IReadOnlyCollection<string> numbers, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        // The campaign's row is locked: two operators starting it at once take turns, and the second finds it running.
        var first = await c.ExecuteScalarAsync<bool?>(new CommandDefinition(
            "SELECT started_at IS NULL FROM campaigns WHERE id = @id AND state <> 'running' FOR UPDATE", new { id }, tx, cancellationToken: ct));
        if (first is null) return false;
        if (first == true)
            await c.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO campaign_recipients (campaign_id, number) SELECT @id, unnest(@numbers)
                ON CONFLICT DO NOTHING
                """, new { id, numbers = numbers.ToArray() }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE campaigns SET state = 'running', started_at = COALESCE(started_at, @now),
                paced_from = greatest(start_at, @now),
                paced_base = (SELECT count(*) FROM campaign_recipients r WHERE r.campaign_id = campaigns.id AND r.outcome = 'queued')
            WHERE id = @id
            """, new { id, now = now.ToUniversalTime() }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return true;
    }

    public async Task<bool> PauseAsync(long id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE campaigns SET state = 'paused' WHERE id = @id AND state = 'running'", new { id }, cancellationToken: ct)) == 1;
    }

    public async Task<IReadOnlyList<Recipient>> WaitingAsync(long id, int max, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<Recipient>(new CommandDefinition(
            """
            SELECT r.number, s.language FROM campaign_recipients r JOIN subscribers s ON s.number = r.number
            WHERE r.campaign_id = @id AND r.outcome IS NULL ORDER BY r.number COLLATE "C" LIMIT @max
            """, new { id, max }, cancellationToken: ct))).ToList();
    }

    public async Task<int> QueuedSinceAsync(long id, DateTimeOffset since, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(*) FROM campaign_recipients WHERE campaign_id = @id AND outcome = 'queued' AND decided_at > @since",
            new { id, since = since.ToUniversalTime() }, cancellationToken: ct));
    }

    public async Task RecordAsync(long id, string number, RecipientOutcome outcome, DateTimeOffset at, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE campaign_recipients SET outcome = @outcome, decided_at = @at
            WHERE campaign_id = @id AND number = @number AND outcome IS NULL
            """, new { id, number, outcome = CampaignNames.Write(outcome), at = at.ToUniversalTime() }, cancellationToken: ct));
    }

    public async Task<CampaignResults> ResultsAsync(long id, TimeSpan window, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var r = await c.QuerySingleAsync<ResultsRow>(new CommandDefinition(
            """
            WITH offers AS (
                SELECT o.to_number AS number, o.due_at AS due, o.status, o.twilio_sid
                FROM outbound_messages o WHERE o.purpose = 'offer' AND o.reason = @reason)
            SELECT
                (SELECT count(*) FROM campaign_recipients WHERE campaign_id = @id) AS Recipients,
                (SELECT count(*) FROM campaign_recipients WHERE campaign_id = @id AND outcome IS NULL) AS Waiting,
                (SELECT count(*) FROM campaign_recipients WHERE campaign_id = @id AND outcome = 'queued') AS Queued,
                (SELECT count(*) FROM campaign_recipients WHERE campaign_id = @id AND outcome = 'refused') AS Refused,
                (SELECT count(*) FROM campaign_recipients WHERE campaign_id = @id AND outcome = 'over-cap') AS OverCap,
                (SELECT count(*) FROM campaign_recipients WHERE campaign_id = @id AND outcome = 'opted-out') AS OptedOut,
                (SELECT count(*) FROM offers WHERE twilio_sid IS NOT NULL) AS Sent,
                (SELECT count(*) FROM offers WHERE status = 'delivered') AS Delivered,
                (SELECT count(*) FROM offers f JOIN inbound_messages i ON i.from_number = f.number
                 WHERE i.received_at > f.due AND i.received_at <= f.due + @window) AS Replies,
                (SELECT count(*) FROM offers f WHERE
                    EXISTS (SELECT 1 FROM plan_changes p WHERE p.number = f.number AND p.changed_at > f.due AND p.changed_at <= f.due + @window)
                    OR EXISTS (SELECT 1 FROM data_added d WHERE d.number = f.number AND d.source = 'pack'
                               AND d.added_at > f.due AND d.added_at <= f.due + @window)) AS Conversions
            """, new { id, reason = $"campaign {id}", window }, cancellationToken: ct));
        return new CampaignResults((int)r.Recipients, (int)r.Waiting, (int)r.Queued, (int)r.Refused, (int)r.OverCap, (int)r.OptedOut,
            (int)r.Sent, (int)r.Delivered, (int)r.Replies, (int)r.Conversions);
    }

    private async Task<IReadOnlyList<Campaign>> ReadAsync(string where, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = (await c.QueryAsync<Row>(new CommandDefinition(Select + where, cancellationToken: ct))).ToList();
        var messages = (await c.QueryAsync<MessageRow>(new CommandDefinition(
            "SELECT campaign_id AS CampaignId, language, body FROM campaign_messages WHERE campaign_id = ANY(@ids)",
            new { ids = rows.Select(r => r.Id).ToArray() }, cancellationToken: ct))).ToLookup(m => m.CampaignId);
        return rows.Select(r => r.Campaign(messages[r.Id])).ToList();
    }

    private sealed record ResultsRow(
        long Recipients, long Waiting, long Queued, long Refused, long OverCap, long OptedOut, long Sent, long Delivered, long Replies, long Conversions);

    private sealed record MessageRow(long CampaignId, string Language, string Body);

    private sealed record ProspectRow(
        string Number, string Language, string PlanCode, bool Postpaid, int PlanDataMb, int? DataMbUsed, DateOnly? CycleStart, DateTime? LastPackAt, long TopUps);

    private sealed class Row
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public string Segment { get; init; } = "";
        public DateTime StartAt { get; init; }
        public int RatePerMinute { get; init; }
        public string State { get; init; } = "";
        public DateTime CreatedAt { get; init; }
        public string CreatedBy { get; init; } = "";
        public DateTime? PacedFrom { get; init; }
        public int PacedBase { get; init; }
        public long Recipients { get; init; }
        public long Waiting { get; init; }
        public long Queued { get; init; }

        public Campaign Campaign(IEnumerable<MessageRow> messages) => new(
            Id,
            new CampaignDraft(Name, CampaignNames.ReadSegment(Segment)!.Value, messages.ToDictionary(m => m.Language, m => m.Body),
                PostgresAccounts.Utc(StartAt), RatePerMinute, PostgresAccounts.Utc(CreatedAt), CreatedBy),
            CampaignNames.ReadState(State), PacedFrom is { } at ? PostgresAccounts.Utc(at) : null, PacedBase, (int)Recipients, (int)Waiting, (int)Queued);
    }
}
