using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using SmsHall.Core.Ports;
using SmsHall.Outbox;
using SmsHall.Tests;
using SmsHall.Twilio;

namespace SmsHall.Bench;

/// <summary>
/// <c>smshall-bench delivery --smshall smshall.dll [--out bench/out] [--cases abc] [-- gateway settings]</c>: Rest-mode delivery as a
/// subscriber sees it. A real <c>smshall serve</c> sends through the Twilio stand-in; 300 numbers
/// text it at once (16 signed webhook posts in flight) and each reply is followed until it is
/// delivered, or parked for an operator. Three cases, each on a fresh database and a fresh stand-in:
/// (a) no faults; (b) 30 % of create calls failing in every way Twilio can, and the gateway killed
/// (SIGKILL) half-way through the burst and started again at once; (c) the same faults with
/// Twilio's message list always failing, so a reply in doubt cannot be looked up. Per reply the
/// delay is from the first try of its webhook post to the stand-in creating the message; the
/// all-delivered time is from the burst's start to the last "delivered" the gateway recorded.
/// Exit code 1 when a target is missed or a promise (nothing lost, nothing sent twice) is broken.
/// Settings after <c>--</c> go to the gateway on top of its defaults, to try another configuration.
/// Each case leaves its database, the gateway's log and one line a reply (CSV) in the out directory.
/// </summary>
public static class DeliveryBenchmark
{
    private const int Replies = 300;
    private const int AtOnce = 16;
    private const double FaultRate = 0.3;
    private const string AccountSid = "AC00000000000000000000000000000000";
    private const string AuthToken = "bench-token";
    private const string OperatorKey = "bench-operator-key";
    private const string ShortCode = "+15005550006";
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan PostLimit = TimeSpan.FromSeconds(60);
    private static readonly string[] Bodies = ["BAL", "USAGE", "PLAN"];
    private static readonly Fault[] Mix = [Fault.TooManyRequests, Fault.ServerError, Fault.SlowAfterCreate, Fault.DropBeforeCreate, Fault.DropAfterCreate];
    private static readonly string[] Final = ["delivered", "undelivered", "failed", "canceled", "read", "suppressed", "limited", "expired", "dropped"];

    // The bench changes none of the gateway's defaults; settings given after "--" change them (the
    // later of two values wins). Outbox:Concurrency's default became 32, not 8, from this bench: with 8
    // (bash bench/delivery.sh --Outbox:Concurrency=8) a few 10 s stalls stop the whole outbox and (c)
    // misses its 30 s by far.
    private static readonly string[] Tuned = [];

    private sealed record Case(string Name, string What, bool Faults, bool ListFails, bool KillHalfWay, TimeSpan? Limit, bool MayHold, string Target);

    private static readonly Case[] Cases =
    [
        new("a", "no faults", false, false, false, null, false, "all delivered exactly once"),
        new("b", "30 % faults, kill -9 half-way", true, false, true, TimeSpan.FromSeconds(60), false, "all delivered exactly once ≤ 60 s"),
        new("c", "30 % faults, list failing", true, true, false, TimeSpan.FromSeconds(30), true, "not in doubt delivered ≤ 30 s; in doubt held, listed"),
    ];

    private sealed record Result(Case Case, int Delivered, int Held, int HeldCreated, int Duplicates, int Lost, TimeSpan? AllDelivered, TimeSpan? P50, TimeSpan? P99, IReadOnlyList<string> Broken);

