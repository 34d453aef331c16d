using Microsoft.Playwright;
using SmsHall.Core.Ports;

namespace SmsHall.Tests.Console;

/// <summary>Signing in and out of the console, wrong passwords and the lockout, roles, in a real browser.</summary>
public sealed class SignInTests
{
    [Theory]
    [MemberData(nameof(ConsoleSite.Screens), MemberType = typeof(ConsoleSite))]
    public async Task AnOperatorSignsInSeesTheOverviewAndSignsOut(int width, int height)
    {
        await using var site = await ConsoleSite.StartAsync();
        var page = await site.NewPageAsync(width, height);

        await page.GotoAsync("/console");
        Assert.EndsWith("/console/sign-in?ReturnUrl=%2Fconsole", page.Url);
        await ConsoleSite.ScreenshotAsync(page, "sign-in");
        await ConsoleSite.FillSignInAsync(page, "viewer");
        Assert.EndsWith("/console", page.Url);
        Assert.Equal("Overview", await page.TextContentAsync("h1"));
        Assert.Matches("^[0-9]+$", await page.TextContentAsync("#catalogue-version"));
        Assert.Equal("viewer (viewer)", await page.TextContentAsync("#who"));

        // A page asked for before signing in is the one shown after.
        await page.ClickAsync("#sign-out");
        await page.GotoAsync("/console/password");
        Assert.EndsWith("/console/sign-in?ReturnUrl=%2Fconsole%2Fpassword", page.Url);
        await ConsoleSite.FillSignInAsync(page, "viewer");
        Assert.EndsWith("/console/password", page.Url);

        await page.ClickAsync("#sign-out");
        Assert.EndsWith("/console/sign-in", page.Url);
        await page.GotoAsync("/console");
        Assert.Contains("/console/sign-in", page.Url);
    }

    private const string Refused = "Wrong name or password. (5 wrong passwords in a row lock an account for 15 minutes.)";

    [Theory]
    [MemberData(nameof(ConsoleSite.Screens), MemberType = typeof(ConsoleSite))]
    public async Task FiveWrongPasswordsLockTheAccountForFifteenMinutes(int width, int height)
    {
        await using var site = await ConsoleSite.StartAsync();
        var page = await site.NewPageAsync(width, height);

        for (var i = 1; i <= 5; i++)
        {
            await ConsoleSite.SignInAsync(page, "editor", "wrong password " + i);
            Assert.Equal(Refused, await page.TextContentAsync("#problem"));
        }

        // Locked: even the right password is refused, with the same words, until the 15 minutes are over.
        await ConsoleSite.SignInAsync(page, "editor");
        Assert.Equal(Refused, await page.TextContentAsync("#problem"));
        site.Gateway.Clock.Advance(TimeSpan.FromMinutes(14));
        await ConsoleSite.SignInAsync(page, "editor");
        Assert.Equal(Refused, await page.TextContentAsync("#problem"));
        site.Gateway.Clock.Advance(TimeSpan.FromMinutes(1));
        await ConsoleSite.SignInAsync(page, "editor");
        Assert.Equal("editor (editor)", await page.TextContentAsync("#who"));
    }

    [Theory]
    [MemberData(nameof(ConsoleSite.Screens), MemberType = typeof(ConsoleSite))]
    public async Task AnUnknownNameOrALockedAccountGetsTheSameAnswerAsAWrongPassword(int width, int height)
    {
        await using var site = await ConsoleSite.StartAsync();
        var page = await site.NewPageAsync(width, height);
        await ConsoleSite.SignInAsync(page, "nobody");
        Assert.Equal(Refused, await page.TextContentAsync("#problem"));

        for (var i = 1; i <= 5; i++) await ConsoleSite.SignInAsync(page, "viewer", "wrong password " + i);
        await ConsoleSite.SignInAsync(page, "viewer", "yet another wrong one");
        Assert.Equal(Refused, await page.TextContentAsync("#problem"));
    }

