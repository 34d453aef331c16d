using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using SmsHall.Cli;

namespace SmsHall.Tests;

/// <summary>The smshall command line, run in-process against its own SQLite file.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _db = TestGateway.NewDatabasePath();

    private Task<(int Exit, string Out, string Err)> RunWithInput(string stdin, params string[] args) =>
        CliRun.RunAsync([$"--Database:Path={_db}", $"--Catalogue:Path={Repo.CommandsMd}"], stdin, args); // the test's own settings win

    private Task<(int Exit, string Out, string Err)> Run(params string[] args) => RunWithInput("", args);

    private async Task SeedAsync() => Assert.Equal(0, (await Run("db", "seed")).Exit);

    [Fact]
    public async Task ParsePrintsThePublicContract()
    {
        var (exit, stdout, err) = await Run("parse", "--now", "2026-11-22", "Bill", "Dec!");
        Assert.Equal("", err);
        Assert.Equal(0, exit);
        Assert.Equal("""{"input":"Bill Dec!","command":"bill","args":{"period":"2025-12"},"match":"exact","suggestions":[],"keyword":"bill","distance":null}""", stdout.Trim());
    }

    [Fact]
    public async Task ParseReadsOneMessagePerLineAndWritesJsonLines()
    {
        var (exit, stdout, _) = await RunWithInput("bal\nPLAN gold\nbill 13\nhello\n", "parse", "--now", "2026-11-22");
        Assert.Equal(0, exit);
        var lines = stdout.Trim().Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["balance", "plan.change", "unknown", "greeting"], lines.Select(l => l.GetProperty("command").GetString()));
        Assert.Equal("GOLD", lines[1].GetProperty("args").GetProperty("plan").GetString());
        Assert.Equal(JsonValueKind.Null, lines[2].GetProperty("match").ValueKind);
        Assert.Equal("bill", lines[2].GetProperty("suggestions")[0].GetString());
        Assert.Equal(0, lines[3].GetProperty("suggestions").GetArrayLength());
    }

    [Fact]
    public async Task TextRunsTheWebhooksPipelineOnTheSameDatabaseAndLog()
    {
        await SeedAsync();
        var (exit, stdout, _) = await Run("text", "+15550000001", "bal");
        Assert.Equal(0, exit);
        Assert.StartsWith("Your balance is $12.50, valid until ", stdout);

        // The plan change flow works across separate runs, as across separate SMS.
        Assert.StartsWith("Change plan SILVER to GOLD", (await Run("text", "+15550000001", "PLAN", "GOLD")).Out);
        Assert.StartsWith("Done: your plan is now GOLD", (await Run("text", "+15550000001", "YES")).Out);

        using var db = new SqliteConnection($"Data Source={_db}");
        Assert.Equal(3, db.ExecuteScalar<long>("SELECT COUNT(*) FROM inbound_messages WHERE sid LIKE 'CLI%' AND status = 'handled'"));
        Assert.Equal(3, db.ExecuteScalar<long>("SELECT COUNT(*) FROM outbound_messages"));
    }

    [Fact]
    public async Task TextWithoutADatabaseSaysHowToCreateOneAndCreatesNothing()
    {
        var (exit, stdout, stderr) = await Run("text", "+15550000001", "bal");
        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains("there is no database at", line);
        Assert.Contains("smshall db seed", line);
        Assert.False(File.Exists(_db));
    }

    [Fact]
    public async Task TextOnADatabaseWithoutSubscribersSaysHowToSeedOne()
    {
        Assert.Equal(0, (await Run("db", "migrate")).Exit);
        var (exit, _, stderr) = await Run("text", "+15550000001", "bal");
        Assert.Equal(1, exit);
        Assert.Equal($"error: the database at {Path.GetFullPath(_db)} has no subscribers yet; add the demo ones with 'smshall db seed'", stderr.Trim());
        using var db = new SqliteConnection($"Data Source={_db}");
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM vouchers"));
    }

    [Fact]
    public async Task ParseReadsAndWritesUtf8WhateverTheLocale()
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "smshall.dll"), "parse", $"--Catalogue:Path={Repo.CommandsMd}", $"--Database:Path={_db}" },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            StandardInputEncoding = new System.Text.UTF8Encoding(false),
            StandardOutputEncoding = System.Text.Encoding.UTF8,
        };
        start.Environment["LANG"] = start.Environment["LC_ALL"] = "en_US.ISO-8859-1";
        using var process = System.Diagnostics.Process.Start(start)!;
        await process.StandardInput.WriteLineAsync("好的");
        await process.StandardInput.WriteLineAsync("موجودی");
        process.StandardInput.Close();
        var lines = (await process.StandardOutput.ReadToEndAsync()).Trim().Split('\n');
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        Assert.Contains("\"input\":\"好的\",\"command\":\"confirm\"", lines[0]);
        Assert.Contains("\"input\":\"موجودی\",\"command\":\"balance\"", lines[1]);
    }

    [Fact]
    public async Task ParseNeedsNoDatabaseAndCreatesNone()
    {
        var (exit, stdout, stderr) = await Run("parse", "--now", "2026-11-22", "bill", "oct");
        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        Assert.Contains("\"period\":\"2026-10\"", stdout);
        Assert.False(File.Exists(_db));
    }

    [Fact]
    public async Task TextStoresWhatTheWebhookWouldAndUnmatchedNeverPrintsARawEscape()
    {
        await SeedAsync();
        Assert.Equal(0, (await Run("text", "+15550000001", "\u001b[2J\uffff")).Exit);
        using (var db = new SqliteConnection($"Data Source={_db};Pooling=False"))
        {
            var body = db.ExecuteScalar<string>("SELECT body FROM inbound_messages ORDER BY rowid DESC LIMIT 1")!;
            Assert.DoesNotContain('\u001b', body);
            Assert.DoesNotContain('\uffff', body);
            // A row recorded by an older version, escape and all.
            db.Execute("UPDATE inbound_messages SET body = @body, normalised = '' WHERE command = 'unknown'", new { body = "\u001b[31mred" });
        }
        var (exit, stdout, _) = await Run("log", "unmatched");
        Assert.Equal(0, exit);
        Assert.DoesNotContain('\u001b', stdout);
        Assert.Contains("(\\u001B[31mred)", stdout);
    }

    [Fact]
    public async Task TextSaysWhenANumberIsOverTheRateLimit()
    {
        await SeedAsync();
        for (var i = 0; i < 2; i++) Assert.Equal(0, (await Run("text", "+15550000001", "bal", "--Hall:RateLimitMessages=1")).Exit);
        var (exit, stdout, stderr) = await Run("text", "+15550000001", "bal", "--Hall:RateLimitMessages=1");
        Assert.Equal(0, exit);
        Assert.Equal("", stdout);
        Assert.Equal("(no reply: the number is over the rate limit and has had its notice)", stderr.Trim());
    }

    [Fact]
    public async Task ServeAddsDemoDataOnlyWhenAsked()
    {
        Assert.Equal(0, await ServeUntilStarted());
        using (var db = new SqliteConnection($"Data Source={_db};Pooling=False"))
        {
            Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM subscribers"));
            Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM vouchers"));
        }
        Assert.Equal(0, await ServeUntilStarted("--demo"));
        using (var db = new SqliteConnection($"Data Source={_db};Pooling=False"))
        {
            Assert.Equal(5, db.ExecuteScalar<long>("SELECT COUNT(*) FROM subscribers"));
            Assert.Equal(6, db.ExecuteScalar<long>("SELECT COUNT(*) FROM vouchers"));
        }
    }

    /// <summary>Runs plain <c>smshall</c> (which serves) until it has started, then stops it as Ctrl+C would.</summary>
    private async Task<int> ServeUntilStarted(params string[] args)
    {
        using var stop = new CancellationTokenSource();
        var stderr = new StringWriter();
        var serving = Cli.Cli.RunAsync(
            [.. args, "--urls=http://127.0.0.1:0", "--Twilio:ValidateSignature=false", $"--Database:Path={_db}", $"--Catalogue:Path={Repo.CommandsMd}"],
            new StringWriter(), stderr, new StringReader(""), stop.Token);
        for (var i = 0; i < 200 && stderr.ToString().Length == 0 && !serving.IsCompleted; i++) await Task.Delay(50);
        await stop.CancelAsync();
        return await serving;
    }

    [Fact]
    public async Task DbMigrateAndSeedSayWhatTheyDid()
    {
        var migrate = await Run("db", "migrate");
        Assert.Equal(0, migrate.Exit);
        var migrations = Directory.GetFiles(Path.Combine(Repo.Root, "src", "SmsHall.Storage.Sqlite", "Migrations"), "*.sql").Length;
        Assert.EndsWith($": {migrations} migration(s) applied", migrate.Out.Trim());
        Assert.EndsWith(": 0 migration(s) applied", (await Run("db", "migrate")).Out.Trim());

        Assert.EndsWith(": 5 demo subscriber(s) added", (await Run("db", "seed")).Out.Trim());
        Assert.EndsWith(": 0 demo subscriber(s) added", (await Run("db", "seed")).Out.Trim());
    }

    [Fact]
    public async Task DbSeedAddsSyntheticSubscribersWithUsageAndBills()
    {
        var seed = await Run("db", "seed", "--subscribers", "1000");
        Assert.Equal(0, seed.Exit);
        Assert.EndsWith(": 1000 synthetic subscriber(s) added (+15551000000 to +15551000999)", seed.Out.Trim());
        Assert.EndsWith(": 0 synthetic subscriber(s) added (+15551000000 to +15551000999)", (await Run("db", "seed", "--subscribers", "1000")).Out.Trim());

        using (var db = new SqliteConnection($"Data Source={_db}"))
        {
            Assert.Equal(1000, db.ExecuteScalar<long>("SELECT COUNT(*) FROM subscribers WHERE number BETWEEN '+15551000000' AND '+15551000999'"));
            Assert.Equal(1000, db.ExecuteScalar<long>("SELECT COUNT(*) FROM usage WHERE number LIKE '+1555100%'"));
            Assert.Equal(6000, db.ExecuteScalar<long>("SELECT COUNT(*) FROM bills WHERE number LIKE '+1555100%'"));
            Assert.Equal(4, db.ExecuteScalar<long>("SELECT COUNT(DISTINCT plan_code) FROM subscribers WHERE number LIKE '+1555100%'"));
            Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM bills b WHERE NOT EXISTS (SELECT 1 FROM bill_lines l WHERE l.bill_id = b.id)"));
        }
        // They are real subscribers to the pipeline, with the self-service hall's data at scale.
        Assert.StartsWith("Your balance is $", (await Run("text", "+15551000001", "bal")).Out);
        using (var db = new SqliteConnection($"Data Source={_db}"))
        {
            foreach (var table in new[] { "point_lots", "payments", "usage_records" })
                Assert.Equal(1000, db.ExecuteScalar<long>($"SELECT COUNT(DISTINCT number) FROM {table} WHERE number LIKE '+1555100%'"));
            Assert.True(db.ExecuteScalar<long>("SELECT COUNT(*) FROM subscriptions WHERE number LIKE '+1555100%'") > 300);
        }
        // Every fifth uses a fraction of its plan: those not on the cheapest are told of a cheaper one.
        Assert.StartsWith("Your last 3 months fit plan BASIC at $10.00/month", (await Run("text", "+15551000005", "recommend")).Out);
        Assert.StartsWith("Plan SILVER is already the cheapest", (await Run("text", "+15551000001", "recommend")).Out);

        var wrong = await Run("db", "seed", "--subscribers", "0");
        Assert.Equal(2, wrong.Exit);
        Assert.Equal("error: --subscribers must be a number from 1 to 10000000, not 0", wrong.Err.Trim());
    }

    [Fact]
    public async Task OperatorsChangeDataPacksExtrasAndRewardsAndSubscribersSeeThem()
    {
        await SeedAsync();
        Assert.Equal("P2G: added", (await Run("db", "packs", "add", "p2g", "--size", "2GB", "--price", "8.00", "--days", "30")).Out.Trim());
        Assert.Equal("P2G: changed", (await Run("db", "packs", "add", "P2G", "--size", "2 go", "--price", "7.50", "--days", "15")).Out.Trim());
        Assert.Contains("P2G      2GB          $7.50  15 days", (await Run("db", "packs", "list")).Out);
        Assert.StartsWith("Buy data pack P2G (2 GB, 15 days) for $7.50", (await Run("text", "+15550000001", "buy 2GB")).Out);

        Assert.Equal("NAV: added", (await Run("db", "extras", "add", "NAV", "--price", "3", "--name", "en=Navigation", "--name", "zh=导航")).Out.Trim());
        Assert.Contains("NAV          $3.00/month  en=Navigation, zh=导航", (await Run("db", "extras", "list")).Out);
        Assert.Equal("C10: added", (await Run("db", "rewards", "add", "C10", "--points", "1500", "--credit", "10.00")).Out.Trim());
        Assert.Contains("C10         1500 points  $10.00 credit", (await Run("db", "rewards", "list")).Out);

        Assert.Equal("P2G: removed", (await Run("db", "packs", "remove", "P2G")).Out.Trim());
        Assert.Equal("There is no 2GB pack. Packs: P500M 500 MB $2.00, P1G 1 GB $5.00, P5G 5 GB $15.00, P20G 20 GB $35.00.",
            (await Run("text", "+15550000001", "buy 2GB")).Out.Trim());
    }

    [Theory]
    [InlineData(2, "error: --size must be an amount of data like 500MB or 1GB, not '2XB'", "db", "packs", "add", "P2X", "--size", "2XB", "--price", "1", "--days", "30")]
    [InlineData(2, "error: --price must be an amount like 5.00, not '-1'", "db", "packs", "add", "P2G", "--size", "2GB", "--price", "-1", "--days", "30")]
    [InlineData(2, "error: --days must be a number of days from 1 to 3650, not 0", "db", "packs", "add", "P2G", "--size", "2GB", "--price", "1", "--days", "0")]
    [InlineData(2, "error: a code is 1 to 12 letters and digits, not 'P-2'", "db", "packs", "add", "P-2", "--size", "2GB", "--price", "1", "--days", "3")]
    [InlineData(2, "error: there is no pack P9", "db", "packs", "remove", "P9")]
    [InlineData(2, "error: --name is a language and a name, like en=Ringback tone, not 'english=x'", "db", "extras", "add", "X", "--price", "1", "--name", "english=x")]
    [InlineData(1, "error: extra RBT is still subscribed by 3 number(s); it can be removed once nobody has it", "db", "extras", "remove", "RBT")]
    [InlineData(2, "error: a reward gives either --data (e.g. 1GB) or --credit (e.g. 5.00)", "db", "rewards", "add", "X", "--points", "5")]
    [InlineData(2, "error: --points must be a number from 1 to 1000000, not 0", "db", "rewards", "add", "X", "--points", "0", "--data", "1GB")]
    public async Task BadProductInputIsOneLineAndNothingChanges(int exit, string error, params string[] args)
    {
        await SeedAsync();
        var before = (await Run("db", "extras", "list")).Out + (await Run("db", "packs", "list")).Out + (await Run("db", "rewards", "list")).Out;
        var run = await Run(args);
        Assert.Equal((exit, error), (run.Exit, run.Err.Trim()));
        Assert.Equal(before, (await Run("db", "extras", "list")).Out + (await Run("db", "packs", "list")).Out + (await Run("db", "rewards", "list")).Out);
    }

    [Fact]
    public async Task ServeWithoutAnAuthTokenStopsWithOneLineNamingTheSetting()
    {
        var (exit, stdout, stderr) = await Run("serve", "--urls=http://127.0.0.1:0");
        Assert.Equal(2, exit);
        var line = Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains("Twilio:AuthToken", line);
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task ServeWarnsWhenSignaturesAreNotChecked()
    {
        using var stop = new CancellationTokenSource();
        var stderr = new StringWriter();
        var serving = Cli.Cli.RunAsync(
            ["--urls=http://127.0.0.1:0", "--Twilio:ValidateSignature=false", $"--Database:Path={_db}", $"--Catalogue:Path={Repo.CommandsMd}"],
            new StringWriter(), stderr, new StringReader(""), stop.Token);
        for (var i = 0; i < 100 && stderr.ToString().Length == 0; i++) await Task.Delay(50);
        await stop.CancelAsync();
        Assert.Equal(0, await serving);
        Assert.StartsWith("warning: Twilio:ValidateSignature is false", stderr.ToString());
    }

    [Fact]
    public async Task ABadCatalogueIsReportedWithFileAndLine()
    {
        var bad = Path.ChangeExtension(_db, ".md");
        await File.WriteAllTextAsync(bad, File.ReadAllText(Repo.CommandsMd).Replace("- en keywords: USAGE, DATA, USED", "- en keywords USAGE"));
        try
        {
            var (exit, _, stderr) = await Run("parse", "bal", $"--Catalogue:Path={bad}");
            Assert.Equal(2, exit);
            var line = File.ReadAllLines(bad).Select((l, i) => (l, i)).First(x => x.l == "- en keywords USAGE").i + 1;
            Assert.StartsWith($"{bad}:{line}: error: expected", stderr.Trim());
        }
        finally
        {
            File.Delete(bad);
        }
    }

    [Theory]
    [InlineData("parse --now 2026-13-01 bal", "error: --now must be a date like 2026-11-22, not '2026-13-01'")]
    [InlineData("frobnicate", "Unrecognized command or argument 'frobnicate'.")]
    [InlineData("text +15550000001", "error: Required argument 'body' missing for command: 'text'.")]
    [InlineData("text +15550000001 bal --Hall:ConfirmationMinutes=ten", "'Hall:ConfirmationMinutes'")]
    [InlineData("text +15550000001 bal --Hall:ConfirmationMinutes=0", "error: Hall:ConfirmationMinutes must be a number of minutes from 1 to 1440")]
    [InlineData("parse bal --Hall:TimeZone=Mars/Olympus", "error: Hall:TimeZone is not a time zone this machine knows (e.g. UTC, Europe/Paris)")]
    [InlineData("serve --Twilio:AuthToken=x --Twilio:ValidateSignature=flase", "'Twilio:ValidateSignature'")]
    [InlineData("serve --Twilio:AuthToken=x --Twilio:ReplyMode=Rest", "error: Twilio:AccountSid is needed for Twilio:ReplyMode=Rest")]
    [InlineData("serve --Twilio:AuthToken=x --Twilio:ReplyMode=Rest --Twilio:AccountSid=AC1 --Twilio:ApiBaseUrl=ftp://x", "error: Twilio:ApiBaseUrl must be an http(s) URL")]
    [InlineData("serve --Twilio:AuthToken=x --Twilio:ReplyMode=Carrier-pigeon", "'Twilio:ReplyMode'")]
    [InlineData("serve --Twilio:AuthToken=x --Outbox:Concurrency=0", "error: Outbox:Concurrency must be from 1 to 256")]
    [InlineData("text +15550000001 bal --Hall:RateLimitMessages=0", "error: Hall:RateLimitMessages must be a number of messages from 1 to 10000")]
    [InlineData("text +15550000001 bal --Hall:CareNumber=call-us", "error: Hall:CareNumber must be the number subscribers call for care: 1 to 20 digits, spaces, '+', '-', '(' or ')', with a digit")]
    [InlineData("text +15550000001 bal --Hall:TicketAnswerHours=0", "error: Hall:TicketAnswerHours must be a number of hours from 1 to 720")]
    [InlineData("text +15550000001 bal --Hall:TicketReplyHours=-1", "error: Hall:TicketReplyHours must be a number of hours from 0 to 720 (0: replies never join a ticket)")]
    [InlineData("text +15550000001 bal --Database:MaxSizeMB=0", "error: Database:MaxSizeMB must be a number of megabytes from 1 to 1000000 (or unset, for no limit)")]
    [InlineData("serve --Twilio:AuthToken=x --Database:ProbeSeconds=0", "error: Database:ProbeSeconds must be a number of seconds from 1 to 3600")]
    [InlineData("serve --Twilio:AuthToken=x --Notices:IntervalSeconds=0", "error: Notices:IntervalSeconds must be a number of seconds from 0.2 to 86400")]
    [InlineData("text +15550000001 bal --Hall:LowBalanceCents=-1", "error: Hall:LowBalanceCents must be an amount in cents from 0 to 100000000")]
    [InlineData("text +15550000001 bal --Hall:PointsExpiringDays=400", "error: Hall:PointsExpiringDays must be a number of days from 0 to 366")]
    [InlineData("text +15550000001 bal --Database:Provider=Oracle", "'Database:Provider'")]
    [InlineData("serve --Twilio:AuthToken=x --Metrics:ApiKey=secret", "error: Metrics:ApiKey must be at least 16 characters with no spaces (or empty for an open /metrics)")]
    [InlineData("serve --Twilio:AuthToken=x --OpenTelemetry:Endpoint=collector:4317", "error: OpenTelemetry:Endpoint must be an http:// or https:// address (the OTLP collector), or empty for no traces")]
    [InlineData("serve --Twilio:AuthToken=x --OpenTelemetry:Endpoint=http://collector:4318 --OpenTelemetry:Protocol=http", "error: OpenTelemetry:Protocol must be grpc or http/protobuf")]
    [InlineData("db migrate --Database:Provider=Postgres", "error: Database:ConnectionString must be set for Database:Provider=Postgres")]
    [InlineData("db migrate --Database:Provider=Postgres --Database:ConnectionString=Server=db;Colour=blue", "error: Database:ConnectionString is not an Npgsql connection string")]
    public async Task AMistakeIsOneClearLineAndANonZeroExit(string args, string message)
    {
        var (exit, _, stderr) = await Run(args.Split(' '));
        Assert.Equal(2, exit);
        var line = Assert.Single(stderr.TrimEnd().Split(Environment.NewLine));
        Assert.Contains(message, line);
    }

    [Fact]
    public async Task ParseNowIsTheOperatorsDateWhateverTheTimeZone()
    {
        var (_, stdout, _) = await Run("parse", "--now", "2026-11-30", "bill dec", "--Hall:TimeZone=Pacific/Auckland");
        Assert.Contains("\"period\":\"2025-12\"", stdout);
    }

    [Fact]
    public async Task CatalogueCheckPassesTheShippedCatalogue()
    {
        var (exit, stdout, _) = await Run("catalogue", "check");
        Assert.Equal(0, exit);
        Assert.Matches(@"commands\.md: ok, \d+ warning\(s\); en, fa, fr, zh, \d+ keywords and aliases", stdout);
    }

    [Fact]
    public async Task CatalogueCheckPrintsEveryProblemWithItsLineAndFailsOnErrors()
    {
        var bad = Path.ChangeExtension(_db, ".md");
        var text = File.ReadAllText(Repo.CommandsMd)
            .Replace("- en keywords: USAGE, DATA, USED", "- en keywords: USAGE, DATA, USED, BILL")
            .Replace("- fr reply paid:", "- fr reply unpaid:");
        await File.WriteAllTextAsync(bad, text);
        try
        {
            var (exit, stdout, _) = await Run("catalogue", "check", bad);
            Assert.Equal(1, exit);
            var lines = File.ReadAllLines(bad);
            int LineOf(string s) => lines.Select((l, i) => (l, i)).First(x => x.l.StartsWith(s)).i + 1;
            Assert.Contains($"{bad}:{LineOf("- en keywords: BILL, BILLS")}: error: 'BILL' is claimed by both 'usage' (line {LineOf("- en keywords: USAGE")}) and 'bill'", stdout);
            Assert.Contains($"{bad}:{LineOf("- fr reply unpaid:")}: error: no handler gives a reply 'bill.unpaid'", stdout);
            Assert.Contains($"{bad}:{LineOf("- en reply paid: Bill")}: error: reply 'bill.paid' has no 'fr' version", stdout);
            // The collision is also shown at the line that was edited.
            Assert.Contains($"{bad}:{LineOf("- en keywords: USAGE")}: error: 'BILL' is claimed by both 'usage' and 'bill' (line {LineOf("- en keywords: BILL, BILLS")})", stdout);
            Assert.Contains("4 error(s)", stdout);
        }
        finally
        {
            File.Delete(bad);
        }
    }

    [Fact]
    public async Task CatalogueCheckWarningsDoNotFail()
    {
        var warned = Path.ChangeExtension(_db, ".md");
        await File.WriteAllTextAsync(warned, File.ReadAllText(Repo.CommandsMd).Replace("- en keywords: USAGE, DATA, USED", "- en keywords: USAGE, DATA, USED, BILLS2"));
        try
        {
            var (exit, stdout, _) = await Run("catalogue", "check", warned);
            Assert.Equal(0, exit);
            Assert.Contains(": warning: 'bills' (bill) is 1 typing slip from 'bills2' (usage, line", stdout);
        }
        finally
        {
            File.Delete(warned);
        }
    }

    [Fact]
    public async Task CatalogueCheckOfAMissingFileSaysSo()
    {
        var (exit, _, stderr) = await Run("catalogue", "check", "/nonexistent/commands.md");
        Assert.Equal(1, exit);
        Assert.Equal("/nonexistent/commands.md: error: file not found", stderr.Trim());
    }

    [Fact]
    public async Task ParseUnderstandsTheWholeCorpusAsTheGrammarDoes()
    {
        await SeedAsync();
        var cases = File.ReadAllLines(Path.Combine(Repo.Root, "tests", "SmsHall.Core.Tests", "Corpus", "understood.txt"))
            .Where(l => l.Trim().Length > 0 && !l.StartsWith('#') && !l.Contains('\\'))
            .Select(l => (Message: l[..l.LastIndexOf(" => ", StringComparison.Ordinal)], Command: l[(l.LastIndexOf(" => ", StringComparison.Ordinal) + 4)..].Split(' ')[0]))
            .ToList();
        var (exit, stdout, _) = await RunWithInput(string.Join('\n', cases.Select(c => c.Message)) + "\n", "parse", "--now", "2026-11-22");
        Assert.Equal(0, exit);
        var commands = stdout.Trim().Split('\n').Select(l => JsonDocument.Parse(l).RootElement.GetProperty("command").GetString()).ToList();
        Assert.Equal(cases.Select(c => c.Command), commands);
    }

    [Fact]
    public async Task LogUnmatchedListsWhatSubscribersTypeThatWasNotUnderstood()
    {
        await SeedAsync();
        foreach (var text in new[] { "saldo", "saldo!", "SALDO", "bil", "bil", "hello there", "bal", "saldo please", "👍" })
            Assert.Equal(0, (await Run("text", "+15550000001", text)).Exit);

        var (exit, stdout, _) = await Run("log", "unmatched", "--top", "2");
        Assert.Equal(0, exit);
        var lines = stdout.Trim().Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Matches(@"^\s+3\s+saldo\s+balance\b", lines[1]);
        Assert.Matches(@"^\s+2\s+bil\s+balance, bill$", lines[2]);

        var all = await Run("log", "unmatched");
        Assert.Matches(@"\n\s+1\s+\(👍\)\s+-", all.Out); // nothing to normalise: shown as sent

        Assert.Contains("No unmatched messages since 2099-01-01.", (await Run("log", "unmatched", "--since", "2099-01-01")).Out);
        Assert.Equal(2, (await Run("log", "unmatched", "--since", "yesterday")).Exit);
    }

    public void Dispose() => TestGateway.DeleteDatabase(_db);
}
