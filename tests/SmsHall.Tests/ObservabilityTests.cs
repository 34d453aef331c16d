using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;
using SmsHall.Core;
using SmsHall.Core.Diagnostics;

namespace SmsHall.Tests;

/// <summary>What an ops team sees of a node: /metrics after real webhook traffic, the per-message log line, spans.</summary>
public partial class ObservabilityTests
{
    private const string Alice = "+15550000001"; // prepaid, English
    private const string Stranger = "+15559990000"; // no account
    private const string MetricsKey = "metrics-key-0123456789";

    [Fact]
    public async Task MetricsCountEachMessageByCommandMatchLanguageAndOutcome()
    {
        await using var gw = await TestGateway.StartAsync();
        string[] balances = ["BAL", "balance", "what's my balance?", "blance", "solde"]; // BAL is an alias
        foreach (var text in balances) await gw.TextAsync(Alice, text);
        await gw.TextAsync(Alice, "usage");
        await gw.TextAsync(Alice, "bil");                 // "Did you mean BILL?"
        await gw.TextAsync(Alice, "purple elephants");    // not understood
        await gw.TextAsync(Stranger, "bal");              // no account
        await gw.TextAsync(Alice, "usage", "SM00000000000000000000000000000006"); // Twilio delivering "usage" again

        var metrics = await ScrapeAsync(gw.Http);

        // Every BALANCE message, however it was written, is one count under command="balance".
        Assert.Equal(balances.Length, metrics.Sum("smshall_messages_total", ("command", "balance"), ("outcome", "understood")));
        Assert.Equal(2, metrics.Value("smshall_messages_total", ("command", "balance"), ("match", "exact"), ("language", "en"), ("outcome", "understood")));
        Assert.Equal(1, metrics.Value("smshall_messages_total", ("command", "balance"), ("match", "alias"), ("language", "en"), ("outcome", "understood")));
        Assert.Equal(1, metrics.Value("smshall_messages_total", ("command", "balance"), ("match", "fuzzy"), ("language", "en"), ("outcome", "understood")));
        Assert.Equal(1, metrics.Value("smshall_messages_total", ("command", "balance"), ("match", "exact"), ("language", "fr"), ("outcome", "understood")));
        Assert.Equal(1, metrics.Value("smshall_messages_total", ("command", "usage"), ("match", "exact"), ("language", "en"), ("outcome", "understood")));
        Assert.Equal(1, metrics.Value("smshall_messages_total", ("command", "unknown"), ("match", "none"), ("language", "en"), ("outcome", "clarified")));
        Assert.Equal(1, metrics.Value("smshall_messages_total", ("command", "unknown"), ("match", "none"), ("language", "en"), ("outcome", "not_understood")));
        Assert.Equal(1, metrics.Value("smshall_messages_total", ("command", "balance"), ("match", "alias"), ("language", "en"), ("outcome", "unregistered")));
        Assert.Equal(1, metrics.Value("smshall_messages_total", ("command", "none"), ("match", "none"), ("language", "none"), ("outcome", "duplicate")));
        Assert.Equal(10, metrics.Sum("smshall_messages_total"));

        // Each request timed, from the signed form to the committed reply; a redelivery's reply was counted once.
        Assert.Equal(10, metrics.Value("smshall_message_duration_seconds_count"));
        Assert.Equal(10, metrics.Value("smshall_message_duration_seconds_bucket", ("le", "+Inf")));
        Assert.InRange(metrics.Value("smshall_message_duration_seconds_sum"), 1e-6, 10 * 15);
        Assert.Equal(9, metrics.Value("smshall_replies_total", ("status", "replied")));
        Assert.Equal(0, metrics.Value("smshall_outbox_pending"));
        var (_, health) = await gw.HealthAsync();
        Assert.Equal(health.GetProperty("catalogue").GetProperty("version").GetInt64(), metrics.Value("smshall_catalogue_version"));

        // ASP.NET Core's and the runtime's standard instruments come along.
        Assert.Contains("http_server_request_duration_seconds_count", metrics.Names);
        Assert.Contains(metrics.Names, n => n.StartsWith("dotnet_gc_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TwoGatewaysInOneProcessCountApart()
    {
        // Meters are found by name across a process; each node's /metrics must still be its own.
        await using var one = await TestGateway.StartAsync();
        await using var other = await TestGateway.StartAsync();
        await one.TextAsync(Alice, "BAL");

        var metrics = await ScrapeAsync(other.Http);
        Assert.Equal(0, metrics.Sum("smshall_messages_total"));
        Assert.Equal(0, metrics.Sum("http_server_request_duration_seconds_count", ("http_route", "/twilio/sms")));
        Assert.Equal(1, (await ScrapeAsync(one.Http)).Sum("smshall_messages_total"));
    }

    [Fact]
    public async Task RepliesAreCountedAsTheyAreCommittedThenAsTwilioMovesThemOn()
    {
        await using var rest = await RestGateway.StartAsync();
        var sids = new[] { await rest.TextAsync(Alice, "BAL"), await rest.TextAsync(Alice, "usage") };
        foreach (var sid in sids) await rest.ReplyAsync(sid, "delivered");
        await rest.Twilio.CallbacksIdleAsync();

        var metrics = await ScrapeAsync(rest.Gateway.Http);
        Assert.Equal(2, metrics.Value("smshall_replies_total", ("status", "pending")));
        Assert.Equal(2, metrics.Value("smshall_replies_total", ("status", "delivered")));
        Assert.Equal(0, metrics.Value("smshall_replies_total", ("status", "replied")));
        Assert.Equal(2, metrics.Sum("smshall_messages_total", ("outcome", "understood")));
    }

    [Fact]
    public async Task OutboxPendingIsTheRepliesWaitingToBeSent()
    {
        // A TwiML node sends nothing from the outbox, so what a REST webhook commits there stays pending.
        await using var gw = await TestGateway.StartAsync();
        var hall = gw.Services.GetRequiredService<MessageHall>();
        for (var i = 0; i < 3; i++)
            await hall.HandleAsync(new InboundMessage(gw.NextSid(), Alice, TestGateway.ShortCode, "BAL", gw.Clock.GetUtcNow(), ReplyBy.Outbox));

        var metrics = await ScrapeAsync(gw.Http);
        Assert.Equal(3, metrics.Value("smshall_outbox_pending"));
    }

    [Fact]
    public async Task MetricsNeedTheKeyWhenOneIsSet()
    {
        await using var gw = await TestGateway.StartAsync($"--Metrics:ApiKey={MetricsKey}");
        await gw.TextAsync(Alice, "BAL");

        using (var response = await gw.Http.GetAsync("/metrics"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            Assert.DoesNotContain("smshall_", await response.Content.ReadAsStringAsync());
        }
        using (var wrong = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "metrics-key-0123456780") } })
        using (var response = await gw.Http.SendAsync(wrong))
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        var metrics = await ScrapeAsync(gw.Http, MetricsKey);
        Assert.Equal(1, metrics.Sum("smshall_messages_total", ("command", "balance")));
        // The probes stay open: an orchestrator holds no key.
        using var live = await gw.Http.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var ready = await gw.Http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task EachMessageIsOneLogLineWithItsFieldsAndTheNumberMasked()
    {
        var logs = new StructuredLogs();
        await using var gw = await TestGateway.StartAsync(services => services.AddSingleton<ILoggerProvider>(logs),
            "--Logging:LogLevel:SmsHall.Messages=Information");
        var sid = gw.NextSid();
        await gw.TextAsync(Alice, "solde", sid);
        await gw.TextAsync(Alice, "purple elephants");

        var lines = logs.Entries.Where(e => e.Category == "SmsHall.Messages").ToList();
        Assert.Equal(2, lines.Count);
        var line = lines[0];
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Equal(sid, line.Fields["Sid"]);
        Assert.Equal("+15*******01", line.Fields["Number"]);
        Assert.Equal("balance", line.Fields["Command"]);
        Assert.Equal("exact", line.Fields["Match"]);
        Assert.Equal("fr", line.Fields["Language"]);
        Assert.Equal("understood", line.Fields["Outcome"]);
        Assert.InRange(Assert.IsType<double>(line.Fields["Milliseconds"]), 0, 15_000);
        Assert.Matches(@$"^Message {sid} from \+15\*{{7}}01: balance \(exact, fr\) understood in \d+\.\d ms$", line.Text);
        Assert.Equal("not_understood", lines[1].Fields["Outcome"]);
        Assert.DoesNotContain(logs.Entries, e => e.Text.Contains(Alice) || e.Text.Contains(Stranger));
    }

    [Fact]
    public async Task JsonConsoleLogsAreOneObjectALineWithTheStartAndEachMessage()
    {
        var log = new StringBuilder();
        var database = TestGateway.NewDatabasePath();
        var url = $"http://127.0.0.1:{RestGateway.FreePort()}";
        var node = await GatewayProcess.StartAsync(url, "node-json",
            ["--demo", $"--Database:Path={database}", "--Logging:Console:FormatterName=json", "--Logging:LogLevel:SmsHall=Information"], log);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            var sid = "SM" + Guid.NewGuid().ToString("N");
            var form = TestGateway.Form(Alice, "bal", sid);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/twilio/sms") { Content = new FormUrlEncodedContent(form) };
            request.Headers.Add("X-Twilio-Signature", TwilioSignature.Compute($"{url}/twilio/sms", form, TestGateway.AuthToken));
            using (var response = await http.SendAsync(request)) Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            // The console logger writes from its own thread: the line comes shortly after the answer.
            JsonElement? line = null;
            for (var i = 0; i < 300 && line is null; i++, await Task.Delay(100))
                // As JsonElement? so "not yet" is null, not an empty element that ends the wait.
                line = JsonLines(log).Cast<JsonElement?>().FirstOrDefault(l => l!.Value.GetProperty("Category").GetString() == "SmsHall.Messages");
            var state = Assert.NotNull(line).GetProperty("State");
            Assert.Equal("Information", line.Value.GetProperty("LogLevel").GetString());
            Assert.Equal(sid, state.GetProperty("Sid").GetString());
            Assert.Equal("+15*******01", state.GetProperty("Number").GetString());
            Assert.Equal("balance", state.GetProperty("Command").GetString());
            Assert.Equal("understood", state.GetProperty("Outcome").GetString());

            var start = Assert.Single(JsonLines(log), l => l.GetProperty("Category").GetString() == "SmsHall").GetProperty("State");
            Assert.Equal("Sqlite", start.GetProperty("Provider").GetString());
            Assert.Equal("1", start.GetProperty("Version").ToString());
            Assert.Equal("seeded (5 subscribers)", start.GetProperty("Demo").GetString());
            Assert.DoesNotContain(Alice, log.ToString());
        }
        finally
        {
            node.Kill();
            TestGateway.DeleteDatabase(database);
        }
    }

    private static List<JsonElement> JsonLines(StringBuilder log)
    {
        string text;
        lock (log) text = log.ToString();
        return [.. text.Split('\n').Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
    }

    [Fact]
    public async Task AMessageIsOneSpanWithAChildForEachStep()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == HallTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var gw = await TestGateway.StartAsync();
        // A sid no other test uses: the listener hears every gateway in this process.
        var sid = "SM" + Guid.NewGuid().ToString("N");
        await gw.TextAsync(Alice, "blance", sid);

        var message = Assert.Single(spans, s => s.OperationName == "message" && (string?)s.GetTagItem("messaging.message.id") == sid);
        Assert.Equal("balance", message.GetTagItem("smshall.command"));
        Assert.Equal("fuzzy", message.GetTagItem("smshall.match"));
        Assert.Equal("understood", message.GetTagItem("smshall.outcome"));
        var children = spans.Where(s => s.ParentSpanId == message.SpanId && s.TraceId == message.TraceId).Select(s => s.OperationName);
        Assert.Equal(["record", "understand", "handle", "commit"], children.Order(Comparer<string>.Create(Step)).ToArray());
    }

    [Fact]
    public async Task WithAnEndpointSpansGoToTheCollectorAndWithoutOneNothingIsMade()
    {
        await using (var plain = await TestGateway.StartAsync())
            Assert.Null(plain.Services.GetService<TracerProvider>());

        await using var collector = await Collector.StartAsync();
        var sid = "SM" + Guid.NewGuid().ToString("N");
        await using (var gw = await TestGateway.StartAsync($"--OpenTelemetry:Endpoint={collector.Url}", "--OpenTelemetry:Protocol=http/protobuf"))
            await gw.TextAsync(Alice, "BAL", sid);
        // Stopping the node flushed its spans, as OTLP over HTTP: protobuf, in which strings are plain UTF-8.
        var batches = collector.Bodies("/v1/traces");
        Assert.Contains(batches, b => b.Contains(sid) && b.Contains("understand") && b.Contains("commit"));
    }

    private static int Step(string? a, string? b) =>
        Array.IndexOf(["record", "understand", "handle", "commit"], a) - Array.IndexOf(["record", "understand", "handle", "commit"], b);

    /// <summary>GET /metrics (with the key, if given), parsed.</summary>
    internal static async Task<Scrape> ScrapeAsync(HttpClient http, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return Scrape.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Prometheus' text format: one sample a line, <c>name{label="value",…} number</c>.</summary>
    internal sealed partial record Scrape(IReadOnlyList<(string Name, Dictionary<string, string> Labels, double Value)> Samples, string Text)
    {
        public IEnumerable<string> Names => Samples.Select(s => s.Name).Distinct();

        public static Scrape Parse(string text)
        {
            var samples = new List<(string, Dictionary<string, string>, double)>();
            foreach (var line in text.Split('\n'))
            {
                if (line.Length == 0 || line.StartsWith('#')) continue;
                var match = SampleLine().Match(line);
                Assert.True(match.Success, $"not a sample line: {line}");
                var labels = LabelPair().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
                samples.Add((match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)));
            }
            return new Scrape(samples, text);
        }

        /// <summary>The one sample of that name with these labels (others may be there too), 0 when there is none.</summary>
        public double Value(string name, params (string Key, string Value)[] labels)
        {
            var found = With(name, labels).ToList();
            Assert.True(found.Count <= 1, $"{found.Count} samples of {name} match:\n{Text}");
            return found.Count == 0 ? 0 : found[0].Value;
        }

        public double Sum(string name, params (string Key, string Value)[] labels) => With(name, labels).Sum(s => s.Value);

        private IEnumerable<(string Name, Dictionary<string, string> Labels, double Value)> With(string name, (string Key, string Value)[] labels) =>
            Samples.Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Key) == l.Value));

        [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)( \d+)?$""")]
        private static partial Regex SampleLine();

        [GeneratedRegex("""([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)" """, RegexOptions.IgnorePatternWhitespace)]
        private static partial Regex LabelPair();
    }

    /// <summary>A stand-in OTLP collector: it keeps what is posted to it.</summary>
    private sealed class Collector : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<(string Path, string Body)> _posts = new();

        private Collector(WebApplication app) => _app = app;

        public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        public IReadOnlyList<string> Bodies(string path) => [.. _posts.Where(p => p.Path == path).Select(p => p.Body)];

        public static async Task<Collector> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder(["--urls=http://127.0.0.1:0"]);
            var app = builder.Build();
            var collector = new Collector(app);
            app.MapPost("/{**path}", async (HttpRequest request) =>
            {
                using var body = new MemoryStream();
                await request.Body.CopyToAsync(body);
                collector._posts.Enqueue((request.Path, Encoding.UTF8.GetString(body.ToArray())));
                return Results.Ok();
            });
            await app.StartAsync();
            return collector;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}

/// <summary>Log entries with their structured fields, as a JSON or OpenTelemetry log sink would receive them.</summary>
public sealed class StructuredLogs : ILoggerProvider
{
    public sealed record Entry(string Category, LogLevel Level, string Text, IReadOnlyDictionary<string, object?> Fields);

    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(StructuredLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = state is IEnumerable<KeyValuePair<string, object?>> pairs ? pairs.ToDictionary(p => p.Key, p => p.Value) : [];
            owner._entries.Enqueue(new Entry(category, logLevel, formatter(state, exception), fields));
        }
    }
}
