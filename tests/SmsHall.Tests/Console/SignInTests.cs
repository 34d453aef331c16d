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

        await page.GotoAsync("/console/password");
        Assert.EndsWith("/console/sign-in?ReturnUrl=%2Fconsole%2Fpassword", page.Url);
        await ConsoleSite.ScreenshotAsync(page, "sign-in");
        await ConsoleSite.FillSignInAsync(page, "viewer");
        Assert.EndsWith("/console/password", page.Url);
        Assert.Equal("viewer (viewer)", await page.TextContentAsync("#who"));

        await page.ClickAsync("#sign-out");
        Assert.EndsWith("/console/sign-in", page.Url);
        await page.GotoAsync("/console");
        Assert.Contains("/console/sign-in", page.Url);
    }

    [Theory]
    [MemberData(nameof(ConsoleSite.Screens), MemberType = typeof(ConsoleSite))]
    public async Task FiveWrongPasswordsLockTheAccountForFifteenMinutes(int width, int height)
    {
        await using var site = await ConsoleSite.StartAsync();
        var page = await site.NewPageAsync(width, height);

        for (var i = 1; i <= 4; i++)
        {
            await ConsoleSite.SignInAsync(page, "editor", "wrong password " + i);
            Assert.Equal("Wrong name or password.", await page.TextContentAsync("#problem"));
        }
        await ConsoleSite.SignInAsync(page, "editor", "wrong password 5");
        Assert.Equal("Too many wrong passwords: this account is locked for 15 more minute(s).", await page.TextContentAsync("#problem"));

        // Locked: even the right password is refused, until the 15 minutes are over.
        await ConsoleSite.SignInAsync(page, "editor");
        Assert.Contains("locked", await page.TextContentAsync("#problem"));
        site.Gateway.Clock.Advance(TimeSpan.FromMinutes(14));
        await ConsoleSite.SignInAsync(page, "editor");
        Assert.Contains("locked for 1 more minute", await page.TextContentAsync("#problem"));
        site.Gateway.Clock.Advance(TimeSpan.FromMinutes(1));
        await ConsoleSite.SignInAsync(page, "editor");
        Assert.Equal("editor (editor)", await page.TextContentAsync("#who"));
    }

    [Fact]
    public async Task AnUnknownNameGetsTheSameAnswerAsAWrongPassword()
    {
        await using var site = await ConsoleSite.StartAsync();
        var page = await site.NewPageAsync();
        await ConsoleSite.SignInAsync(page, "nobody");
        Assert.Equal("Wrong name or password.", await page.TextContentAsync("#problem"));
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
        Assert.Equal("Wrong name or password.", await again.TextContentAsync("#problem"));
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

    [Fact]
    public async Task AViewerOrAnEditorCannotManageOperators()
    {
        await using var site = await ConsoleSite.StartAsync();
        foreach (var name in new[] { "viewer", "editor" })
        {
            var page = await site.SignedInPageAsync(name);
            Assert.Equal(0, await page.Locator("nav a[href='/console/operators']").CountAsync());
            await page.GotoAsync("/console/operators");
            Assert.Contains("/console/denied", page.Url);
        }
    }

    [Fact]
    public async Task TheLastAdminCannotBeRemovedOrDemoted()
    {
        await using var site = await ConsoleSite.StartAsync();
        var admin = await site.SignedInPageAsync("admin");
        await admin.GotoAsync("/console/operators");
        await admin.Locator("#operators tr[data-operator=admin] button.danger").ClickAsync();
        Assert.Contains("last admin", await admin.TextContentAsync("#problem"));
        await admin.Locator("#operators tr[data-operator=admin] select").SelectOptionAsync("viewer");
        await admin.Locator("#operators tr[data-operator=admin] button.secondary").First.ClickAsync();
        Assert.Contains("last admin", await admin.TextContentAsync("#problem"));
        Assert.Equal("admin (admin)", await admin.TextContentAsync("#who"));
    }
}
