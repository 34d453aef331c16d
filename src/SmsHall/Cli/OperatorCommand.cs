using System.CommandLine;
using Microsoft.Extensions.Options;
using SmsHall.Core.Ports;
using SmsHall.OperatorConsole;

namespace SmsHall.Cli;

/// <summary>
/// <c>smshall operator add NAME --role ROLE [--password-stdin]</c>, <c>list</c>, <c>reset NAME
/// [--password-stdin]</c> and <c>remove NAME</c>: console accounts from a terminal, for the first
/// admin and for an admin locked out or forgotten.
/// </summary>
public static class OperatorCommand
{
    public static Command Create(CliConsole console)
    {
        var name = new Argument<string>("name") { Description = "The operator's sign-in name (lower-case letters, digits, '.', '_', '-')" };
        var role = new Option<string>("--role") { Description = "viewer, editor or admin", Required = true };
        var fromStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input instead of printing a one-time one" };
        var add = new Command("add", "Add a console operator; prints a one-time password they change at the first sign-in.") { name, role, fromStdin };
        add.SetAction(async (result, ct) =>
        {
            var who = result.GetValue(name)!.Trim().ToLowerInvariant();
            var roleText = result.GetValue(role)!;
            if (!Enum.TryParse<OperatorRole>(roleText, ignoreCase: true, out var r) || !Enum.IsDefined(r) || int.TryParse(roleText, out _))
                throw new UsageException($"--role must be viewer, editor or admin, not '{roleText}'");
            if (SignIns.NameProblem(who) is { } badName) throw new UsageException(badName);
            var stdin = result.GetValue(fromStdin);
            var password = await PasswordAsync(console, stdin, ct);

            using var services = Settings.Services(console.Settings);
            if (!await SignInsOf(services).AddAsync(who, r, password, oneTime: !stdin, by: "smshall operator add", ct))
                throw new UsageException($"there is already an operator named {who}");
            console.Out.WriteLine(stdin
                ? $"operator {who} added as {ConsoleSetup.RoleName(r)}"
                : $"operator {who} added as {ConsoleSetup.RoleName(r)}; one-time password (shown once, changed at the first sign-in): {password}");
            return 0;
        });

        var list = new Command("list", "List the console operators, their roles and whether they are locked.");
        list.SetAction(async (result, ct) =>
        {
            using var services = Settings.Services(console.Settings);
            services.GetRequiredService<IStorageAdmin>().Migrate();
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            foreach (var o in await services.GetRequiredService<IOperators>().ListAsync(ct))
                console.Out.WriteLine($"{o.Name}\t{ConsoleSetup.RoleName(o.Role)}\t{(o.LockedUntil > now ? $"locked until {o.LockedUntil:u}" : o.MustChangePassword ? "one-time password" : "active")}");
            return 0;
        });
        var resetName = new Argument<string>("name") { Description = "The operator whose password is replaced" };
        var reset = new Command("reset", "Give an operator a new one-time password (or one read with --password-stdin) and clear any lock: for a locked-out or forgotten admin.") { resetName, fromStdin };
        reset.SetAction(async (result, ct) =>
        {
            var who = result.GetValue(resetName)!.Trim().ToLowerInvariant();
            var stdin = result.GetValue(fromStdin);
            var password = await PasswordAsync(console, stdin, ct);
            using var services = Settings.Services(console.Settings);
            if (!await SignInsOf(services).ResetAsync(who, password, oneTime: !stdin, by: "smshall operator reset", ct))
                throw new UsageException($"there is no operator named {who}");
            console.Out.WriteLine(stdin
                ? $"operator {who}: password replaced, any lock cleared"
                : $"operator {who}: any lock cleared; one-time password (shown once, changed at the next sign-in): {password}");
            return 0;
        });

        var removeName = new Argument<string>("name") { Description = "The operator to remove" };
        var remove = new Command("remove", "Remove an operator (never the last admin).") { removeName };
        remove.SetAction(async (result, ct) =>
        {
            var who = result.GetValue(removeName)!.Trim().ToLowerInvariant();
            using var services = Settings.Services(console.Settings);
            var signIns = SignInsOf(services);
            if (!await signIns.RemoveAsync(who, by: "smshall operator remove", ct))
                throw new UsageException(await services.GetRequiredService<IOperators>().FindAsync(who, ct) is null
                    ? $"there is no operator named {who}"
                    : $"{who} is the last admin and stays: add another admin first");
            console.Out.WriteLine($"operator {who} removed");
            return 0;
        });
        return new Command("operator", "Console operators: add, list, reset and remove.") { add, list, reset, remove };
    }

    /// <summary>A one-time password, or the first line of standard input (which must be a good password).</summary>
    private static async Task<string> PasswordAsync(CliConsole console, bool stdin, CancellationToken ct)
    {
        if (!stdin) return SignIns.OneTimePassword();
        var password = (await console.In.ReadLineAsync(ct) ?? "").TrimEnd('\r');
        return SignIns.PasswordProblem(password) is { } weak ? throw new UsageException($"{weak} (read from standard input)") : password;
    }

    private static SignIns SignInsOf(IServiceProvider services)
    {
        services.GetRequiredService<IStorageAdmin>().Migrate();
        return new SignIns(services.GetRequiredService<IOperators>(), services.GetRequiredService<IAuditLog>(),
            services.GetRequiredService<IOptions<ConsoleOptions>>(), services.GetRequiredService<TimeProvider>());
    }
}
