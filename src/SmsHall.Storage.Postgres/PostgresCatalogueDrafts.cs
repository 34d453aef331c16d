using Dapper;
using SmsHall.Core.Ports;

namespace SmsHall.Storage.Postgres;

/// <summary>The console's catalogue drafts and previews, shared by every node.</summary>
public sealed class PostgresCatalogueDrafts(PostgresDatabase db) : ICatalogueDrafts, ICataloguePreviews
{
    private const string PreviewColumns =
        "id AS Id, operator AS Operator, days AS Days, state AS State, progress AS Progress, phase AS Phase, started_at AS StartedAt, updated_at AS UpdatedAt, error AS Error, result AS Result";

    public async Task<CatalogueDraft?> FindDraftAsync(string author, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<(string Text, DateTime SavedAt, long? BaseVersion)?>(
            "SELECT text, saved_at, base_version FROM catalogue_drafts WHERE operator = @author", new { author });
        return row is { } r ? new CatalogueDraft(author, r.Text, PostgresAccounts.Utc(r.SavedAt), r.BaseVersion) : null;
    }

    public async Task SaveDraftAsync(string author, string text, long? baseVersion, DateTimeOffset at, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(
            """
            INSERT INTO catalogue_drafts (operator, text, saved_at, base_version) VALUES (@author, @text, @at, @baseVersion)
            ON CONFLICT (operator) DO UPDATE SET text = excluded.text, saved_at = excluded.saved_at,
                base_version = COALESCE(catalogue_drafts.base_version, excluded.base_version)
            """, new { author, text, at = at.ToUniversalTime(), baseVersion });
    }

    public async Task DeleteDraftAsync(string author, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync("DELETE FROM catalogue_drafts WHERE operator = @author", new { author });
    }

    public async Task<long?> StartPreviewAsync(string author, int days, DateTimeOffset at, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        // The partial unique index keeps a second running preview of the operator out, from any node.
        return await c.QuerySingleOrDefaultAsync<long?>(
            """
            INSERT INTO catalogue_previews (operator, days, state, phase, started_at, updated_at)
            VALUES (@author, @days, 'running', 'starting', @at, @at)
            ON CONFLICT (operator) WHERE state = 'running' DO NOTHING
            RETURNING id
            """, new { author, days, at = at.ToUniversalTime() });
    }

    public async Task<bool> ProgressPreviewAsync(long id, double progress, string phase, DateTimeOffset at, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync(
            "UPDATE catalogue_previews SET progress = @progress, phase = @phase, updated_at = @at WHERE id = @id AND state = 'running'",
            new { id, progress, phase, at = at.ToUniversalTime() }) == 1;
    }

    public Task<bool> FinishPreviewAsync(long id, string result, DateTimeOffset at, CancellationToken ct = default) =>
        EndAsync(id, "UPDATE catalogue_previews SET state = 'done', progress = 1, phase = NULL, result = @text, updated_at = @at WHERE id = @id AND state = 'running'", result, at, ct);

    public Task<bool> FailPreviewAsync(long id, string error, DateTimeOffset at, CancellationToken ct = default) =>
        EndAsync(id, "UPDATE catalogue_previews SET state = 'failed', phase = NULL, error = @text, updated_at = @at WHERE id = @id AND state = 'running'", error, at, ct);

    private async Task<bool> EndAsync(long id, string sql, string text, DateTimeOffset at, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync(sql, new { id, text, at = at.ToUniversalTime() }) == 1;
    }

    public async Task<PreviewRun?> LatestPreviewAsync(string author, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<Row>(
            $"SELECT {PreviewColumns} FROM catalogue_previews WHERE operator = @author ORDER BY id DESC LIMIT 1", new { author });
        return row?.Run();
    }

    private sealed class Row
    {
        public long Id { get; init; }
        public string Operator { get; init; } = "";
        public int Days { get; init; }
        public string State { get; init; } = "";
        public double Progress { get; init; }
        public string? Phase { get; init; }
        public DateTime StartedAt { get; init; }
        public DateTime UpdatedAt { get; init; }
        public string? Error { get; init; }
        public string? Result { get; init; }

        public PreviewRun Run() => new(
            Id, Operator, Days, Enum.Parse<PreviewState>(State, ignoreCase: true), Progress, Phase, PostgresAccounts.Utc(StartedAt),
            PostgresAccounts.Utc(UpdatedAt), Error, Result);
    }
}
