using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SmsHall.Core.Ports;
using SmsHall.OperatorConsole;

namespace SmsHall.Tests.Console;

/// <summary>
/// The operators' console as an operator meets it: the real gateway (<see cref="TestGateway"/>),
/// operators of each role, and Debian's Chromium through Playwright at a desktop or a phone size.
/// Set SMSHALL_SCREENSHOTS to a folder to keep a screenshot of each page a test names.
/// </summary>
public sealed class ConsoleSite : IAsyncDisposable
{
    public const string Password = "correct horse battery";

    /// <summary>The two screen sizes every console flow is tried at.</summary>
    public static readonly TheoryData<int, int> Screens = new() { { 1280, 800 }, { 390, 844 } };

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    private ConsoleSite(TestGateway gateway) => Gateway = gateway;

    public TestGateway Gateway { get; }
    public Uri BaseAddress => Gateway.Http.BaseAddress!;

    /// <summary>The gateway (demo data in) with operators admin, editor and viewer, each with <see cref="Password"/>.</summary>
    public static async Task<ConsoleSite> StartAsync(params string[] settings) => await StartAsync(_ => { }, settings);

    public static async Task<ConsoleSite> StartAsync(Action<IServiceCollection> overrides, params string[] settings)
    {
        var site = new ConsoleSite(await TestGateway.StartAsync(overrides, settings));
        foreach (var role in Enum.GetValues<OperatorRole>())
            await site.AddOperatorAsync(ConsoleSetup.RoleName(role), role);
        return site;
    }

    public async Task AddOperatorAsync(string name, OperatorRole role, string password = Password, bool oneTime = false)
    {
        var signIns = Gateway.Services.GetRequiredService<SignIns>();
        Assert.True(await signIns.AddAsync(name, role, password, oneTime, by: "test", default));
    }

    /// <summary>A fresh browser page (its own cookies) at the given screen size.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 800)
    {
        _playwright ??= await Playwright.CreateAsync();
        _browser ??= await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium(), Headless = true, Args = ["--no-sandbox"] });
        var context = await _browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height }, BaseURL = BaseAddress.ToString() });
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the sign-in form, as <paramref name="name"/>.</summary>
    public async Task<IPage> SignedInPageAsync(string name, int width = 1280, int height = 800)
    {
        var page = await NewPageAsync(width, height);
        await SignInAsync(page, name);
        Assert.Equal($"{name} (", (await page.TextContentAsync("#who"))![..(name.Length + 2)]);
        return page;
    }

    public static async Task SignInAsync(IPage page, string name, string password = Password)
    {
        var response = await page.GotoAsync("/console/sign-in");
        Assert.True(response!.Ok, $"GET /console/sign-in: {response.Status} {await page.ContentAsync()}");
        await FillSignInAsync(page, name, password);
    }

    /// <summary>Fills and sends the sign-in form the page shows.</summary>
    public static async Task FillSignInAsync(IPage page, string name, string password = Password)
    {
        await page.FillAsync("#name", name);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#sign-in");
    }

    /// <summary>Keeps a screenshot of the page under $SMSHALL_SCREENSHOTS, when it is set (docs/console refreshes from it).</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("SMSHALL_SCREENSHOTS") is not { Length: > 0 } folder) return;
        Directory.CreateDirectory(folder);
        var size = page.ViewportSize!;
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"{name}-{size.Width}x{size.Height}.png"), FullPage = true });
    }

    /// <summary>Debian's Chromium (.ci/run installs it); the test fails, never skips, without it.</summary>
    public static string Chromium()
    {
        foreach (var path in new[] { Environment.GetEnvironmentVariable("CHROMIUM_PATH"), "/usr/bin/chromium", "/usr/bin/chromium-browser" })
        {
            if (path is not null && File.Exists(path)) return path;
        }
        throw new InvalidOperationException("Chromium is not installed: apt-get install chromium (or set CHROMIUM_PATH)");
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        await Gateway.DisposeAsync();
    }
}