    public static async Task<int> RunAsync(string[] args)
    {
        var dash = Array.IndexOf(args, "--");
        string[] tuned = [.. Tuned, .. dash >= 0 ? args[(dash + 1)..] : []]; // the later of two values wins
        var own = dash >= 0 ? args[..dash] : args;
        var smshall = Arg(own, "--smshall") ?? throw new ArgumentException("--smshall <path to smshall.dll> is needed");
        var outDir = Path.GetFullPath(Arg(own, "--out") ?? "bench/out");
        var which = Arg(own, "--cases") ?? "abc";
        Directory.CreateDirectory(outDir);
        PrintSettings(tuned);

        var results = new List<Result>();
        foreach (var c in Cases.Where(c => which.Contains(c.Name, StringComparison.Ordinal)))
            results.Add(await RunCaseAsync(c, Path.GetFullPath(smshall), outDir, tuned));

        Console.WriteLine();
        Console.WriteLine($"{"case",-36} {"delivered",9} {"held",5} {"dup",4} {"lost",5} {"all delivered",14} {"p50",7} {"p99",7}  target met");
        foreach (var r in results)
            Console.WriteLine($"({r.Case.Name}) {r.Case.What,-32} {r.Delivered,9} {r.Held,5} {r.Duplicates,4} {r.Lost,5} {Seconds(r.AllDelivered),14} {Seconds(r.P50),7} {Seconds(r.P99),7}  {(r.Broken.Count == 0 ? "yes" : "NO")} ({r.Case.Target})");
        foreach (var r in results)
            foreach (var broken in r.Broken) Console.WriteLine($"FAILED ({r.Case.Name}): {broken}");
        return results.All(r => r.Broken.Count == 0) ? 0 : 1;
    }

    private static void PrintSettings(string[] tuned)
    {
        var outbox = new OutboxOptions();
        var twilio = new TwilioOptions();
        Console.WriteLine($"{Replies} replies to {Replies} numbers, {AtOnce} webhook posts at a time; faults in (b) and (c): {FaultRate:P0} of create calls, "
            + "spread over 429 (Retry-After 1 s), 500, a 20 s stall after creating, and a dropped connection before or after creating.");
        Console.WriteLine($"Gateway defaults: Outbox:Concurrency={outbox.Concurrency} AttemptTimeoutSeconds={outbox.AttemptTimeoutSeconds} Retries={outbox.Retries} "
            + $"RetryDelayMilliseconds={outbox.RetryDelayMilliseconds} MaxRetryAfterSeconds={outbox.MaxRetryAfterSeconds} BreakSeconds={outbox.BreakSeconds} "
            + $"LeaseSeconds={outbox.LeaseSeconds} MaxLookupFailures={outbox.MaxLookupFailures} ExpireAfterSeconds={outbox.ExpireAfterSeconds}, "
            + $"Twilio:SegmentsPerSecond={twilio.SegmentsPerSecond} (one sender: the short code).");
        Console.WriteLine("Changed from the defaults: " + (tuned.Length == 0 ? "nothing" : string.Join(" ", tuned))
            + ". The restarted node keeps its Outbox:NodeName (the machine's name), so it takes back its own unfinished rows at once, in doubt.");
    }

