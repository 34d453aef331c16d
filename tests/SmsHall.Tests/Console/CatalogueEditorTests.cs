using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SmsHall.Core.Ports;
using SmsHall.OperatorConsole;
using SmsHall.OperatorConsole.Pages;

namespace SmsHall.Tests.Console;

/// <summary>The catalogue editor: an alias from "not understood", its preview on real traffic, publish, history and rollback.</summary>
public sealed partial class CatalogueEditorTests
{
    // Not understood, but close enough to BALANCE that the hall suggests it.
    private const string Phrase = "ballance chk";

    [Theory]
    [MemberData(nameof(ConsoleSite.Screens), MemberType = typeof(ConsoleSite))]
    public async Task AnAliasAddedFromNotUnderstoodIsPreviewedPublishedAndRolledBack(int width, int height)
    {
        await using var site = await ConsoleSite.StartAsync();
        var before = await site.Gateway.TextAsync("+15550000001", Phrase);
        Assert.DoesNotContain("Your balance is", before);
        Assert.StartsWith("Your balance is", await site.Gateway.TextAsync("+15550000003", "bal")); // a reply the draft keeps as it is
        site.Gateway.Clock.Advance(TimeSpan.FromMinutes(1));

        // The operator finds it among the messages not understood, with BALANCE as the closest command.
        var page = await site.SignedInPageAsync("editor", width, height);
        await page.GotoAsync("/console/not-understood");
        var row = page.Locator($"#not-understood tr[data-normalised='{Phrase}']");
        Assert.Contains("balance", await row.TextContentAsync());
        await row.Locator("a.alias").ClickAsync();
        Assert.Contains("/console/catalogue?alias=", page.Url);
        Assert.Contains("'BALLANCE CHK' added to the aliases of balance", await page.TextContentAsync("#message"));
        Assert.Contains("- en aliases: BAL, CXYE, BALLANCE CHK", await page.InputValueAsync("#text"));
        Assert.StartsWith("No errors", await page.TextContentAsync("#check-summary"));
        await ConsoleSite.ScreenshotAsync(page, "catalogue");

        await page.FillAsync("#days", "1");
        await page.ClickAsync("#preview-start");
        await page.WaitForSelectorAsync("#preview[data-state=done]", new() { Timeout = 60_000 });
        Assert.Equal("1", await page.TextContentAsync("#count-newly-understood"));
        Assert.Equal("0", await page.TextContentAsync("#count-no-longer-understood"));
        Assert.Equal("0", await page.TextContentAsync("#count-reworded"));
        var change = await page.TextContentAsync("#newly-understood");
        Assert.Contains($"> {Phrase}", change);
        Assert.Contains("unknown → balance", change);
        Assert.StartsWith("Your balance is $12.50", await page.TextContentAsync("#newly-understood .reply.draft"));
        Assert.Equal("balance", await page.TextContentAsync("#newly-understood .reply.draft ins >> nth=1")); // the words it did not have are marked
        Assert.Contains("2 message(s)", await page.TextContentAsync("#preview-summary"));
        await ConsoleSite.ScreenshotAsync(page, "catalogue-preview");

        await page.FillAsync("#note", "subscribers write ballance chk");
        await page.ClickAsync("#publish");
        Assert.Equal("Published as catalogue version 2; every node switches to it.", await page.TextContentAsync("#message"));
        Assert.StartsWith("Your balance is", await site.Gateway.TextAsync("+15550000001", Phrase));

        await page.ClickAsync("#history-link");
        Assert.Equal(2, await page.Locator("#versions tbody tr").CountAsync());
        Assert.Contains("subscribers write ballance chk", await page.TextContentAsync("#versions tr[data-version='2']"));
        await page.ClickAsync("#versions tr[data-version='2'] a.diff-link");
        Assert.Contains("+ - en aliases: BAL, CXYE, BALLANCE CHK", await page.TextContentAsync("#diff .add"));
        Assert.Contains("- - en aliases: BAL, CXYE", await page.TextContentAsync("#diff .del"));

        await page.ClickAsync("#versions tr[data-version='1'] button.rollback");
        Assert.Equal("Published as catalogue version 3; every node switches to it.", await page.TextContentAsync("#message"));
        Assert.Contains("rollback to version 1", await page.TextContentAsync("#versions tr[data-version='3']"));
        Assert.DoesNotContain("Your balance is", await site.Gateway.TextAsync("+15550000001", Phrase));

        var audit = await site.Gateway.Services.GetRequiredService<IAuditLog>().RecentAsync(10);
        Assert.Contains(audit, e => e is { Operator: "editor", Action: "catalogue publish", Detail: "version 2: subscribers write ballance chk" });
        Assert.Contains(audit, e => e is { Operator: "editor", Action: "catalogue rollback", Detail: "version 3: rollback to version 1" });
    }

