using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SmsHall.Tests;

/// <summary>What a node says about itself (/health, its logs) and what it answers when it cannot do its work.</summary>
public class DatabaseHealthTests
{
    private const string Alice = "+15550000001";

    [Fact]
    public async Task AFloodOfRefusedRequestsLogsAFewLinesWithoutTheirQueryStringsAndCountsTheRest()
    {
        var logs = new CapturedLogs();
        await using var gw = await TestGateway.StartAsync(services => services.AddSingleton<ILoggerProvider>(logs));
        // Just under Kestrel's 8 KB request line: the request reaches the signature check.
        var url = "/twilio/sms?padding=" + new string('q', 8_000);
        for (var i = 0; i < 200; i++) Assert.Equal(HttpStatusCode.Forbidden, await PostUnsignedAsync(gw, url));

        var refused = RefusedLines(logs);
        Assert.Single(refused);
        Assert.Contains("/twilio/sms", refused[0]);
        Assert.DoesNotContain(logs.Lines, l => l.Contains("qqqqqqqq") || l.Contains("padding"));

        // A minute on, the next refusal reports how many were not logged one by one.
        gw.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Forbidden, await PostUnsignedAsync(gw, url));
        refused = RefusedLines(logs);
        Assert.Equal(3, refused.Count);
        Assert.Contains(refused, l => l.Contains("199 more"));
        Assert.All(refused, l => Assert.True(l.Length < 400, l));
    }

    [Fact]
    public async Task HealthShowsALoadBalancerOnlyTheStatusAndTheCatalogueStateAndTheOperatorEverything()
    {
        await using var gw = await TestGateway.StartAsync($"--Operator:ApiKey={TestGateway.OperatorKey}");

        foreach (var key in new[] { null, "not-the-key" })
        {
            var (status, open) = await gw.HealthAsync(key);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(["status", "catalogue"], open.EnumerateObject().Select(p => p.Name));
            Assert.Equal("ok", open.GetProperty("status").GetString());
            var catalogue = open.GetProperty("catalogue");
            Assert.Equal(["status", "loadedAt"], catalogue.EnumerateObject().Select(p => p.Name));
            Assert.Equal("ok", catalogue.GetProperty("status").GetString());
            Assert.DoesNotContain(Path.GetFileName(gw.DatabasePath), open.GetRawText());
        }

        var (_, details) = await gw.HealthAsync(TestGateway.OperatorKey);
        Assert.Equal("ok", details.GetProperty("status").GetString());
        Assert.Equal(gw.DatabasePath, details.GetProperty("database").GetProperty("path").GetString());
        Assert.Equal(Repo.CommandsMd, details.GetProperty("catalogue").GetProperty("path").GetString());
        Assert.Equal(4, details.GetProperty("catalogue").GetProperty("languages").GetArrayLength());
        Assert.True(details.GetProperty("catalogue").GetProperty("keywords").GetInt32() > 0);
        Assert.Equal(JsonValueKind.Null, details.GetProperty("catalogue").GetProperty("rejected").ValueKind);
    }

    [Fact]
    public async Task WithoutAnOperatorKeySetHealthShowsNoDetailsToAnyone()
    {
        await using var gw = await TestGateway.StartAsync();
        var (status, open) = await gw.HealthAsync("");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(open.TryGetProperty("database", out _));
        Assert.False(open.GetProperty("catalogue").TryGetProperty("path", out _));
    }

    private static async Task<HttpStatusCode> PostUnsignedAsync(TestGateway gw, string url)
    {
        using var response = await gw.Http.PostAsync(url, new FormUrlEncodedContent(TestGateway.Form(Alice, "BAL", gw.NextSid())));
        return response.StatusCode;
    }

    private static List<string> RefusedLines(CapturedLogs logs) => [.. logs.Lines.Where(l => l.Contains("request"))];
}