    private static async Task<Result> RunCaseAsync(Case c, string smshall, string outDir, string[] tuned)
    {
        var db = Path.Combine(outDir, $"delivery-{c.Name}.db");
        foreach (var file in new[] { db, db + "-wal", db + "-shm" }) File.Delete(file);
        await SeedAsync(smshall, db);

        await using var twilio = await TwilioStandIn.StartAsync(AccountSid, AuthToken);
        twilio.RetryAfterSeconds = 1;
        twilio.SlowDelay = TimeSpan.FromSeconds(20);
        twilio.ListFails = c.ListFails;
        var faults = new List<(DateTimeOffset At, Fault Fault)>();
        if (c.Faults)
        {
            var random = new Random(7);
            twilio.Faults = (_, _) =>
            {
                lock (faults)
                {
                    if (random.NextDouble() >= FaultRate) return Fault.None;
                    var fault = Mix[random.Next(Mix.Length)];
                    faults.Add((DateTimeOffset.UtcNow, fault));
                    return fault;
                }
            };
        }

        var url = $"http://127.0.0.1:{FreePort()}";
        string[] settings =
        [
            $"--Database:Path={db}",
            "--Twilio:ReplyMode=Rest",
            $"--Twilio:ApiBaseUrl={twilio.BaseUrl}",
            $"--Twilio:AccountSid={AccountSid}",
            $"--Twilio:AuthToken={AuthToken}",
            $"--Twilio:StatusCallbackUrl={url}/twilio/status",
            $"--Operator:ApiKey={OperatorKey}",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:SmsHall.Outbox=Information", // each retry and lookup, for reading the log afterwards
            .. tuned,
        ];
        await using var log = new StreamWriter(Path.Combine(outDir, $"delivery-{c.Name}.log")) { AutoFlush = true };
        var gateway = await GatewayProcess.StartAsync(smshall, url, settings, log);
        try
        {
            var restart = TimeSpan.Zero;
            Func<Task>? halfWay = c.KillHalfWay
                ? async () =>
                {
                    var down = Stopwatch.StartNew();
                    gateway.Dispose(); // SIGKILL, with posts and sends in flight
                    gateway = await GatewayProcess.StartAsync(smshall, url, settings, log);
                    restart = down.Elapsed;
                }
            : null;
            var burst = DateTimeOffset.UtcNow;
            var postedAt = await BurstAsync(url, halfWay);
            var posting = DateTimeOffset.UtcNow - burst;
            var settled = await WaitUntilSettledAsync(c, db, burst);

            var listed = await ListedAsHeldAsync(url);
            gateway.Dispose(); // nothing more can be sent: the stand-in's record is final
            var result = Analyse(c, db, burst, postedAt, twilio.Sent, listed, settled, Path.Combine(outDir, $"delivery-{c.Name}.csv"));

            var counts = faults.CountBy(f => f.Fault).ToDictionary();
            Console.WriteLine($"({c.Name}) {c.What}: burst posted in {posting.TotalSeconds:0.0} s"
                + (c.KillHalfWay ? $", killed after {Replies / 2} posts and answering /health again {restart.TotalSeconds:0.0} s later" : "")
                + $"; {twilio.Attempts} create calls, {faults.Count} faulted"
                + (faults.Count > 0 ? " (" + string.Join(", ", Mix.Select(f => $"{counts.GetValueOrDefault(f)} {f}")) + ")" : "")
                + $"; the 429s paused the sender {PausedSeconds(faults, twilio.RetryAfterSeconds):0.0} s in all"
                + $"; {twilio.ListCalls} list calls; {SegmentsOf(db)} segments in all"
                + (result.Held > 0 ? $"; of the {result.Held} held, Twilio had created {result.HeldCreated}" : ""));
            return result;
        }
        finally
        {
            gateway.Dispose();
        }
    }

    /// <summary>Posts every message like Twilio: 16 at a time, each until the gateway answers 200 (it may be down). Returns each one's first try.</summary>
    private static async Task<DateTimeOffset[]> BurstAsync(string url, Func<Task>? halfWay)
    {
        var postedAt = new DateTimeOffset[Replies];
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
        var posted = 0;
        await Parallel.ForAsync(0, Replies, new ParallelOptions { MaxDegreeOfParallelism = AtOnce }, async (i, _) =>
        {
            postedAt[i] = DateTimeOffset.UtcNow;
            await PostUntilAcceptedAsync(http, url, Form(i));
            if (Interlocked.Increment(ref posted) == Replies / 2 && halfWay is not null) await halfWay();
        });
        return postedAt;
    }

    private static async Task PostUntilAcceptedAsync(HttpClient http, string url, List<KeyValuePair<string, string>> form)
    {
        var signature = TwilioSignature.Compute(url + "/twilio/sms", form, AuthToken);
        var started = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/twilio/sms") { Content = new FormUrlEncodedContent(form) };
                request.Headers.Add("X-Twilio-Signature", signature);
                using var response = await http.SendAsync(request);
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Down, or killed with this post in flight: Twilio would try again.
            }
            if (started.Elapsed > PostLimit) throw new TimeoutException($"the gateway did not take a message within {PostLimit.TotalSeconds:0} s");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Waits until every reply has a final status or is parked for an operator, at most
    /// <see cref="SettleLimit"/> from the burst's start; says every 15 s how far it is. False when time ran out.
    /// </summary>
    private static async Task<bool> WaitUntilSettledAsync(Case c, string db, DateTimeOffset burst)
    {
        var nextReport = TimeSpan.FromSeconds(15);
        while (true)
        {
            var (delivered, held, open) = Progress(db);
            var elapsed = DateTimeOffset.UtcNow - burst;
            if (open == 0) return true;
            if (elapsed > SettleLimit) return false;
            if (elapsed > nextReport)
            {
                Console.WriteLine($"({c.Name}) {elapsed.TotalSeconds:0} s: {delivered} delivered, {held} held, {open} on their way");
                nextReport += TimeSpan.FromSeconds(15);
            }
            await Task.Delay(200);
        }
    }