    [Theory]
    [MemberData(nameof(ConsoleSite.Screens), MemberType = typeof(ConsoleSite))]
    public async Task AnOperatorWithAOneTimePasswordChoosesTheirOwnFirst(int width, int height)
    {
        await using var site = await ConsoleSite.StartAsync();
        await site.AddOperatorAsync("newcomer", OperatorRole.Editor, "one-time-123", oneTime: true);
        var page = await site.NewPageAsync(width, height);
        await ConsoleSite.SignInAsync(page, "newcomer", "one-time-123");
        Assert.EndsWith("/console/password", page.Url);
        await page.GotoAsync("/console");
        Assert.EndsWith("/console/password", page.Url);

        await page.FillAsync("#current", "one-time-123");
        await page.FillAsync("#password", "short");
        await page.FillAsync("#repeat", "short");
        await page.ClickAsync("#save-password");
        Assert.Equal("A password has at least 10 characters", await page.TextContentAsync("#problem"));

        await page.FillAsync("#current", "one-time-123");
        await page.FillAsync("#password", "my own long password");
        await page.FillAsync("#repeat", "my own long password");
        await page.ClickAsync("#save-password");
        Assert.EndsWith("/console", page.Url);

        var again = await site.NewPageAsync(width, height);
        await ConsoleSite.SignInAsync(again, "newcomer", "one-time-123");
        Assert.Equal(Refused, await again.TextContentAsync("#problem"));
        await ConsoleSite.SignInAsync(again, "newcomer", "my own long password");
        Assert.Equal("newcomer (editor)", await again.TextContentAsync("#who"));
    }

    [Theory]
    [MemberData(nameof(ConsoleSite.Screens), MemberType = typeof(ConsoleSite))]
    public async Task AnAdminAddsAnOperatorWhoSignsInWithTheOneTimePassword(int width, int height)
    {
        await using var site = await ConsoleSite.StartAsync();
        var admin = await site.SignedInPageAsync("admin", width, height);
        await admin.GotoAsync("/console/operators");
        await admin.FillAsync("#new-name", "Carol");
        await admin.SelectOptionAsync("#new-role", "viewer");
        await admin.ClickAsync("#add-operator");
        var oneTime = (await admin.TextContentAsync("#one-time-password"))!;
        Assert.Equal(16, oneTime.Length);
        Assert.Equal(1, await admin.Locator("#operators tr[data-operator=carol]").CountAsync());
        await ConsoleSite.ScreenshotAsync(admin, "operators");

        var carol = await site.NewPageAsync(width, height);
        await ConsoleSite.SignInAsync(carol, "carol", oneTime);
        Assert.EndsWith("/console/password", carol.Url);

        // The audit log shows who added whom, and the sign-in.
        await admin.GotoAsync("/console/operators");
        var audit = await admin.TextContentAsync("#audit");
        Assert.Contains("operator added", audit);
        Assert.Contains("carol (viewer)", audit);
        Assert.Contains("signed in", audit);
    }

    [Theory]
    [MemberData(nameof(ConsoleSite.Screens), MemberType = typeof(ConsoleSite))]
    public async Task AViewerOrAnEditorCannotManageOperators(int width, int height)
    {
        await using var site = await ConsoleSite.StartAsync();
        foreach (var name in new[] { "viewer", "editor" })
        {
            var page = await site.SignedInPageAsync(name, width, height);
            Assert.Equal(0, await page.Locator("nav a[href='/console/operators']").CountAsync());
            await page.GotoAsync("/console/operators");
            Assert.Contains("/console/denied", page.Url);
        }
    }

    [Theory]
    [MemberData(nameof(ConsoleSite.Screens), MemberType = typeof(ConsoleSite))]
    public async Task TheLastAdminCannotBeRemovedOrDemoted(int width, int height)
    {
        await using var site = await ConsoleSite.StartAsync();
        var admin = await site.SignedInPageAsync("admin", width, height);
        await admin.GotoAsync("/console/operators");
        await admin.Locator("#operators tr[data-operator=admin] button.danger").ClickAsync();
        Assert.Contains("last admin", await admin.TextContentAsync("#problem"));
        await admin.Locator("#operators tr[data-operator=admin] select").SelectOptionAsync("viewer");
        await admin.Locator("#operators tr[data-operator=admin] button.secondary").First.ClickAsync();
        Assert.Contains("last admin", await admin.TextContentAsync("#problem"));
        Assert.Equal("admin (admin)", await admin.TextContentAsync("#who"));
    }
}
