using System.Security.Cryptography;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using AngleSharp.Html.Parser;
using SmsHall.Replay;

namespace SmsHall.Tests;

/// <summary><c>smshall log export</c> and <c>smshall replay</c>, run in-process on real files.</summary>
public sealed class ReplayTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("smshall-replay-tests-").FullName;

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    private string File_(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Runs smshall; the gateway's test settings (rate limit) are the replay's too.</summary>
    private static async Task<(int Exit, string Out, string Err)> Smshall(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        string[] all = [$"--Catalogue:Path={Repo.CommandsMd}", "--Hall:RateLimitMessages=10000", .. args];
        var exit = await Cli.Cli.RunAsync(all, stdout, stderr, new StringReader(""));
        return (exit, stdout.ToString(), stderr.ToString());
    }

    // Real traffic in four languages: a plan change confirmed, a top-up, an opted-out number, an unknown message.
    private static readonly (string From, string Body)[] Traffic =
    [
        ("+15550000001", "balance"), ("+15550000002", "bill"), ("+15550000001", "plan gold"), ("+15550000003", "usage"),
        ("+15550000001", "yes"), ("+15550000003", "余额"), ("+15550000004", "solde"), ("+15550000001", "topup 1111-2222-3333"),
        ("+15550000005", "is the network down"), ("+15559999999", "bal"), ("+15550000003", "stop"), ("+15550000003", "bal"),
        ("+15550000002", "bal"), ("+15550000004", "conso"), ("+15550000001", "bal"), ("+15550000001", "BAL!"),
        ("+15550000004", "موجودی"), ("+15550000003", "start"), ("+15550000005", "help"),
    ];

    /// <summary>Sends <see cref="Traffic"/> through the webhook and exports it; returns the export's path.</summary>
    private async Task<string> RecordTrafficAsync()
    {
        await using var gateway = await TestGateway.StartAsync();
        foreach (var (from, body) in Traffic)
        {
            await gateway.TextAsync(from, body);
            gateway.Clock.Advance(TimeSpan.FromSeconds(20));
        }
        var export = Path.Combine(_dir, "traffic.jsonl");
        var (exit, stdout, stderr) = await Smshall("log", "export", "--out", export, $"--Database:Path={gateway.DatabasePath}");
        Assert.True(exit == 0, stderr);
        Assert.EndsWith($"{Traffic.Length} message(s) exported", stdout.Trim());
        return export;
    }

    [Fact]
    public async Task TrafficThroughTheWebhookExportedAndReplayedIsTheSameMessageForMessage()
    {
        var export = await RecordTrafficAsync();

        // The export holds each inbound message followed by its reply, with what the pipeline made of it.
        var lines = File.ReadLines(export).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(Traffic.Length, lines.Count(l => l.GetProperty("direction").GetString() == "inbound"));
        Assert.Equal("plan.change", lines.First(l => l.GetProperty("body").GetString() == "plan gold").GetProperty("command").GetString());
        var suppressed = lines.Single(l => l.GetProperty("direction").GetString() == "outbound" && l.GetProperty("status").GetString() == "suppressed");
        Assert.Equal("", suppressed.GetProperty("body").GetString());

        var (exit, stdout, _) = await Smshall("replay", export);
        Assert.Equal(0, exit);
        Assert.Contains($"{Traffic.Length} message(s) replayed", stdout);
        Assert.Contains($"{Traffic.Length} same, 0 changed, 0 newly answered, 0 no longer answered, 0 error", stdout);
    }

    [Fact]
    public async Task ACatalogueEditShowsUpAsExactlyTheTurnsItChanges()
    {
        var export = await RecordTrafficAsync();
        // The operator rewords the English balance reply and drops the BAL alias.
        var catalogue = File.ReadAllText(Repo.CommandsMd)
            .Replace("- en aliases: BAL, CXYE", "- en aliases: CXYE")
            .Replace("- en usage: BAL\n", "- en usage: BALANCE\n")
            .Replace("- en reply: Your balance is {balance}, valid until {valid_until}. Plan {plan}.", "- en reply: Balance {balance} until {valid_until} ({plan}).");
        var candidate = File_("candidate.md", catalogue);
        var html = Path.Combine(_dir, "report.html");

        var (exit, stdout, _) = await Smshall("replay", export, "--catalogue", candidate, "--html", html, "--show", "100");
        Assert.Equal(1, exit);

        // Changed: the English "balance" (new wording), every BAL from a registered number that is not
        // opted out (no longer a command), and the two replies that list the commands (not understood,
        // HELP), which now say BALANCE. Not changed: other languages, the unregistered and the
        // opted-out numbers, and everything else.
        var expected = new[]
        {
            ("+15550000001", "balance"), ("+15550000005", "is the network down"), ("+15550000002", "bal"), ("+15550000001", "bal"),
            ("+15550000001", "BAL!"), ("+15550000005", "help"),
        };
        var report = new HtmlParser().ParseDocument(File.ReadAllText(html));
        var rows = report.QuerySelectorAll("#turns tr.turn").ToList();
        Assert.Equal(expected, rows.Select(r => (r.QuerySelector("td:nth-child(2) div:nth-child(2)")!.TextContent.Split(" · ")[0],
            r.QuerySelector(".message")!.TextContent[2..])).ToArray());
        Assert.All(rows, r => Assert.Equal("changed", r.GetAttribute("data-outcome")));
        Assert.Equal("6", report.QuerySelector("#count-changed")!.TextContent);
        Assert.Equal((Traffic.Length - 6).ToString(), report.QuerySelector("#count-same")!.TextContent);
        Assert.Equal(Traffic.Length.ToString(), report.QuerySelector("#count-all")!.TextContent);
        // The new wording is highlighted as inserted, the old as deleted.
        var first = rows[0];
        Assert.Contains("Your", first.QuerySelectorAll(".recorded del").Select(d => d.TextContent));
        Assert.Contains("Balance", first.QuerySelectorAll(".now ins").Select(i => i.TextContent));
        Assert.DoesNotContain("SILVER", first.QuerySelectorAll(".now ins").Select(i => i.TextContent));

        Assert.Contains("> balance", stdout);
        Assert.Contains($"{Traffic.Length - 6} same, 6 changed", stdout);
    }

    [Fact]
    public void TwilioCsvRepliesArePairedWithTheMessageTheyAnswerByNumberAndTime()
    {
        var bad = new BadLines(skip: false);
        using var reader = new StreamReader(Fixture("twilio-export.csv"));
        var turns = TwilioCsvReader.Read(reader, "twilio-export.csv", _dir, bad).ToList();

        // Oldest first, whatever the export's order; the outbound-api promotion answers nothing.
        Assert.Equal(
            ["SMin0000000000000000000000000001", "SMin0000000000000000000000000002", "SMin0000000000000000000000000003", "SMin0000000000000000000000000004",
             "SMin0000000000000000000000000005", "SMin0000000000000000000000000006", "SMin0000000000000000000000000007", "SMin0000000000000000000000000008"],
            turns.Select(t => t.Message.Sid));
        string? Reply(string sid) => turns.Single(t => t.Message.Sid == sid).Recorded.Text;
        Assert.StartsWith("Your balance is $12.50", Reply("SMin0000000000000000000000000001"));
        Assert.StartsWith("Since 2026-11-01", Reply("SMin0000000000000000000000000002")); // interleaved with +…0001's plan change
        Assert.StartsWith("Change plan SILVER to GOLD", Reply("SMin0000000000000000000000000003"));
        Assert.StartsWith("Votre solde", Reply("SMin0000000000000000000000000004")); // the reply in the same second
        Assert.StartsWith("Done: your plan is now GOLD", Reply("SMin0000000000000000000000000005"));
        Assert.Null(Reply("SMin0000000000000000000000000007")); // opted out: no reply
        Assert.Equal("plan \"gold\"", turns[2].Message.Body);
        Assert.Equal("usage, please", turns[1].Message.Body);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 9, 0, 10, TimeSpan.Zero), turns[7].Message.ReceivedAt);
        Assert.Equal(0, bad.Count);
    }

    [Fact]
    public async Task ATwilioExportReplaysWithOnlyTheRewordedReplyChanged()
    {
        var junit = Path.Combine(_dir, "twilio.xml");
        var (exit, stdout, _) = await Smshall("replay", Fixture("twilio-export.csv"), "--junit", junit);
        Assert.Equal(1, exit);
        Assert.Contains("7 same, 1 changed, 0 newly answered, 0 no longer answered, 0 error", stdout);
        Assert.Contains("> conso", stdout);

        // One test case per number; only +15550000004's fails.
        var suite = ValidJUnit(junit).Root!.Element("testsuite")!;
        Assert.Equal(["+15550000001", "+15550000003", "+15550000004"], suite.Elements("testcase").Select(c => (string)c.Attribute("name")!).Order());
        var failed = Assert.Single(suite.Elements("testcase"), c => c.Element("failure") is not null);
        Assert.Equal("+15550000004", (string)failed.Attribute("name")!);
        Assert.Equal("1 of 2 replies differ", (string)failed.Element("failure")!.Attribute("message")!);
    }

    private const string PassingScript = """
        # Prepaid balance, in English and French
        @ 2026-11-20 09:00
        +15550000001 > bal
        +15550000001 < Your balance is $12.50, valid until …. Plan SILVER.
        +15550000004 > solde
        +15550000004 < /^Votre solde est de \$60\.00, valable jusqu'au \d{4}-\d\d-\d\d\. Forfait FAMILY\.$/

        # A plan change needs YES, and YES ten minutes late is too late
        +15550000001 > plan gold
        +15550000001 < Change plan SILVER to GOLD … from 2026-11-20? …
        @ +11m
        +15550000001 > yes
        +15550000001 < …expired…

        # Opted out: nothing, until START
        +15550000003 > stop
        +15550000003 < …opted out…
        +15550000003 > bal
        +15550000003 > start
        +15550000003 < …
        """;

    [Fact]
    public async Task AScriptThatHoldsPassesAndEachCaseStartsAfresh()
    {
        var script = File_("passing.sms", PassingScript);
        var junit = Path.Combine(_dir, "passing.xml");
        var (exit, stdout, _) = await Smshall("replay", script, "--junit", junit);
        Assert.True(exit == 0, stdout);
        Assert.Contains("7 same, 0 changed", stdout);

        var cases = ValidJUnit(junit).Descendants("testcase").ToList();
        Assert.Equal(
            ["passing.sms:3 Prepaid balance, in English and French", "passing.sms:9 A plan change needs YES, and YES ten minutes late is too late", "passing.sms:16 Opted out: nothing, until START"],
            cases.Select(c => (string)c.Attribute("name")!));
        Assert.All(cases, c => Assert.Empty(c.Elements()));
    }

    [Fact]
    public async Task AFailingScriptExitsOneAndNamesTheCaseAndTurn()
    {
        var script = File_("failing.sms", """
            # Balance wording QA expects
            @ 2026-11-20 09:00
            +15550000001 > bal
            +15550000001 < Balance: $12.50

            # Expects silence, gets a reply
            +15550000002 > bill
            """);
        var junit = Path.Combine(_dir, "failing.xml");
        var (exit, stdout, _) = await Smshall("replay", script, "--junit", junit);
        Assert.Equal(1, exit);
        Assert.Contains($"changed  {script}:3", stdout);
        Assert.Contains("recorded: Balance: $12.50", stdout);
        Assert.Contains("now:      Your balance is $12.50", stdout);
        Assert.Contains($"newly answered  {script}:7", stdout);

        var root = ValidJUnit(junit).Root!;
        Assert.Equal("2", (string)root.Attribute("tests")!);
        Assert.Equal("2", (string)root.Attribute("failures")!);
        var failure = root.Descendants("failure").First();
        Assert.Equal("changed", (string)failure.Attribute("type")!);
        Assert.Contains($"{script}:3", failure.Value);
        Assert.Contains("> bal", failure.Value);
    }

    [Theory]
    [InlineData("+15550000001 bal", 1, "expected '+15550000001 > message'")]
    [InlineData("@ 2026-11-20 09:00\n+15550000001 > bal\n+15550000001 < /Your (balance/", 3, "not a valid regular expression")]
    [InlineData("+15550000001 < hello", 1, "a reply line must follow the message it answers")]
    [InlineData("@ next tuesday", 1, "is not a time")]
    public async Task AMalformedScriptStopsWithItsFileLineAndReason(string text, int line, string reason)
    {
        var script = File_("bad.sms", text + "\n");
        var (exit, stdout, stderr) = await Smshall("replay", script);
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        var error = Assert.Single(stderr.Trim().Split('\n'));
        Assert.StartsWith($"error: {script}:{line}: ", error);
        Assert.Contains(reason, error);
    }

    [Fact]
    public async Task SkipBadLinesCarriesOnAndCountsThem()
    {
        var log = File_("log.jsonl", """
            {"direction":"inbound","sid":"SM1","from":"+15550000001","to":"SMSHALL","body":"bal","at":"2026-11-20T09:00:00Z"}
            {"direction":"outbound","inbound_sid":"SM1","from":"SMSHALL","to":"+15550000001","body":"Your balance is $12.50, valid until 2026-12-20. Plan SILVER.","status":"replied"}
            {"direction":"inbound","sid":"SM2","from":"+15550000001","body":"bal",
            {"direction":"inbound","sid":"SM3","from":"+15550000001","to":"SMSHALL","body":"bal","at":"yesterday"}
            {"direction":"inbound","sid":"SM4","from":"+15550000003","to":"SMSHALL","body":"bal","at":"2026-11-20T09:01:00Z"}
            {"direction":"outbound","inbound_sid":"SM4","from":"SMSHALL","to":"+15550000003","body":"Your balance is $3.75, valid until 2026-12-20. Plan BASIC.","status":"replied"}
            """);

        var strict = await Smshall("replay", log);
        Assert.Equal(2, strict.Exit);
        Assert.StartsWith($"error: {log}:3: not a JSON object", strict.Err.Trim());

        var (exit, stdout, _) = await Smshall("replay", log, "--skip-bad-lines");
        Assert.Equal(0, exit);
        Assert.Contains("2 bad line(s) skipped", stdout);
        Assert.Contains($"{log}:4: \"at\" must be an ISO 8601 time", stdout);
        Assert.Contains("2 same, 0 changed", stdout);
    }

    [Fact]
    public async Task MalformedTwilioCsvRowsAreNamedByLineOrSkipped()
    {
        const string header = "\"From\",\"To\",\"Body\",\"Status\",\"SentDate\",\"ApiVersion\",\"NumSegments\",\"ErrorCode\",\"AccountSid\",\"Sid\",\"Direction\",\"Price\",\"PriceUnit\"";
        var csv = File_("export.csv", header + "\n" + """
            "+15005550006","+15550000001","Your balance is $12.50, valid until 2026-12-20. Plan SILVER.","delivered","2026-11-20T09:00:01Z","2010-04-01","1","","AC1","SMo1","outbound-reply","",""
            "+15550000001","+15005550006","bal","received","2026-11-20T09:00:00Z","2010-04-01","1","","AC1","SMi1","inbound","",""
            "+15550000003","+15005550006","bal","received","not a date","2010-04-01","1","","AC1","SMi2","inbound","",""
            "+15550000003","+15005550006","b"a"l","received","2026-11-20T08:59:00Z","2010-04-01","1","","AC1","SMi3","inbound","",""
            "+15550000003","+15005550006","bal","received","2026-11-20T08:58:00Z","2010-04-01","1"
            "+15005550006","+15550000004","Votre solde est de $60.00, valable jusqu'au 2026-12-20. Forfait FAMILY.","delivered","Fri, 20 Nov 2026 08:57:01 +0000","2010-04-01","1","","AC1","SMo4","outbound-reply","",""
            "+15550000004","+15005550006","solde","received","Fri, 20 Nov 2026 08:57:00 +0000","2010-04-01","1","","AC1","SMi4","inbound","",""
            """);

        var strict = await Smshall("replay", csv);
        Assert.Equal(2, strict.Exit);
        Assert.Equal($"error: {csv}:4: SentDate 'not a date' is not a date (e.g. 2026-11-20T09:00:00Z or Fri, 20 Nov 2026 09:00:00 +0000)", strict.Err.Trim());

        var (exit, stdout, _) = await Smshall("replay", csv, "--skip-bad-lines");
        Assert.Equal(0, exit);
        Assert.Contains("3 bad line(s) skipped", stdout);
        Assert.Contains($"{csv}:5: a field has a stray double quote", stdout);
        Assert.Contains($"{csv}:6: this row has a different number of fields from the header", stdout);
        Assert.Contains("2 same, 0 changed", stdout); // the RFC 2822 dates are read too
    }

    [Fact]
    public async Task IgnoreMasksVolatilePartsOnBothSides()
    {
        var script = File_("dates.sms", """
            @ 2026-11-20 09:00
            +15550000001 > bal
            +15550000001 < Your balance is $12.50, valid until 2031-01-01. Plan SILVER.
            """);
        Assert.Equal(1, (await Smshall("replay", script)).Exit);
        var (exit, stdout, _) = await Smshall("replay", script, "--ignore", @"\d{4}-\d\d-\d\d");
        Assert.Equal(0, exit);
        Assert.Contains("1 same", stdout);
    }

    [Fact]
    public async Task ASnapshotIsReplayedFromAndNeverModified()
    {
        // The snapshot is taken before the traffic; the live database then moves on.
        await using var gateway = await TestGateway.StartAsync();
        await gateway.TextAsync("+15550000001", "bal");
        var snapshot = Path.Combine(_dir, "snapshot.db");
        using (var live = gateway.OpenDatabase())
        using (var copy = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={snapshot};Pooling=False"))
        {
            copy.Open();
            live.BackupDatabase(copy);
        }
        gateway.Clock.Advance(TimeSpan.FromMinutes(1));
        await gateway.TextAsync("+15550000001", "plan gold");
        await gateway.TextAsync("+15550000001", "yes");
        await gateway.TextAsync("+15550000001", "bal");
        var export = Path.Combine(_dir, "after.jsonl");
        Assert.Equal(0, (await Smshall("log", "export", "--since", "2026-11-22T10:00:30Z", "--out", export, $"--Database:Path={gateway.DatabasePath}")).Exit);
        Assert.Equal(3, File.ReadLines(export).Count(l => l.Contains("\"inbound\"")));

        var before = SHA256.HashData(File.ReadAllBytes(snapshot));
        var (exit, stdout, _) = await Smshall("replay", export, "--db", snapshot);
        Assert.Equal(0, exit);
        Assert.Contains("3 same", stdout);
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(snapshot)));

        // The snapshot matters: from the live database, taken after the change, the same traffic differs.
        var (afterExit, afterOut, _) = await Smshall("replay", export, "--db", gateway.DatabasePath);
        Assert.Equal(1, afterExit);
        Assert.Contains("changed", afterOut);
    }

    [Fact]
    public async Task ExportFiltersByTimeAndNumber()
    {
        await using var gateway = await TestGateway.StartAsync();
        await gateway.TextAsync("+15550000001", "bal");
        gateway.Clock.Advance(TimeSpan.FromDays(1));
        await gateway.TextAsync("+15550000001", "usage");
        await gateway.TextAsync("+15550000003", "bal");
        var db = $"--Database:Path={gateway.DatabasePath}";

        var (exit, stdout, stderr) = await Smshall("log", "export", "--since", "2026-11-23", db);
        Assert.Equal(0, exit);
        Assert.Equal("2 message(s) exported", stderr.Trim());
        Assert.Equal(4, stdout.Trim().Split('\n').Length);

        (_, stdout, _) = await Smshall("log", "export", "--until", "2026-11-22", db);
        Assert.Equal(["bal", "Your balance is $12.50, valid until 2026-12-22. Plan SILVER."],
            stdout.Trim().Split('\n').Select(l => JsonDocument.Parse(l).RootElement.GetProperty("body").GetString()));

        (_, stdout, _) = await Smshall("log", "export", "--number", "+15550000003", db);
        Assert.All(stdout.Trim().Split('\n'), l => Assert.Contains("+15550000003", l));

        var wrong = await Smshall("log", "export", "--since", "last week", db);
        Assert.Equal(2, wrong.Exit);
        Assert.Equal("error: --since must be a date like 2026-11-21 or a time like 2026-11-21T09:00:00Z, not 'last week'", wrong.Err.Trim());
    }

    [Fact]
    public async Task InputsThatCannotBeReadExitTwoWithOneLine()
    {
        var missing = await Smshall("replay", Path.Combine(_dir, "nope.jsonl"));
        Assert.Equal(2, missing.Exit);
        Assert.EndsWith("nope.jsonl: no such file", missing.Err.Trim());

        var notTwilio = File_("other.csv", "name,phone\nAda,+15550000001\n");
        var csv = await Smshall("replay", notTwilio);
        Assert.Equal(2, csv.Exit);
        Assert.Contains($"{notTwilio}:1: not a Twilio message log export", csv.Err);

        var notADatabase = File_("snapshot.db", "not sqlite");
        var script = File_("one.sms", "+15550000001 > bal\n+15550000001 < …\n");
        var db = await Smshall("replay", script, "--db", notADatabase);
        Assert.Equal(2, db.Exit);
        Assert.StartsWith($"error: {notADatabase}: cannot be read as an SmsHall database", db.Err.Trim());
    }

    /// <summary>Loads a JUnit report, checking it against the JUnit schema CI servers read.</summary>
    private static XDocument ValidJUnit(string path)
    {
        var schemas = new XmlSchemaSet();
        schemas.Add(null, Fixture("junit.xsd"));
        var document = XDocument.Load(path);
        var problems = new List<string>();
        document.Validate(schemas, (_, e) => problems.Add(e.Message));
        Assert.Empty(problems);
        return document;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>The HTML report as a QA lead sees it: opened in Chromium (Debian's, through Playwright), filters used.</summary>
public sealed class HtmlReportInBrowserTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("smshall-html-tests-").FullName;

    [Fact]
    public async Task TheReportShowsItsCountsAndFiltersByOutcomeAndCommand()
    {
        // Three changed replies (balance, usage, a bill expected on two lines), one newly answered (help), one the same.
        var script = Path.Combine(_dir, "mixed.sms");
        File.WriteAllText(script, """
            @ 2026-11-20 09:00
            +15550000001 > bal
            +15550000001 < Your balance is $99.00, valid until …. Plan SILVER.
            +15550000001 > usage
            +15550000001 < Since 2026-11-01: nothing
            +15550000001 > help
            +15550000002 > bill
            +15550000002 < …
            +15550000002 < (a second line that is not there)
            +15550000003 > bal
            +15550000003 < Your balance is $3.75, valid until …. Plan BASIC.
            """);
        var html = Path.Combine(_dir, "report.html");
        var stdout = new StringWriter();
        var exit = await Cli.Cli.RunAsync([$"--Catalogue:Path={Repo.CommandsMd}", "replay", script, "--html", html], stdout, new StringWriter());
        Assert.Equal(1, exit);

        using var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium(), Headless = true, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(html).AbsoluteUri);

        Assert.Equal("5", await page.TextContentAsync("#count-all"));
        Assert.Equal("1", await page.TextContentAsync("#count-same"));
        Assert.Equal("3", await page.TextContentAsync("#count-changed"));
        Assert.Equal("1", await page.TextContentAsync("#count-newly-answered"));
        Assert.Equal(4, await page.Locator("#turns tr.turn:visible").CountAsync());

        await page.SelectOptionAsync("#filter-outcome", "changed");
        Assert.Equal(3, await page.Locator("#turns tr.turn:visible").CountAsync());
        Assert.Equal("3", await page.TextContentAsync("#shown"));

        await page.SelectOptionAsync("#filter-command", "usage");
        var visible = page.Locator("#turns tr.turn:visible");
        Assert.Equal(1, await visible.CountAsync());
        Assert.Contains("> usage", await visible.TextContentAsync());
        // The words the reply gained are highlighted.
        Assert.True(await visible.Locator(".now ins").CountAsync() > 0);

        await page.SelectOptionAsync("#filter-outcome", "newly-answered");
        Assert.Equal(0, await page.Locator("#turns tr.turn:visible").CountAsync());
        await page.SelectOptionAsync("#filter-command", "");
        Assert.Equal(1, await page.Locator("#turns tr.turn:visible").CountAsync());
    }

    /// <summary>Debian's Chromium (.ci/run installs it); the test fails, never skips, without it.</summary>
    private static string Chromium()
    {
        foreach (var path in new[] { Environment.GetEnvironmentVariable("CHROMIUM_PATH"), "/usr/bin/chromium", "/usr/bin/chromium-browser" })
        {
            if (path is not null && File.Exists(path)) return path;
        }
        throw new InvalidOperationException("Chromium is not installed: apt-get install chromium (or set CHROMIUM_PATH)");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