    private static (long Delivered, long Held, long Open) Progress(string db)
    {
        using var c = Open(db);
        return c.QuerySingle<(long, long, long)>(
            """
            SELECT (SELECT COUNT(*) FROM outbound_messages WHERE status = 'delivered'),
                   (SELECT COUNT(*) FROM outbox WHERE state = 'held'),
                   (SELECT COUNT(*) FROM outbound_messages m
                    WHERE m.status NOT IN @Final AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.id = m.id AND o.state = 'held'))
            """, new { Final });
    }

    /// <summary>What an operator sees: the ids GET /operator/outbox/held lists, and the held count of GET /operator/outbox.</summary>
    private static async Task<(HashSet<long> Ids, long Count)> ListedAsHeldAsync(string url)
    {
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add("X-Api-Key", OperatorKey);
        var held = await http.GetFromJsonAsync<HeldReply[]>("/operator/outbox/held") ?? [];
        var counts = await http.GetFromJsonAsync<JsonElement>("/operator/outbox");
        return (held.Select(h => h.Id).ToHashSet(), counts.GetProperty("held").GetInt64());
    }

    private sealed record HeldReply(long Id, string To);

    private sealed record ReplyRow(long Id, string InboundSid, string ToNumber, string Status, string? TwilioSid, string? UpdatedAt, string? OutboxState);

    private static Result Analyse(Case c, string db, DateTimeOffset burst, DateTimeOffset[] postedAt, IReadOnlyList<SentSms> sent,
        (HashSet<long> Ids, long Count) listed, bool settled, string csvPath)
    {
        var broken = new List<string>();
        if (!settled) broken.Add($"not settled within {SettleLimit.TotalSeconds:0} s of the burst");

        using var conn = Open(db);
        var inbound = conn.ExecuteScalar<long>("SELECT COUNT(*) FROM inbound_messages");
        if (inbound != Replies) broken.Add($"{inbound} messages recorded, not {Replies}");
        var replies = conn.Query<ReplyRow>(
            """
            SELECT m.id, m.inbound_sid AS InboundSid, m.to_number AS ToNumber, m.status, m.twilio_sid AS TwilioSid, m.updated_at AS UpdatedAt, o.state AS OutboxState
            FROM outbound_messages m LEFT JOIN outbox o ON o.id = m.id
            """).ToDictionary(r => r.InboundSid);
        var created = sent.ToLookup(s => s.To);

        int delivered = 0, held = 0, heldCreated = 0, duplicates = 0, lost = 0;
        var delays = new List<TimeSpan>();
        var lastDelivered = DateTimeOffset.MinValue;
        var heldIds = new HashSet<long>();
        var lostStatuses = new List<string>();
        using var csv = new StreamWriter(csvPath);
        csv.WriteLine("number,posted_s,created_s,creates,status,held,updated_s");
        for (var i = 0; i < Replies; i++)
        {
            var number = SyntheticSubscribers.Number(i);
            var creates = created[number].ToList();
            replies.TryGetValue(Sid(i), out var row);
            csv.WriteLine(string.Join(',', number, Since(burst, postedAt[i]), creates.Count > 0 ? Since(burst, creates[0].At) : "", creates.Count,
                row?.Status ?? "", row?.OutboxState == "held" ? 1 : 0, row?.UpdatedAt is { } updated ? Since(burst, ReadTime(updated)) : ""));
            duplicates += Math.Max(0, creates.Count - 1);
            if (!replies.TryGetValue(Sid(i), out var reply))
            {
                lost++;
                lostStatuses.Add("no reply row");
            }
            else if (reply.Status == "delivered")
            {
                delivered++;
                if (creates.Count != 1 || creates[0].Sid != reply.TwilioSid)
                    broken.Add($"the reply to {number} is delivered as {reply.TwilioSid}, but Twilio created [{string.Join(", ", creates.Select(s => s.Sid))}]");
                if (creates.Count > 0) delays.Add(creates[0].At - postedAt[i]);
                var at = ReadTime(reply.UpdatedAt!); // set with the status
                if (at > lastDelivered) lastDelivered = at;
            }
            else if (reply.OutboxState == "held")
            {
                held++;
                heldCreated += creates.Count > 0 ? 1 : 0;
                heldIds.Add(reply.Id);
            }
            else
            {
                lost++;
                lostStatuses.Add(reply.Status);
            }
        }

        if (lost > 0) broken.Add($"{lost} replies neither delivered nor held ({string.Join(", ", lostStatuses.CountBy(s => s).Select(s => $"{s.Value} {s.Key}"))})");
        if (duplicates > 0) broken.Add($"{duplicates} replies created more than once at Twilio");
        if (held > 0 && !c.MayHold) broken.Add($"{held} replies held for an operator where every one could be looked up");
        if (!heldIds.SetEquals(listed.Ids) || listed.Count != held)
            broken.Add($"{held} replies held, but GET /operator/outbox/held lists {listed.Ids.Count} ({heldIds.Except(listed.Ids).Count()} missing) and /operator/outbox counts {listed.Count}");
        TimeSpan? allDelivered = delivered > 0 ? lastDelivered - burst : null;
        if (c.Limit is { } limit && allDelivered > limit)
            broken.Add($"the last reply that was not in doubt was delivered {allDelivered.Value.TotalSeconds:0.0} s after the burst began, target ≤ {limit.TotalSeconds:0} s");

        delays.Sort();
        return new Result(c, delivered, held, heldCreated, duplicates, lost, allDelivered, Percentile(delays, 50), Percentile(delays, 99), broken);
    }

