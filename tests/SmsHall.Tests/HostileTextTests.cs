using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using AngleSharp.Html.Parser;
using Dapper;

namespace SmsHall.Tests;

/// <summary>
/// Text no subscriber meant to send — escapes, noncharacters, lone surrogates, invalid UTF-8 — at the
/// webhook, in the QA tools' inputs and in every report they write.
/// </summary>
public sealed class HostileTextTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("smshall-hostile-tests-").FullName;

    private static async Task<(int Exit, string Out, string Err)> SmshallWithInput(string stdin, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        string[] all = [$"--Catalogue:Path={Repo.CommandsMd}", "--Hall:RateLimitMessages=10000", .. args];
        var exit = await Cli.Cli.RunAsync(all, stdout, stderr, new StringReader(stdin));
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static Task<(int Exit, string Out, string Err)> Smshall(params string[] args) => SmshallWithInput("", args);

    /// <summary>Text a terminal, XML and HTML all take as it is: no control character but a line break, no noncharacter, no lone surrogate.</summary>
    private static void AssertDisplayable(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            Assert.False(char.IsControl(c) && c != '\n', $"U+{(int)c:X4} at {i}: {text}");
            Assert.False(c is '\uFFFE' or '\uFFFF' or (>= '\uFDD0' and <= '\uFDEF'), $"noncharacter U+{(int)c:X4} at {i}");
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else Assert.False(char.IsSurrogate(c), $"lone surrogate U+{(int)c:X4} at {i}");
        }
    }

    /// <summary>Replays with every report; each must be written, whole and readable.</summary>
    private async Task<(string Out, XDocument JUnit, string Html)> ReplayWithEveryReport(params string[] inputs)
    {
        var junit = Path.Combine(_dir, "report.xml");
        var html = Path.Combine(_dir, "report.html");
        var (exit, stdout, stderr) = await Smshall(["replay", .. inputs, "--junit", junit, "--html", html, "--show", "100"]);
        Assert.True(exit is 0 or 1, $"exit {exit}: {stderr}");
        AssertDisplayable(stdout);
        AssertDisplayable(stderr);
        var xml = File.ReadAllText(junit);
        AssertDisplayable(xml);
        var page = File.ReadAllText(html);
        AssertDisplayable(page);
        Assert.Empty(Directory.GetFiles(_dir, "*.partial"));
        return (stdout, XDocument.Parse(xml), page);
    }

    [Fact]
    public async Task TheWebhookStoresABodyWithoutNoncharactersLoneSurrogatesOrEscapesAndAnswersIt()
    {
        await using var gateway = await TestGateway.StartAsync();
        var sid = gateway.NextSid();
        // A lone surrogate cannot travel as UTF-8: the form's encoding already makes it U+FFFD.
        using var response = await gateway.PostSmsAsync("+15550000001", "bal\uFFFF\uFFFE\uFDD0\U0001FFFF\uD800\u001b[2J", sid);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(TestGateway.MessageIn(await response.Content.ReadAsStringAsync()));
        using var db = gateway.OpenDatabase();
        var stored = db.ExecuteScalar<string>("SELECT body FROM inbound_messages WHERE sid = @sid", new { sid });
        Assert.Equal("bal\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD[2J", stored);
    }

    private const string HostileLog = """
        {"direction":"inbound","sid":"SM1","from":"+15550000001","to":"SMSHALL","body":"bal\u001b[2J\uffff\ufffe","at":"2026-11-20T09:00:00Z"}
        {"direction":"outbound","inbound_sid":"SM1","body":"Your balance was\u0000 \u009b31m\u001b]0;title\u0007 gone\u202e","status":"replied"}
        {"direction":"inbound","sid":"SM2","from":"+1555\u001b[31m0000002","to":"SMSHALL","body":"\u0008\u007f\ufdd0\ud83d\ude00 help","at":"2026-11-20T09:01:00Z"}
        {"direction":"outbound","inbound_sid":"SM2","body":"\u001b[2J","status":"replied"}
        """;

    [Fact]
    public async Task AReplayOfEscapesAndNoncharactersWritesEveryReportWithThemShownEscaped()
    {
        var log = Path.Combine(_dir, "hostile.jsonl");
        File.WriteAllText(log, HostileLog);

        var (stdout, junit, html) = await ReplayWithEveryReport(log);

        // Shown as \u escapes, never sent raw; a real emoji stays itself.
        Assert.Contains(@"> bal\u001B[2J\uFFFF\uFFFE", stdout);
        Assert.Contains(@"recorded: Your balance was\u0000 \u009B31m\u001B]0;title\u0007 gone\u202E", stdout);
        Assert.Contains(@"+1555\u001B[31m0000002", stdout);
        Assert.Contains(@"> \u0008\u007F\uFDD0😀 help", stdout);
        var failures = string.Join("\n", junit.Descendants("failure").Select(f => f.Value));
        Assert.Contains(@"> bal\u001B[2J\uFFFF\uFFFE", failures);
        var page = new HtmlParser().ParseDocument(html);
        Assert.Equal([@"> bal\u001B[2J\uFFFF\uFFFE", @"> \u0008\u007F\uFDD0😀 help"],
            page.QuerySelectorAll("#turns .message").Select(m => m.TextContent));
    }

    [Fact]
    public async Task EveryCharacterThereIsGoesThroughEveryReport()
    {
        // Every UTF-16 code unit but the surrogates (JSON cannot carry them alone), then the
        // noncharacters beyond U+FFFF and an emoji, 1,000 to a message, as JSON escapes.
        var units = Enumerable.Range(0, 0x10000).Where(u => u is < 0xD800 or > 0xDFFF).Select(u => $"\\u{u:x4}");
        var pairs = Enumerable.Range(1, 16).Select(plane => (plane << 16) | 0xFFFF).Append(0x1F600)
            .Select(cp => char.ConvertFromUtf32(cp)).Select(p => $"\\u{(int)p[0]:x4}\\u{(int)p[1]:x4}");
        var lines = units.Concat(pairs).Chunk(1000).Select((chunk, i) =>
            $$"""{"direction":"inbound","sid":"SM{{i}}","from":"+15550000001","to":"SMSHALL","body":"{{string.Concat(chunk)}}","at":"2026-11-20T09:{{i / 60:00}}:{{i % 60:00}}Z"}""");
        var log = Path.Combine(_dir, "every.jsonl");
        File.WriteAllLines(log, lines);

        var (stdout, junit, html) = await ReplayWithEveryReport(log);

        Assert.Contains("64 message(s) replayed", stdout);
        Assert.Contains(@"\U0010FFFF", stdout.Replace("\n", "")); // the console wraps long lines
        Assert.Contains("😀", stdout);
        var messages = new HtmlParser().ParseDocument(html).QuerySelectorAll("#turns .message");
        Assert.Equal(64, messages.Length);
        Assert.Contains(@"\uFFFE\uFFFF\U0001FFFF", messages[^1].TextContent);
        Assert.Contains(@"\u001B", string.Concat(junit.Descendants("failure").Select(f => f.Value)));
    }

    [Fact]
    public async Task AScriptWhoseNameAndLinesHoldEscapesAndALoneSurrogateIsReportedReadably()
    {
        // Linux stores the lone surrogate of the name as U+FFFD; the name as given still reaches the reports.
        var script = Path.Combine(_dir, "case\uD800\u001b[2J.sms");
        File.WriteAllText(script, "# \u001b[31mred\u009b case\n+15550000001 > bal\u001b[5m\n+15550000001 < \u001b[2J\n");

        var (stdout, junit, html) = await ReplayWithEveryReport(script);

        Assert.Contains(@"case\uD800\u001B[2J.sms:2", stdout);
        Assert.Contains(@"> bal\u001B[5m", stdout);
        var testcase = Assert.Single(junit.Descendants("testcase"));
        Assert.Equal(@"case\uD800\u001B[2J.sms:2 \u001B[31mred\u009B case", (string)testcase.Attribute("name")!);
        Assert.Contains(@"case\uD800\u001B[2J.sms", (string)junit.Descendants("testsuite").Single().Attribute("name")!);
        Assert.Contains(@"\u001B[2J", new HtmlParser().ParseDocument(html).QuerySelector("#turns .recorded")!.TextContent);
    }

    [Fact]
    public async Task ABodyStoredByAnOlderVersionIsExportedAndReplayed()
    {
        await using var gateway = await TestGateway.StartAsync();
        await gateway.TextAsync("+15550000001", "bal");
        using (var db = gateway.OpenDatabase())
        {
            // What the edge lets through no longer: a noncharacter, an escape, a surrogate encoded on its own.
            db.Execute("UPDATE inbound_messages SET body = 'bal' || char(65535) || char(27) || '[2J' || CAST(X'EDA080' AS TEXT)");
            db.Execute("UPDATE outbound_messages SET body = body || char(65534) || char(7)");
        }
        var export = Path.Combine(_dir, "old.jsonl");
        var (exit, _, stderr) = await Smshall("log", "export", "--out", export, $"--Database:Path={gateway.DatabasePath}");
        Assert.True(exit == 0, stderr);
        var lines = File.ReadAllLines(export).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.StartsWith("bal\uFFFF\u001b[2J", lines[0].GetProperty("body").GetString());

        var (stdout, _, _) = await ReplayWithEveryReport(export);
        Assert.Contains(@"\uFFFE\u0007", stdout);
    }

    [Fact]
    public async Task ParseWritesJsonForAnyTextAndNeverARawEscape()
    {
        var db = TestGateway.NewDatabasePath();
        try
        {
            var (exit, stdout, stderr) = await SmshallWithInput("bal\uD800\nhelp\u001b[2J\uFFFF\n", "parse", $"--Database:Path={db}");
            Assert.True(exit == 0, stderr);
            var argument = await Smshall("parse", $"--Database:Path={db}", "bal\uDC00\u001b[2J");
            Assert.Equal(0, argument.Exit);

            var lines = (stdout + argument.Out).Trim().Split('\n');
            Assert.Equal(3, lines.Length);
            Assert.All(lines, l => JsonDocument.Parse(l));
            AssertDisplayable(stdout + argument.Out);
            Assert.Equal("help\u001b[2J\uFFFF", JsonDocument.Parse(lines[1]).RootElement.GetProperty("input").GetString());
        }
        finally
        {
            TestGateway.DeleteDatabase(db);
        }
    }

    [Theory]
    [InlineData("log.jsonl", "{\"direction\":\"inbound\",\"sid\":\"SM2\",\"from\":\"+15550000001\",\"body\":\"bal\xFF\",\"at\":\"2026-11-20T09:01:00Z\"}", "not valid UTF-8")]
    [InlineData("log.jsonl", "{\"direction\":\"inbound\",\"sid\":\"SM2\",\"from\":\"+15550000001\",\"body\":\"bal\\ud800\",\"at\":\"2026-11-20T09:01:00Z\"}", "$.body: Cannot read incomplete UTF-16 JSON text as string with missing low surrogate.")]
    [InlineData("script.sms", "+15550000003 > bal\xC3", "not valid UTF-8")]
    [InlineData("script.sms", "+15550000003 > bal\xED\xA0\x80", "not valid UTF-8")]
    public async Task AnInputLineThatIsNotValidTextIsABadLine(string name, string line, string reason)
    {
        var first = name.EndsWith(".sms")
            ? "@ 2026-11-20 09:00\n+15550000001 > bal\n+15550000001 < …"
            : "{\"direction\":\"inbound\",\"sid\":\"SM1\",\"from\":\"+15550000001\",\"body\":\"bal\",\"at\":\"2026-11-20T09:00:00Z\"}\n{\"direction\":\"outbound\",\"inbound_sid\":\"SM1\",\"body\":\"Your balance is $12.50, valid until 2026-12-20. Plan SILVER.\",\"status\":\"replied\"}";
        // The line's bytes as written: \xNN in the test data is that byte, not a character.
        var bytes = Encoding.UTF8.GetBytes(first + "\n").Concat(line.Select(c => (byte)c)).Concat("\n"u8.ToArray()).ToArray();
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        var number = first.Split('\n').Length + 1;

        var strict = await Smshall("replay", path);
        Assert.Equal(2, strict.Exit);
        Assert.Equal("", strict.Out);
        var error = Assert.Single(strict.Err.Trim().Split('\n'));
        Assert.StartsWith($"error: {path}:{number}: ", error);
        Assert.Contains(reason, error);

        var (exit, stdout, _) = await Smshall("replay", path, "--skip-bad-lines");
        Assert.Equal(0, exit);
        Assert.Contains("1 bad line(s) skipped", stdout);
        Assert.Contains($"{path}:{number}: ", stdout);
        Assert.Contains("1 message(s) replayed", stdout);
    }

    [Fact]
    public async Task AnErrorLineShowsTheEscapesOfTheInputItQuotes()
    {
        var script = Path.Combine(_dir, "clock.sms");
        File.WriteAllText(script, "@ \u001b[2Jtomorrow\n");

        var (exit, stdout, stderr) = await Smshall("replay", script);
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        AssertDisplayable(stderr);
        Assert.Contains(@"'@ \u001B[2Jtomorrow' is not a time", stderr);
    }

    [Fact]
    public async Task AReportThatCannotBeWrittenIsOneLineExitOneAndLeavesNothingBehind()
    {
        var script = Path.Combine(_dir, "one.sms");
        File.WriteAllText(script, "@ 2026-11-20 09:00\n+15550000001 > bal\n+15550000001 < …\n");

        var missing = Path.Combine(_dir, "no-such-folder", "x.xml");
        var (exit, _, stderr) = await Smshall("replay", script, "--junit", missing);
        Assert.Equal(1, exit);
        // Progress lines come first on stderr; then the one error line.
        Assert.StartsWith($"error: {missing}: the file cannot be written", Assert.Single(stderr.Split('\n'), l => l.StartsWith("error:")));

        // A folder where the page should go: written beside it, then not put in its place.
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "report.html")).FullName;
        (exit, _, stderr) = await Smshall("replay", script, "--html", folder);
        Assert.Equal(1, exit);
        Assert.StartsWith($"error: {folder}: the file cannot be written", Assert.Single(stderr.Split('\n'), l => l.StartsWith("error:")));
        Assert.Equal(["one.sms", "report.html"], Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName).Order());
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
