using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using SmsHall.Core.Ports;

namespace SmsHall.OperatorConsole;

/// <summary>What a sign-in attempt came to.</summary>
public abstract record SignInResult
{
    public sealed record Success(OperatorAccount Account) : SignInResult;
    public sealed record WrongPassword : SignInResult;
    public sealed record Locked(DateTimeOffset Until) : SignInResult;
}

/// <summary>
/// Operator accounts and sign-ins: ASP.NET Core's password hasher, the lockout after repeated wrong
/// passwords (kept in the database, so it holds on every node), and the audit log of each attempt.
/// </summary>
public sealed class SignIns(IOperators operators, IAuditLog audit, IOptions<ConsoleOptions> options, TimeProvider clock)
{
    public const int MinPasswordLength = 10;

    private static readonly PasswordHasher<string> Hasher = new();

    // A wrong name costs as much time as a wrong password, so timing does not tell which names exist.
    private static readonly string NobodysHash = Hasher.HashPassword("", Guid.NewGuid().ToString());

    /// <summary>Names are kept lower case: letters, digits, '.', '_' and '-', up to 64.</summary>
    public static string? NameProblem(string name) =>
        name.Length is 0 or > 64 || !name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '_' or '-')
            ? "An operator's name is 1 to 64 lower-case letters, digits, '.', '_' or '-'"
            : null;

    public static string? PasswordProblem(string password) =>
        password.Length < MinPasswordLength ? $"A password has at least {MinPasswordLength} characters" : null;

    /// <summary>A password to give once to a new operator, who sets their own at the first sign-in.</summary>
    public static string OneTimePassword() =>
        RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 16);

    public static string Hash(string password) => Hasher.HashPassword("", password);

    public async Task<SignInResult> SignInAsync(string name, string password, CancellationToken ct)
    {
        name = (name ?? "").Trim().ToLowerInvariant();
        password ??= "";
        var now = clock.GetUtcNow();
        var account = await operators.FindAsync(name, ct);
        if (account is null)
        {
            Hasher.VerifyHashedPassword("", NobodysHash, password);
            await audit.RecordAsync(new AuditEntry(now, null, "sign-in failed", $"no operator named '{Shorten(name)}'"), ct);
            return new SignInResult.WrongPassword();
        }
        if (account.LockedUntil is { } until && until > now)
        {
            await audit.RecordAsync(new AuditEntry(now, name, "sign-in refused", "account locked"), ct);
            return new SignInResult.Locked(until);
        }
        if (Hasher.VerifyHashedPassword("", account.PasswordHash, password) == PasswordVerificationResult.Failed)
        {
            var o = options.Value;
            var locked = await operators.FailSignInAsync(name, o.MaxFailedSignIns, now, now.AddMinutes(o.LockoutMinutes), ct);
            await audit.RecordAsync(new AuditEntry(now, name, "sign-in failed", locked is null ? "wrong password" : "wrong password; account locked"), ct);
            return locked is { } lockedUntil ? new SignInResult.Locked(lockedUntil) : new SignInResult.WrongPassword();
        }
        if (!await operators.SucceedSignInAsync(name, now, ct))
        {
            // Locked by another node's attempts between the read and now.
            var again = await operators.FindAsync(name, ct);
            return new SignInResult.Locked(again?.LockedUntil ?? now.AddMinutes(options.Value.LockoutMinutes));
        }
        await audit.RecordAsync(new AuditEntry(now, name, "signed in", null), ct);
        return new SignInResult.Success(account);
    }

    /// <summary>Adds an operator; false when the name is taken. A problem with the name or password throws.</summary>
    public async Task<bool> AddAsync(string name, OperatorRole role, string password, bool oneTime, string? by, CancellationToken ct)
    {
        if (NameProblem(name) is { } bad) throw new ArgumentException(bad);
        if (!oneTime && PasswordProblem(password) is { } weak) throw new ArgumentException(weak);
        var now = clock.GetUtcNow();
        if (!await operators.AddAsync(name, role, Hash(password), oneTime, now, ct)) return false;
        await audit.RecordAsync(new AuditEntry(now, by, "operator added", $"{name} ({ConsoleSetup.RoleName(role)})"), ct);
        return true;
    }

    /// <summary>Gives an operator a new password and clears any lock; false when there is no such operator.</summary>
    public async Task<bool> ResetAsync(string name, string password, bool oneTime, string? by, CancellationToken ct)
    {
        if (!oneTime && PasswordProblem(password) is { } weak) throw new ArgumentException(weak);
        if (!await operators.SetPasswordAsync(name, Hash(password), mustChangePassword: oneTime, ct)) return false;
        await audit.RecordAsync(new AuditEntry(clock.GetUtcNow(), by, "password reset", name), ct);
        return true;
    }

    /// <summary>False when there is no such operator, or when they are the last admin.</summary>
    public async Task<bool> RemoveAsync(string name, string? by, CancellationToken ct)
    {
        if (!await operators.RemoveAsync(name, ct)) return false;
        await audit.RecordAsync(new AuditEntry(clock.GetUtcNow(), by, "operator removed", name), ct);
        return true;
    }

    // A mistyped name may be a password typed in the wrong box: the log keeps only its start.
    private static string Shorten(string name) => name.Length <= 3 ? name : name[..3] + "…";
}