    /// <summary>How long the sender was paused by 429s: each pauses it for Retry-After, and pauses that overlap count once.</summary>
    private static double PausedSeconds(List<(DateTimeOffset At, Fault Fault)> faults, int retryAfterSeconds)
    {
        var paused = TimeSpan.Zero;
        var until = DateTimeOffset.MinValue;
        foreach (var at in faults.Where(f => f.Fault == Fault.TooManyRequests).Select(f => f.At).Order())
        {
            var end = at.AddSeconds(retryAfterSeconds);
            var start = at > until ? at : until;
            if (end > start) paused += end - start;
            if (end > until) until = end;
        }
        return paused.TotalSeconds;
    }

    private static long SegmentsOf(string db)
    {
        using var c = Open(db);
        return c.ExecuteScalar<long>("SELECT COALESCE(SUM(segments), 0) FROM outbound_messages");
    }

    private static async Task SeedAsync(string smshall, string db)
    {
        var seed = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true };
        foreach (var arg in new[] { smshall, "db", "seed", "--subscribers", Replies.ToString(CultureInfo.InvariantCulture), $"--Database:Path={db}" })
            seed.ArgumentList.Add(arg);
        using var process = Process.Start(seed)!;
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"smshall db seed exited with {process.ExitCode}");
    }

    /// <summary>An inbound SMS as Twilio posts it: the i-th synthetic subscriber texting the short code.</summary>
    private static List<KeyValuePair<string, string>> Form(int i) =>
    [
        new("MessageSid", Sid(i)),
        new("SmsSid", Sid(i)),
        new("AccountSid", AccountSid),
        new("From", SyntheticSubscribers.Number(i)),
        new("To", ShortCode),
        new("Body", Bodies[i % Bodies.Length]),
        new("NumMedia", "0"),
        new("NumSegments", "1"),
        new("ApiVersion", "2010-04-01"),
    ];

    private static string Sid(int i) => $"SMDELIVERY{i:D24}";

    // Nearest rank: the smallest delay that at least p % of the replies did not exceed.
    private static TimeSpan? Percentile(List<TimeSpan> sorted, int p) =>
        sorted.Count == 0 ? null : sorted[Math.Max(0, (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1)];

    private static string Since(DateTimeOffset start, DateTimeOffset at) => (at - start).TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);

    private static DateTimeOffset ReadTime(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static string Seconds(TimeSpan? t) => t is { } value ? $"{value.TotalSeconds:0.0} s" : "—";

    // Read-only and unpooled: the gateway owns the database; the bench only looks.
    private static SqliteConnection Open(string db)
    {
        var c = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        c.Open();
        return c;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? Arg(string[] args, string name) =>
        Array.IndexOf(args, name) is var i && i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
