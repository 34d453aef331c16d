using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SmsHall.Core.Ports;

namespace SmsHall.Tests.Console;

/// <summary><c>smshall operator reset</c> and <c>remove</c>: recovering the console from a terminal when no admin can sign in.</summary>
public sealed class OperatorCommandTests
{
    private static Task<(int Exit, string Out, string Err)> Smshall(ConsoleSite site, string stdin, params string[] args) =>
        CliRun.RunAsync([$"--Database:Path={site.Gateway.DatabasePath}", $"--Catalogue:Path={Repo.CommandsMd}"], stdin, args);

    [Fact]
    public async Task ALockedOutAdminIsLetBackInWithANewOneTimePassword()
    {
        await using var site = await ConsoleSite.StartAsync();
        var url = site.BaseAddress.ToString().TrimEnd('/');
        using var browser = new ConsoleClient();
        for (var i = 0; i < 5; i++) await browser.SignInAsync(url, "admin", "forgotten " + i);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SignInAsync(url, "admin")).StatusCode);

        var (exit, stdout, stderr) = await Smshall(site, "", "operator", "reset", "admin");
        Assert.Equal((0, ""), (exit, stderr));
        var prefix = "operator admin: any lock cleared; one-time password (shown once, changed at the next sign-in): ";
        Assert.StartsWith(prefix, stdout);
        var oneTime = stdout.Trim()[prefix.Length..];

        using var signIn = await browser.SignInAsync(url, "admin", oneTime);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        using var overview = await browser.GetAsync(url + "/console");
        Assert.Equal("/console/password", overview.Headers.Location!.OriginalString);
        Assert.Contains(await site.Gateway.Services.GetRequiredService<IAuditLog>().RecentAsync(10),
            e => e is { Operator: "smshall operator reset", Action: "password reset", Detail: "admin" });

        // A password of one's own from standard input; a weak one or an unknown name is refused.
        Assert.Equal(0, (await Smshall(site, "a long enough password\n", "operator", "reset", "editor", "--password-stdin")).Exit);
        Assert.Equal(HttpStatusCode.Redirect, (await new ConsoleClient().SignInAsync(url, "editor", "a long enough password")).StatusCode);
        Assert.Equal((2, "error: A password has at least 10 characters (read from standard input)\n"),
            await Smshall(site, "short\n", "operator", "reset", "editor", "--password-stdin") is var weak ? (weak.Exit, weak.Err) : default);
        Assert.Equal((2, "error: there is no operator named nobody\n"),
            await Smshall(site, "", "operator", "reset", "nobody") is var nobody ? (nobody.Exit, nobody.Err) : default);
    }

    [Fact]
    public async Task AnOperatorIsRemovedButNeverTheLastAdmin()
    {
        await using var site = await ConsoleSite.StartAsync();
        var url = site.BaseAddress.ToString().TrimEnd('/');
        var (exit, stdout, _) = await Smshall(site, "", "operator", "remove", "viewer");
        Assert.Equal((0, "operator viewer removed\n"), (exit, stdout));
        Assert.Equal(HttpStatusCode.Unauthorized, (await new ConsoleClient().SignInAsync(url, "viewer")).StatusCode);
        Assert.Contains(await site.Gateway.Services.GetRequiredService<IAuditLog>().RecentAsync(10),
            e => e is { Operator: "smshall operator remove", Action: "operator removed", Detail: "viewer" });

        var last = await Smshall(site, "", "operator", "remove", "admin");
        Assert.Equal((2, "error: admin is the last admin and stays: add another admin first\n"), (last.Exit, last.Err));
        Assert.NotNull(await site.Gateway.Services.GetRequiredService<IOperators>().FindAsync("admin"));
        var nobody = await Smshall(site, "", "operator", "remove", "nobody");
        Assert.Equal((2, "error: there is no operator named nobody\n"), (nobody.Exit, nobody.Err));
    }
}