    [Theory]
    [MemberData(nameof(ConsoleSite.Screens), MemberType = typeof(ConsoleSite))]
    public async Task MistakesAreShownAsTheEditorTypesAndTheDraftOutlivesAReload(int width, int height)
    {
        await using var site = await ConsoleSite.StartAsync();
        var page = await site.SignedInPageAsync("editor", width, height);
        await page.GotoAsync("/console/catalogue");
        var text = await page.InputValueAsync("#text");
        var line = text.Split('\n').ToList().IndexOf("- en aliases: BAL, CXYE") + 1;
        Assert.True(line > 0);

        await page.FillAsync("#text", text.Replace("- en aliases: BAL, CXYE", "- en aliases: BAL, CXYE, CXLL"));
        var problem = page.Locator($"#problems a.error[data-line='{line}']");
        await problem.WaitForAsync();
        Assert.Contains("'CXLL' is claimed by both", await problem.TextContentAsync());
        Assert.StartsWith("2 error(s)", await page.TextContentAsync("#check-summary"));

        await problem.ClickAsync();
        var selected = await page.EvalOnSelectorAsync<string>("#text", "t => t.value.substring(t.selectionStart, t.selectionEnd)");
        Assert.Equal("- en aliases: BAL, CXYE, CXLL", selected);

        // Kept on the server as the editor's draft: a reload (or another node) shows it.
        await page.ReloadAsync();
        Assert.Contains("CXYE, CXLL", await page.InputValueAsync("#text"));
        Assert.Contains("your draft", await page.TextContentAsync("#draft-state"));
        await page.ClickAsync("#publish");
        Assert.Contains("Not published: the catalogue has 2 error(s)", await page.TextContentAsync("#problem"));
        Assert.Single(site.Gateway.Services.GetRequiredService<ICatalogueHistory>().History());

        // A viewer reads the served catalogue, not the editor's draft, and has nothing to save with.
        var viewer = await site.SignedInPageAsync("viewer", width, height);
        await viewer.GotoAsync("/console/catalogue");
        Assert.DoesNotContain("CXYE, CXLL", await viewer.InputValueAsync("#text"));
        Assert.True(await viewer.Locator("#text").GetAttributeAsync("readonly") is not null);
        Assert.Equal(0, await viewer.Locator("#publish, #preview-start, #save").CountAsync());
    }

    [Theory]
    [MemberData(nameof(ConsoleSite.Screens), MemberType = typeof(ConsoleSite))]
    public async Task PublishingADraftBegunBeforeAnotherPublishIsRefusedUnlessTheEditorInsists(int width, int height)
    {
        await using var site = await ConsoleSite.StartAsync();
        var history = site.Gateway.Services.GetRequiredService<ICatalogueHistory>();
        var page = await site.SignedInPageAsync("editor", width, height);
        await page.GotoAsync("/console/catalogue");
        var text = await page.InputValueAsync("#text");
        await page.FillAsync("#text", text.Replace("- en aliases: BAL, CXYE", "- en aliases: BAL, CXYE, CASH"));
        await page.ClickAsync("#save");

        // Meanwhile another editor publishes version 2.
        var other = await site.Gateway.Services.GetRequiredService<CataloguePublisher>()
            .PublishAsync(text.Replace("- en aliases: BAL, CXYE", "- en aliases: BAL, CXYE, MONEY"), "publish", "admin", "money", default);
        Assert.Equal(2, other.Version!.Number);

        await page.ClickAsync("#publish");
        Assert.StartsWith("Version 2 was published since you began from version 1", await page.TextContentAsync("#problem"));
        Assert.Equal(2, history.History().Count);
        Assert.Contains("CASH", await page.InputValueAsync("#text")); // the draft is kept

        await page.CheckAsync("#anyway");
        await page.ClickAsync("#publish");
        Assert.Equal("Published as catalogue version 3; every node switches to it.", await page.TextContentAsync("#message"));
        Assert.DoesNotContain("MONEY", history.Find(3)!.Text);
    }

