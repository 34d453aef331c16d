using Dapper;
using SmsHall.Core.Ports;

namespace SmsHall.Storage.Sqlite;

/// <summary>Campaigns of offers and their recipients on SQLite.</summary>
public sealed class SqliteCampaigns(Database db) : ICampaigns
{
    private const string Select =
        """
        SELECT c.id, c.name, c.segment, c.start_at AS StartAt, c.rate_per_minute AS RatePerMinute, c.state, c.created_at AS CreatedAt,
               c.created_by AS CreatedBy, c.paced_from AS PacedFrom, c.paced_base AS PacedBase,
               (SELECT COUNT(*) FROM campaign_recipients r WHERE r.campaign_id = c.id) AS Recipients,
               (SELECT COUNT(*) FROM campaign_recipients r WHERE r.campaign_id = c.id AND r.outcome IS NULL) AS Waiting,
               (SELECT COUNT(*) FROM campaign_recipients r WHERE r.campaign_id = c.id AND r.outcome = 'queued') AS Queued
        FROM campaigns c
        """;

    public async Task<long> CreateAsync(CampaignDraft d, CancellationToken ct = default)
    {
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO campaigns (name, segment, start_at, rate_per_minute, created_at, created_by)
            VALUES (@Name, @segment, @start, @RatePerMinute, @created, @CreatedBy) RETURNING id
            """,
            new { d.Name, segment = CampaignNames.Write(d.Segment), start = Dates.Write(d.StartAt), d.RatePerMinute, created = Dates.Write(d.CreatedAt), d.CreatedBy },
            tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO campaign_messages (campaign_id, language, body) VALUES (@id, @Key, @Value)",
            d.Messages.Select(m => new { id, m.Key, m.Value }), tx, cancellationToken: ct));
        tx.Commit();
        return id;
    }

    public Task<IReadOnlyList<Campaign>> ListAsync(CancellationToken ct = default) => ReadAsync(" ORDER BY c.id DESC", ct);

    public Task<IReadOnlyList<Campaign>> RunningAsync(CancellationToken ct = default) => ReadAsync(" WHERE c.state = 'running' ORDER BY c.id", ct);

    public async Task<Campaign?> FindAsync(long id, CancellationToken ct = default)
    {
        using var c = db.Open();
        var row = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(Select + " WHERE c.id = @id", new { id }, cancellationToken: ct));
        if (row is null) return null;
        var messages = await c.QueryAsync<MessageRow>(new CommandDefinition(
            "SELECT campaign_id AS CampaignId, language, body FROM campaign_messages WHERE campaign_id = @id", new { id }, cancellationToken: ct));
        return row.Campaign(messages);
    }

    public async Task<IReadOnlyList<Prospect>> ProspectsAsync(DateTimeOffset topUpsSince, DateOnly topUpsSinceDay, CancellationToken ct = default)
    {
        using var c = db.Open();
        var rows = await c.QueryAsync<ProspectRow>(new CommandDefinition(
            """
            SELECT s.number, s.language, s.plan_code AS PlanCode, s.postpaid, p.data_mb AS PlanDataMb,
                   u.data_mb_used AS DataMbUsed, u.cycle_start AS CycleStart,
                   (SELECT MAX(d.added_at) FROM data_added d WHERE d.number = s.number AND d.source = 'pack') AS LastPackAt,
                   (SELECT COUNT(*) FROM payments y WHERE y.number = s.number AND y.paid_on >= @sinceDay)
                   + (SELECT COUNT(*) FROM vouchers v WHERE v.redeemed_by = s.number AND v.redeemed_at >= @since) AS TopUps
            FROM subscribers s
            JOIN plans p ON p.code = s.plan_code
            LEFT JOIN usage u ON u.number = s.number
            WHERE s.opted_out = 0
              AND NOT EXISTS (SELECT 1 FROM alert_refusals r WHERE r.number = s.number AND r.category = @offers)
            ORDER BY s.number
            """,
            new { since = Dates.Write(topUpsSince), sinceDay = Dates.Write(topUpsSinceDay), offers = AlertCategories.Offers }, cancellationToken: ct));
        return rows.Select(r => new Prospect(r.Number, r.Language, r.PlanCode, r.Postpaid != 0, (int)r.PlanDataMb, (int?)r.DataMbUsed,
            Dates.ReadDateOrNull(r.CycleStart), r.LastPackAt is null ? null : Dates.ReadTime(r.LastPackAt), (int)r.TopUps)).ToList();
    }

    public async Task<bool> StartAsync(long id, IReadOnlyCollection<string> numbers, DateTimeOffset now, CancellationToken ct = default)
    {
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        var first = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT started_at IS NULL FROM campaigns WHERE id = @id AND state <> 'running'", new { id }, tx, cancellationToken: ct));
        if (first is null) return false;
        if (first == 1)
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT OR IGNORE INTO campaign_recipients (campaign_id, number) VALUES (@id, @number)",
                numbers.Select(number => new { id, number }), tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE campaigns SET state = 'running', started_at = COALESCE(started_at, @now),
                paced_from = MAX(start_at, @now),
                paced_base = (SELECT COUNT(*) FROM campaign_recipients r WHERE r.campaign_id = campaigns.id AND r.outcome = 'queued')
            WHERE id = @id
            """, new { id, now = Dates.Write(now) }, tx, cancellationToken: ct));
        tx.Commit();
        return true;
    }

    public async Task<bool> PauseAsync(long id, CancellationToken ct = default)
    {
        using var c = db.Open();
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE campaigns SET state = 'paused' WHERE id = @id AND state = 'running'", new { id }, cancellationToken: ct)) == 1;
    }

    public async Task<IReadOnlyList<Recipient>> WaitingAsync(long id, int max, CancellationToken ct = default)
    {
        using var c = db.Open();
        return (await c.QueryAsync<Recipient>(new CommandDefinition(
            """
            SELECT r.number, s.language FROM campaign_recipients r JOIN subscribers s ON s.number = r.number
            WHERE r.campaign_id = @id AND r.outcome IS NULL ORDER BY r.number LIMIT @max
            """, new { id, max }, cancellationToken: ct))).ToList();
    }

    public async Task<int> QueuedSinceAsync(long id, DateTimeOffset since, CancellationToken ct = default)
    {
        using var c = db.Open();
        return await c.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = @id AND outcome = 'queued' AND decided_at > @since",
            new { id, since = Dates.Write(since) }, cancellationToken: ct));
    }

    public async Task RecordAsync(long id, string number, RecipientOutcome outcome, DateTimeOffset at, CancellationToken ct = default)
    {
        using var c = db.Open();
        await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE campaign_recipients SET outcome = @outcome, decided_at = @at
            WHERE campaign_id = @id AND number = @number AND outcome IS NULL
            """, new { id, number, outcome = CampaignNames.Write(outcome), at = Dates.Write(at) }, cancellationToken: ct));
    }

    public async Task<CampaignResults> ResultsAsync(long id, TimeSpan window, CancellationToken ct = default)
    {
        using var c = db.Open();
        // Times are ISO 8601 text: julianday reads them, so "within the window after the offer" is arithmetic on days.
        var r = await c.QuerySingleAsync<ResultsRow>(new CommandDefinition(
            """
            WITH offers AS (
                SELECT o.to_number AS number, julianday(o.due_at) AS due, o.status, o.twilio_sid
                FROM outbound_messages o WHERE o.purpose = 'offer' AND o.reason = @reason)
            SELECT
                (SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = @id) AS Recipients,
                (SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = @id AND outcome IS NULL) AS Waiting,
                (SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = @id AND outcome = 'queued') AS Queued,
                (SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = @id AND outcome = 'refused') AS Refused,
                (SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = @id AND outcome = 'over-cap') AS OverCap,
                (SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = @id AND outcome = 'opted-out') AS OptedOut,
                (SELECT COUNT(*) FROM offers WHERE twilio_sid IS NOT NULL) AS Sent,
                (SELECT COUNT(*) FROM offers WHERE status = 'delivered') AS Delivered,
                (SELECT COUNT(*) FROM offers f JOIN inbound_messages i ON i.from_number = f.number
                 WHERE julianday(i.received_at) > f.due AND julianday(i.received_at) <= f.due + @days) AS Replies,
                (SELECT COUNT(*) FROM offers f WHERE
                    EXISTS (SELECT 1 FROM plan_changes p WHERE p.number = f.number
                            AND julianday(p.changed_at) > f.due AND julianday(p.changed_at) <= f.due + @days)
                    OR EXISTS (SELECT 1 FROM data_added d WHERE d.number = f.number AND d.source = 'pack'
                               AND julianday(d.added_at) > f.due AND julianday(d.added_at) <= f.due + @days)) AS Conversions
            """, new { id, reason = $"campaign {id}", days = window.TotalDays }, cancellationToken: ct));
        return new CampaignResults((int)r.Recipients, (int)r.Waiting, (int)r.Queued, (int)r.Refused, (int)r.OverCap, (int)r.OptedOut,
            (int)r.Sent, (int)r.Delivered, (int)r.Replies, (int)r.Conversions);
    }

    private async Task<IReadOnlyList<Campaign>> ReadAsync(string where, CancellationToken ct)
    {
        using var c = db.Open();
        var rows = (await c.QueryAsync<Row>(new CommandDefinition(Select + where, cancellationToken: ct))).ToList();
        var messages = (await c.QueryAsync<MessageRow>(new CommandDefinition(
            "SELECT campaign_id AS CampaignId, language, body FROM campaign_messages WHERE campaign_id IN @ids",
            new { ids = rows.Select(r => r.Id).ToArray() }, cancellationToken: ct))).ToLookup(m => m.CampaignId);
        return rows.Select(r => r.Campaign(messages[r.Id])).ToList();
    }

    private sealed record ResultsRow(
        long Recipients, long Waiting, long Queued, long Refused, long OverCap, long OptedOut, long Sent, long Delivered, long Replies, long Conversions);

    private sealed record MessageRow(long CampaignId, string Language, string Body);

    // Properties, not a constructor: SQLite's column types follow the values (a NULL column reads as bytes).
    private sealed class ProspectRow
    {
        public string Number { get; init; } = "";
        public string Language { get; init; } = "";
        public string PlanCode { get; init; } = "";
        public long Postpaid { get; init; }
        public long PlanDataMb { get; init; }
        public long? DataMbUsed { get; init; }
        public string? CycleStart { get; init; }
        public string? LastPackAt { get; init; }
        public long TopUps { get; init; }
    }

    private sealed class Row
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public string Segment { get; init; } = "";
        public string StartAt { get; init; } = "";
        public long RatePerMinute { get; init; }
        public string State { get; init; } = "";
        public string CreatedAt { get; init; } = "";
        public string CreatedBy { get; init; } = "";
        public string? PacedFrom { get; init; }
        public long PacedBase { get; init; }
        public long Recipients { get; init; }
        public long Waiting { get; init; }
        public long Queued { get; init; }

        public Campaign Campaign(IEnumerable<MessageRow> messages) => new(
            Id,
            new CampaignDraft(Name, CampaignNames.ReadSegment(Segment)!.Value, messages.ToDictionary(m => m.Language, m => m.Body),
                Dates.ReadTime(StartAt), (int)RatePerMinute, Dates.ReadTime(CreatedAt), CreatedBy),
            CampaignNames.ReadState(State), PacedFrom is null ? null : Dates.ReadTime(PacedFrom), (int)PacedBase, (int)Recipients, (int)Waiting, (int)Queued);
    }
}
