using Dapper;
using SmsHall.Core.Ports;

namespace SmsHall.Storage.Sqlite;

/// <summary>The console's operators, audit log and Data Protection keys on the SQLite file.</summary>
public sealed class SqliteOperators(Database db) : IOperators, IAuditLog, IKeyRingStore
{
    private const string Columns =
        "name AS Name, role AS Role, password_hash AS PasswordHash, must_change_password AS MustChange, failed_sign_ins AS Failed, locked_until AS LockedUntil, created_at AS CreatedAt";

    // The last admin stays one: a statement that would leave no admin changes nothing.
    private const string LeavesAnAdmin =
        "(role <> 'admin' OR (SELECT count(*) FROM operators WHERE role = 'admin') > 1)";

    public async Task<bool> AddAsync(string name, OperatorRole role, string passwordHash, bool mustChangePassword, DateTimeOffset at, CancellationToken ct = default)
    {
        await using var c = db.Open();
        return await c.ExecuteAsync(
            """
            INSERT INTO operators (name, role, password_hash, must_change_password, created_at)
            VALUES (@name, @role, @passwordHash, @mustChangePassword, @at)
            ON CONFLICT (name) DO NOTHING
            """, new { name, role = Role(role), passwordHash, mustChangePassword, at = Dates.Write(at) }) == 1;
    }

    public async Task<OperatorAccount?> FindAsync(string name, CancellationToken ct = default)
    {
        await using var c = db.Open();
        var row = await c.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM operators WHERE name = @name", new { name });
        return row?.Account();
    }

    public async Task<IReadOnlyList<OperatorAccount>> ListAsync(CancellationToken ct = default)
    {
        await using var c = db.Open();
        return (await c.QueryAsync<Row>($"SELECT {Columns} FROM operators ORDER BY name")).Select(r => r.Account()).ToList();
    }

    public async Task<bool> SetRoleAsync(string name, OperatorRole role, CancellationToken ct = default)
    {
        await using var c = db.Open();
        return await c.ExecuteAsync(
            $"UPDATE operators SET role = @role WHERE name = @name AND (@role = 'admin' OR {LeavesAnAdmin})", new { name, role = Role(role) }) == 1;
    }

    public async Task<bool> SetPasswordAsync(string name, string passwordHash, bool mustChangePassword, CancellationToken ct = default)
    {
        await using var c = db.Open();
        return await c.ExecuteAsync(
            "UPDATE operators SET password_hash = @passwordHash, must_change_password = @mustChangePassword, failed_sign_ins = 0, locked_until = NULL WHERE name = @name",
            new { name, passwordHash, mustChangePassword }) == 1;
    }

    public async Task<bool> RemoveAsync(string name, CancellationToken ct = default)
    {
        await using var c = db.Open();
        return await c.ExecuteAsync($"DELETE FROM operators WHERE name = @name AND {LeavesAnAdmin}", new { name }) == 1;
    }

    public async Task<DateTimeOffset?> FailSignInAsync(string name, int maxFailures, DateTimeOffset now, DateTimeOffset lockUntil, CancellationToken ct = default)
    {
        await using var c = db.Open();
        // One statement: concurrent failures each count, and the one that reaches the limit locks.
        var lockedUntil = await c.QuerySingleOrDefaultAsync<string?>(
            """
            UPDATE operators SET
                locked_until = CASE
                    WHEN locked_until > @now THEN locked_until
                    WHEN failed_sign_ins + 1 >= @maxFailures THEN @lockUntil
                    ELSE NULL END,
                failed_sign_ins = CASE
                    WHEN locked_until > @now THEN failed_sign_ins
                    WHEN failed_sign_ins + 1 >= @maxFailures THEN 0
                    ELSE failed_sign_ins + 1 END
            WHERE name = @name
            RETURNING locked_until
            """, new { name, maxFailures, now = Dates.Write(now), lockUntil = Dates.Write(lockUntil) });
        return lockedUntil is null ? null : Dates.ReadTime(lockedUntil);
    }

    public async Task<bool> SucceedSignInAsync(string name, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var c = db.Open();
        return await c.ExecuteAsync(
            "UPDATE operators SET failed_sign_ins = 0 WHERE name = @name AND (locked_until IS NULL OR locked_until <= @now)",
            new { name, now = Dates.Write(now) }) == 1;
    }

    public async Task RecordAsync(AuditEntry entry, CancellationToken ct = default)
    {
        await using var c = db.Open();
        await c.ExecuteAsync("INSERT INTO audit_log (at, operator, action, detail) VALUES (@at, @Operator, @Action, @Detail)",
            new { at = Dates.Write(entry.At), entry.Operator, entry.Action, entry.Detail });
    }

    public async Task<IReadOnlyList<AuditEntry>> RecentAsync(int top, CancellationToken ct = default)
    {
        await using var c = db.Open();
        return (await c.QueryAsync<(string At, string? Operator, string Action, string? Detail)>(
                "SELECT at, operator, action, detail FROM audit_log ORDER BY id DESC LIMIT @top", new { top }))
            .Select(r => new AuditEntry(Dates.ReadTime(r.At), r.Operator, r.Action, r.Detail)).ToList();
    }

    public IReadOnlyList<string> All()
    {
        using var c = db.Open();
        return c.Query<string>("SELECT xml FROM data_protection_keys ORDER BY id").ToList();
    }

    public void Add(string name, string xml)
    {
        using var c = db.Open();
        c.Execute("INSERT INTO data_protection_keys (name, xml) VALUES (@name, @xml)", new { name, xml });
    }

    internal static string Role(OperatorRole role) => role.ToString().ToLowerInvariant();

    private sealed class Row
    {
        public string Name { get; init; } = "";
        public string Role { get; init; } = "";
        public string PasswordHash { get; init; } = "";
        public long MustChange { get; init; }
        public long Failed { get; init; }
        public string? LockedUntil { get; init; }
        public string CreatedAt { get; init; } = "";

        public OperatorAccount Account() => new(
            Name, Enum.Parse<OperatorRole>(Role, ignoreCase: true), PasswordHash, MustChange != 0, (int)Failed,
            LockedUntil is null ? null : Dates.ReadTime(LockedUntil), Dates.ReadTime(CreatedAt));
    }
}