    [Fact]
    public async Task FollowingAnAddAsAliasLinkStoresNothingUntilTheEditorSaves()
    {
        await using var site = await ConsoleSite.StartAsync();
        var url = site.BaseAddress.ToString().TrimEnd('/');
        var drafts = site.Gateway.Services.GetRequiredService<ICatalogueDrafts>();
        using var editor = new ConsoleClient();
        await editor.SignInAsync(url, "editor");

        using var link = await editor.GetAsync(url + "/console/catalogue?alias=cash&command=balance");
        var html = await link.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, link.StatusCode);
        Assert.Contains("- en aliases: BAL, CXYE, CASH", html);
        Assert.Contains("not saved yet", html);
        Assert.Null(await drafts.FindDraftAsync("editor"));

        var edited = WebUtility.HtmlDecode(TextArea().Match(html).Groups[1].Value);
        var token = await editor.TokenAsync(url + "/console/catalogue");
        using var saved = await editor.PostAsync(url + "/console/catalogue?handler=Save", token, ("text", edited));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains("- en aliases: BAL, CXYE, CASH", (await drafts.FindDraftAsync("editor"))!.Text);
    }

    [Fact]
    public async Task ACatalogueInChineseUpToMaxBytesIsSavedAndALargerOneGetsAClearMessage()
    {
        await using var site = await ConsoleSite.StartAsync("--Catalogue:MaxBytes=4000000");
        var url = site.BaseAddress.ToString().TrimEnd('/');
        var served = site.Gateway.Services.GetRequiredService<ICatalogueHistory>().Find(1)!.Text;
        using var editor = new ConsoleClient();
        await editor.SignInAsync(url, "editor");
        var token = await editor.TokenAsync(url + "/console/catalogue");

        // 3 MB of UTF-8, 9 MB form-encoded: more than the fixed 8 MB limit let through.
        var large = served + "\n" + new string('余', 1_000_000) + "\n";
        using var saved = await editor.PostAsync(url + "/console/catalogue?handler=Save", token, ("text", large));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(large.Length, (await site.Gateway.Services.GetRequiredService<ICatalogueDrafts>().FindDraftAsync("editor"))!.Text.Length);

        var tooLarge = served + "\n" + new string('余', 1_400_000) + "\n";
        using var check = await editor.PostAsync(url + "/console/catalogue?handler=Check", token, ("text", tooLarge));
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        Assert.Contains("more than Catalogue:MaxBytes (4,000,000)", await check.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task EveryDifferenceIsShownAPageAtATimeAndDownloadedAsJsonLines()
    {
        await using var site = await ConsoleSite.StartAsync();
        const int Messages = CatalogueModel.PerPage + 5;
        for (var i = 0; i < Messages; i++) await site.Gateway.TextAsync("+15550000001", Phrase);
        site.Gateway.Clock.Advance(TimeSpan.FromMinutes(1));
        var services = site.Gateway.Services;
        var served = services.GetRequiredService<ICatalogueHistory>().Find(1)!.Text;
        await services.GetRequiredService<ICatalogueDrafts>().SaveDraftAsync(
            "editor", served.Replace("- en aliases: BAL, CXYE", "- en aliases: BAL, CXYE, BALLANCE CHK"), 1, site.Gateway.Clock.Now);
        var previewer = services.GetRequiredService<CataloguePreviewer>();
        Assert.Null((await previewer.StartAsync("editor", 1, default)).Problem);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while ((await previewer.LatestAsync("editor", default))!.State == PreviewState.Running)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), "the preview never ended");
            await Task.Delay(50);
        }

        var url = site.BaseAddress.ToString().TrimEnd('/');
        using var editor = new ConsoleClient();
        await editor.SignInAsync(url, "editor");
        var first = await (await editor.GetAsync(url + "/console/catalogue")).Content.ReadAsStringAsync();
        Assert.Contains($"<b id=\"count-newly-understood\">{Messages}</b>", first);
        Assert.Equal(CatalogueModel.PerPage, Changes().Count(first));
        Assert.Contains("page 1 of 2", first);
        Assert.Contains("href=\"?group=newly-understood&amp;page=2#newly-understood\"", first);
        var second = await (await editor.GetAsync(url + "/console/catalogue?group=newly-understood&page=2")).Content.ReadAsStringAsync();
        Assert.Equal(5, Changes().Count(second));
        Assert.Contains("page 2 of 2", second);
        using var wrong = await editor.GetAsync(url + "/console/catalogue?group=everything&page=0");
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("Choose a group (newly-understood, no-longer-understood, reworded) and a page from 1.", await wrong.Content.ReadAsStringAsync());

        using var download = await editor.GetAsync(url + "/console/catalogue?handler=Differences");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/x-ndjson", download.Content.Headers.ContentType?.MediaType);
        var lines = (await download.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Messages, lines.Length);
        Assert.All(lines.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement), change =>
        {
            Assert.Equal(("+15550000001", Phrase, "balance"), (change.GetProperty("from").GetString(), change.GetProperty("body").GetString(), change.GetProperty("draft_command").GetString()));
            Assert.StartsWith("Your balance is", change.GetProperty("draft").GetString());
        });

        using var viewer = new ConsoleClient();
        await viewer.SignInAsync(url, "viewer");
        using var refused = await viewer.GetAsync(url + "/console/catalogue?handler=Differences");
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
    }

    [Fact]
    public async Task ANumberThatIsNoWholeNumberIsRefusedWithAMessage()
    {
        await using var site = await ConsoleSite.StartAsync();
        var url = site.BaseAddress.ToString().TrimEnd('/');
        var served = site.Gateway.Services.GetRequiredService<ICatalogueHistory>().Find(1)!.Text;
        using var editor = new ConsoleClient();
        await editor.SignInAsync(url, "editor");
        var token = await editor.TokenAsync(url + "/console/catalogue");

        using var preview = await editor.PostAsync(url + "/console/catalogue?handler=Preview", token, ("text", served), ("days", "1e99"));
        Assert.Equal(HttpStatusCode.BadRequest, preview.StatusCode);
        Assert.Contains("The days are a whole number from 1 to 90.", await preview.Content.ReadAsStringAsync());
        Assert.Null(await site.Gateway.Services.GetRequiredService<ICataloguePreviews>().LatestPreviewAsync("editor"));

        using var version = await editor.GetAsync(url + "/console/catalogue/history?version=two");
        Assert.Equal(HttpStatusCode.BadRequest, version.StatusCode);
        Assert.Contains("A catalogue version is a whole number", await version.Content.ReadAsStringAsync());
        using var rollback = await editor.PostAsync(url + "/console/catalogue/history?handler=Rollback", token, ("version", "1e99"));
        Assert.Equal(HttpStatusCode.BadRequest, rollback.StatusCode);
        Assert.Single(site.Gateway.Services.GetRequiredService<ICatalogueHistory>().History());
    }

    [Theory]
    [MemberData(nameof(ConsoleSite.Screens), MemberType = typeof(ConsoleSite))]
    public async Task AnAliasWithNoOrAnUnknownCommandLetsTheEditorPickOne(int width, int height)
    {
        await using var site = await ConsoleSite.StartAsync();
        var page = await site.SignedInPageAsync("editor", width, height);
        foreach (var (command, problem) in new[] { ("balanse", "There is no command 'balanse'"), ("", "There is no command ''") })
        {
            var response = await page.GotoAsync($"/console/catalogue?alias=cash&command={command}");
            Assert.True(response!.Ok);
            Assert.StartsWith(problem, await page.TextContentAsync("#problem"));
            Assert.DoesNotContain("CASH", await page.InputValueAsync("#text"));
        }

        // Not understood had no closest command: the editor chooses it here.
        Assert.Contains("balance", await page.Locator("#command option").AllTextContentsAsync());
        await page.SelectOptionAsync("#command", "balance");
        await page.ClickAsync("#pick");
        Assert.Contains("'CASH' added to the aliases of balance", await page.TextContentAsync("#message"));
        Assert.Contains("- en aliases: BAL, CXYE, CASH", await page.InputValueAsync("#text"));
        Assert.Equal(0, await page.Locator("#pick-command").CountAsync());
    }

    [Fact]
    public async Task AViewersPostIsRefusedAndAPostWithoutTheAntiforgeryTokenIs400()
    {
        await using var site = await ConsoleSite.StartAsync();
        var history = site.Gateway.Services.GetRequiredService<ICatalogueHistory>();
        var served = history.Find(1)!.Text;
        var edited = served.Replace("- en aliases: BAL, CXYE", "- en aliases: BAL, CXYE, CASH");

        var viewer = await site.SignedInPageAsync("viewer");
        await viewer.GotoAsync("/console/catalogue");
        var token = await viewer.InputValueAsync("input[name=__RequestVerificationToken]");
        foreach (var (handler, form) in new (string, Dictionary<string, string>)[]
        {
            ("Publish", new() { ["text"] = edited, ["note"] = "viewer" }),
            ("Save", new() { ["text"] = edited }),
            ("Preview", new() { ["text"] = edited, ["days"] = "7" }),
        })
        {
            var refused = await PostAsync(viewer, $"/console/catalogue?handler={handler}", form, token);
            Assert.Equal(302, refused.Status);
            Assert.StartsWith("/console/denied", new Uri(site.BaseAddress, refused.Headers["location"]).PathAndQuery);
        }
        var rollback = await PostAsync(viewer, "/console/catalogue/history?handler=Rollback", new() { ["version"] = "1" }, token);
        Assert.Equal(302, rollback.Status);
        Assert.Contains("/console/denied", rollback.Headers["location"]);
        var other = await PostAsync(viewer, "/console/simulator?handler=Send",
            new() { ["session"] = new string('a', 32), ["from"] = "other", ["other"] = "+15550000002", ["body"] = "bal" }, token);
        Assert.Equal(403, other.Status);
        Assert.Single(history.History());
        Assert.Null(await site.Gateway.Services.GetRequiredService<ICatalogueDrafts>().FindDraftAsync("viewer"));

        var editor = await site.SignedInPageAsync("editor");
        await editor.GotoAsync("/console/catalogue");
        var noToken = await PostAsync(editor, "/console/catalogue?handler=Publish", new() { ["text"] = edited, ["note"] = "no token" }, token: null);
        Assert.Equal(400, noToken.Status);
        Assert.Single(history.History());

        // With the editor's own token, the same request publishes.
        var editorToken = await editor.InputValueAsync("input[name=__RequestVerificationToken]");
        var published = await PostAsync(editor, "/console/catalogue?handler=Publish", new() { ["text"] = edited, ["note"] = "cash" }, editorToken);
        Assert.Equal(302, published.Status);
        Assert.Equal(2, history.History().Count);
    }

    [Theory]
    [MemberData(nameof(ConsoleSite.Screens), MemberType = typeof(ConsoleSite))]
    public async Task APreviewThatFailsEndsWithItsErrorAndOneLeftRunningByAStoppedNodeIsFailed(int width, int height)
    {
        await using var site = await ConsoleSite.StartAsync(services => services.AddSingleton<ISnapshotSource>(new BrokenSnapshots()));
        var services = site.Gateway.Services;
        await services.GetRequiredService<ICatalogueDrafts>().SaveDraftAsync("editor", services.GetRequiredService<ICatalogueHistory>().Find(1)!.Text, 1, site.Gateway.Clock.Now);
        var previewer = services.GetRequiredService<CataloguePreviewer>();

        var (id, problem) = await previewer.StartAsync("editor", 7, default);
        Assert.Null(problem);
        PreviewRun? run;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            await Task.Delay(50);
            run = await previewer.LatestAsync("editor", default);
        }
        while (run!.State == PreviewState.Running && waited.Elapsed < TimeSpan.FromSeconds(60)); // a hung preview fails the test below, not the run
        Assert.Equal((id, PreviewState.Failed), (run.Id, run.State));
        Assert.Equal("The preview failed: the disk is full", run.Error);

        var page = await site.SignedInPageAsync("editor", width, height);
        await page.GotoAsync("/console/catalogue");
        Assert.Equal("The preview failed: the disk is full", await page.TextContentAsync("#preview-error"));

        // A node that stopped mid-preview leaves it "running": silent for two minutes, it is failed.
        var previews = services.GetRequiredService<ICataloguePreviews>();
        var orphan = await previews.StartPreviewAsync("editor", 7, site.Gateway.Clock.Now);
        Assert.NotNull(orphan);
        Assert.Equal(PreviewState.Running, (await previewer.LatestAsync("editor", default))!.State);
        Assert.Contains("running already", (await previewer.StartAsync("editor", 7, default)).Problem);
        site.Gateway.Clock.Advance(TimeSpan.FromMinutes(3));
        var failed = (await previewer.LatestAsync("editor", default))!;
        Assert.Equal((orphan, PreviewState.Failed), (failed.Id, failed.State));
        Assert.Contains("stopped answering", failed.Error);
    }

    private static Task<IAPIResponse> PostAsync(IPage page, string url, Dictionary<string, string> fields, string? token)
    {
        var form = page.Context.APIRequest.CreateFormData();
        foreach (var (name, value) in fields) form.Set(name, value);
        if (token is not null) form.Set("__RequestVerificationToken", token);
        return page.Context.APIRequest.PostAsync(url, new() { Form = form, MaxRedirects = 0 });
    }

    [GeneratedRegex("<div class=\"change\">")]
    private static partial Regex Changes();

    [GeneratedRegex("<textarea id=\"text\"[^>]*>\\r?\\n?([^<]*)</textarea>")]
    private static partial Regex TextArea();

    private sealed class BrokenSnapshots : ISnapshotSource
    {
        public IEnumerable<SnapshotTable> Read(DateTimeOffset? since, DateTimeOffset? until) => throw new IOException("the disk is full");
    }
}
