namespace SmsHall.Core.Ports;

/// <summary>What an operator of the console may do: viewers read (numbers masked), editors also change, admins also manage operators.</summary>
public enum OperatorRole { Viewer, Editor, Admin }

/// <summary>An operator account of the console. The password is kept only as ASP.NET Core's hash of it.</summary>
public sealed record OperatorAccount(
    string Name, OperatorRole Role, string PasswordHash, bool MustChangePassword, int FailedSignIns, DateTimeOffset? LockedUntil, DateTimeOffset CreatedAt);

/// <summary>
/// The console's operator accounts. Sign-in bookkeeping is done by single statements in the
/// database, so a lockout holds on every node at once.
/// </summary>
public interface IOperators
{
    /// <summary>Adds an account; false when the name is taken.</summary>
    Task<bool> AddAsync(string name, OperatorRole role, string passwordHash, bool mustChangePassword, DateTimeOffset at, CancellationToken ct = default);

    Task<OperatorAccount?> FindAsync(string name, CancellationToken ct = default);

    /// <summary>Every account, by name.</summary>
    Task<IReadOnlyList<OperatorAccount>> ListAsync(CancellationToken ct = default);

    /// <summary>False when no such account, or when it is the last admin and would stop being one.</summary>
    Task<bool> SetRoleAsync(string name, OperatorRole role, CancellationToken ct = default);

    /// <summary>
    /// Replaces the password (and whether it must be changed at the next sign-in) and clears the
    /// failures and any lock: a new password is how an admin lets a locked-out operator back in.
    /// False when no such account.
    /// </summary>
    Task<bool> SetPasswordAsync(string name, string passwordHash, bool mustChangePassword, CancellationToken ct = default);

    /// <summary>False when no such account, or when it is the last admin.</summary>
    Task<bool> RemoveAsync(string name, CancellationToken ct = default);

    /// <summary>
    /// Counts a wrong password unless the account is locked; the failure that reaches
    /// <paramref name="maxFailures"/> locks it until <paramref name="lockUntil"/> and starts the count
    /// again. Returns the time it is locked until, or null when it is not locked.
    /// </summary>
    Task<DateTimeOffset?> FailSignInAsync(string name, int maxFailures, DateTimeOffset now, DateTimeOffset lockUntil, CancellationToken ct = default);

    /// <summary>A right password: clears the failures unless the account is locked; false when it is locked (or gone).</summary>
    Task<bool> SucceedSignInAsync(string name, DateTimeOffset now, CancellationToken ct = default);
}

/// <summary>One thing an operator did: a sign-in, a publish, a rollback, a resend, a drop, a change of account.</summary>
public sealed record AuditEntry(DateTimeOffset At, string? Operator, string Action, string? Detail);

/// <summary>The operators' audit log, kept in the database beside the message log.</summary>
public interface IAuditLog
{
    Task RecordAsync(AuditEntry entry, CancellationToken ct = default);

    /// <summary>The newest entries first.</summary>
    Task<IReadOnlyList<AuditEntry>> RecentAsync(int top, CancellationToken ct = default);
}

/// <summary>
/// The console's Data Protection keys (as the XML ASP.NET Core writes), kept in the database so
/// that a cookie or an antiforgery token issued by one node is accepted by every node.
/// </summary>
public interface IKeyRingStore
{
    IReadOnlyList<string> All();

    void Add(string name, string xml);
}
