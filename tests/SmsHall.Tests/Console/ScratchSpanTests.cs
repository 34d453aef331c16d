using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SmsHall.Core.Catalogue;
using SmsHall.Core.Diagnostics;
using SmsHall.Core.Ports;
using SmsHall.OperatorConsole;

namespace SmsHall.Tests.Console;

/// <summary>The console's scratch runs (a preview's replays, the simulator) are no traffic: they make no spans.</summary>
public sealed class ScratchSpanTests
{
    // Stands for the console request's span the scratch runs are started under.
    private const string RequestSource = "SmsHall.Tests.ConsoleRequest";
    private static readonly ActivitySource Request = new(RequestSource);

    [Fact]
    public async Task APreviewAndASimulatedMessageMakeNoSpansWhileAWebhookMessageStillDoes()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is HallTracing.SourceName or RequestSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var site = await ConsoleSite.StartAsync();
        var services = site.Gateway.Services;
        // A sid no other test uses: the listener hears every gateway in this process.
        var sid = "SM" + Guid.NewGuid().ToString("N");
        await site.Gateway.TextAsync("+15550000001", "bal", sid);
        Assert.Single(spans, s => s.OperationName == "message" && Sid(s) == sid);
        site.Gateway.Clock.Advance(TimeSpan.FromMinutes(1));

        var served = services.GetRequiredService<ICatalogueHistory>().Find(1)!.Text;
        await services.GetRequiredService<ICatalogueDrafts>().SaveDraftAsync("editor", served + "\n", 1, site.Gateway.Clock.Now);
        var previewer = services.GetRequiredService<CataloguePreviewer>();
        ActivityTraceId trace;
        using (var request = Request.StartActivity("POST /console/catalogue")!)
        {
            trace = request.TraceId;
            Assert.Null((await previewer.StartAsync("editor", 1, default)).Problem);
            var reply = await services.GetRequiredService<Simulator>().TextAsync(
                "editor", "s1", "+15550000001", "bal", services.GetRequiredService<LiveCatalogue>().Catalogue, default);
            Assert.StartsWith("Your balance is", reply.Reply);
        }
        var waited = Stopwatch.StartNew();
        PreviewRun run;
        while ((run = (await previewer.LatestAsync("editor", default))!).State == PreviewState.Running)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), "the preview never ended");
            await Task.Delay(50);
        }
        Assert.Equal(PreviewState.Done, run.State);
        Assert.Contains("\"messages\":1", run.Result); // the webhook message was replayed, twice

        Assert.Single(spans, s => s.OperationName == "message" && Sid(s) == sid); // still only the webhook's
        Assert.DoesNotContain(spans, s => s.Source.Name == HallTracing.SourceName && s.TraceId == trace);
    }

    private static string? Sid(Activity span) => span.GetTagItem("messaging.message.id") as string;
}
