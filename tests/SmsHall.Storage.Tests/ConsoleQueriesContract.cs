using SmsHall.Core;
using SmsHall.Core.Grammar;
using SmsHall.Core.Ports;
using SmsHall.Core.Replies;
using static SmsHall.Storage.Tests.Messages;

namespace SmsHall.Storage.Tests;

/// <summary>What the operators' console asks of the log, on every provider.</summary>
public abstract partial class StorageContract
{
    /// <summary>A message not understood; with suggestions it was clarified ("did you mean …?").</summary>
    private static HandledMessage NotUnderstood(InboundMessage m, string normalised, params string[] suggestions) =>
        new(m, new Understanding(m.Body, normalised, new Command.Unknown(suggestions), MatchKind.None, null, []),
            [], Reply("Sorry", "unknown"), ReplyStatus.Replied, m.ReceivedAt);

    private static HandledMessage InFrench(HandledMessage h) => h with { Reply = h.Reply! with { Language = "fr" } };

    private static HandledMessage Typo(HandledMessage h) =>
        h with { Understanding = h.Understanding with { Match = MatchKind.Fuzzy, Keyword = "bal", Distance = 1 } };

    [Fact]
    public async Task TheConsoleFindsMessagesByNumberTextCommandOutcomeLanguageAndTimeNewestFirst()
    {
        await A.HandleAsync(Handled(Inbound("SM-1", Alice, "BAL please"), "Your balance"));
        await A.HandleAsync(NotUnderstood(Inbound("SM-2", Alice, "blil 50%", Now.AddMinutes(1)), "blil 50%", "bill"));
        await A.HandleAsync(InFrench(NotUnderstood(Inbound("SM-3", Chen, "quoi", Now.AddMinutes(2)), "quoi")));
        await A.Log.RecordInboundAsync(Inbound("SM-4", Chen, "BAL", Now.AddMinutes(3))); // recorded, never handled

        async Task<string[]> Sids(MessageFilter f, int skip = 0, int take = 10) =>
            (await B.Queries.SearchAsync(f, skip, take)).Select(m => m.Sid).ToArray();

        Assert.Equal(["SM-4", "SM-3", "SM-2", "SM-1"], await Sids(new()));
        Assert.Equal(["SM-2", "SM-1"], await Sids(new(Number: Alice)));
        Assert.Equal(["SM-1"], await Sids(new(Text: "bal p")));
        Assert.Equal(["SM-2"], await Sids(new(Text: "50%")));
        Assert.Empty(await Sids(new(Text: "5_%")));
        Assert.Equal(["SM-3", "SM-2"], await Sids(new(Command: "unknown")));
        Assert.Equal(["SM-1"], await Sids(new(Outcome: LoggedOutcome.Understood)));
        Assert.Equal(["SM-2"], await Sids(new(Outcome: LoggedOutcome.Clarified)));
        Assert.Equal(["SM-3"], await Sids(new(Outcome: LoggedOutcome.NotUnderstood)));
        Assert.Equal(["SM-4"], await Sids(new(Outcome: LoggedOutcome.Unhandled)));
        Assert.Equal(["SM-3"], await Sids(new(Language: "fr")));
        Assert.Equal(["SM-3", "SM-2"], await Sids(new(From: Now.AddMinutes(1), To: Now.AddMinutes(3))));
        Assert.Equal(["SM-4", "SM-3"], await Sids(new(After: Now.AddMinutes(1))));
        Assert.Equal(["SM-2", "SM-1"], await Sids(new(), skip: 2, take: 5));

        var first = (await B.Queries.SearchAsync(new(Number: Alice), 0, 1)).Single();
        Assert.Equal(new LoggedMessage("SM-2", Alice, "blil 50%", Now.AddMinutes(1), LoggedOutcome.Clarified, "unknown", "none", "en", "Sorry", "replied"), first);
    }

    [Fact]
    public async Task ATraceHasTheUnderstandingTheReplyTwiliosCallbacksAndTheConversationAround()
    {
        for (var i = 0; i < 6; i++)
            await A.HandleAsync(Handled(Inbound($"SM-{i}", Alice, $"BAL {i}", Now.AddMinutes(i), ReplyBy.Outbox), $"Balance {i}"));
        await A.HandleAsync(Typo(Handled(Inbound("SM-CHEN", Chen, "bla", Now.AddMinutes(3)), "Balance")));
        var item = (await A.Outbox.ClaimAsync("a", Now.AddMinutes(10), TimeSpan.FromMinutes(2), 10)).First();
        await A.Outbox.SentAsync(item.Id, "SMTW1", "queued", Now);
        await B.Outbox.RecordStatusAsync("SMTW1", "sent", null, Now.AddSeconds(1));
        await B.Outbox.RecordStatusAsync("SMTW1", "undelivered", 30003, Now.AddSeconds(2));

        var trace = (await B.Queries.TraceAsync("SM-0", around: 2))!;
        Assert.Equal(("BAL 0", "bal 0", "balance", "exact"), (trace.Inbound.Body, trace.Inbound.Normalised, trace.Inbound.Command, trace.Inbound.Match));
        Assert.Equal(("Balance 0", "undelivered", "gsm7", 1L), (trace.Reply!.Body, trace.Reply.Status, trace.Reply.Encoding, trace.Reply.Segments));
        Assert.Equal([new DeliveryEvent("sent", null, Now.AddSeconds(1)), new DeliveryEvent("undelivered", 30003, Now.AddSeconds(2))], trace.Events);
        Assert.Equal(["SM-0", "SM-1", "SM-2"], trace.Conversation.Select(m => m.Sid));

        var middle = (await B.Queries.TraceAsync("SM-3", around: 2))!;
        Assert.Equal(["SM-1", "SM-2", "SM-3", "SM-4", "SM-5"], middle.Conversation.Select(m => m.Sid));
        Assert.Empty(middle.Events);

        var typo = (await B.Queries.TraceAsync("SM-CHEN", around: 2))!;
        Assert.Equal(("fuzzy", "bal", 1L), (typo.Inbound.Match, typo.Inbound.Keyword, typo.Inbound.Distance));
        Assert.Equal(["SM-CHEN"], typo.Conversation.Select(m => m.Sid));
        Assert.Null(await B.Queries.TraceAsync("SM-404", 2));
    }

    [Fact]
    public async Task TheSummaryCountsAWindowByOutcomeLanguageCommandTimeAndHandlingTime()
    {
        await A.HandleAsync(Handled(Inbound("SM-OLD", Alice, "BAL", Now.AddHours(-2)), "Balance")); // before the window
        await A.HandleAsync(Handled(Inbound("SM-1", Alice, "BAL", Now.AddMinutes(1)), "Balance") with { HandledAt = Now.AddMinutes(1).AddMilliseconds(12) });
        await A.HandleAsync(Typo(Handled(Inbound("SM-2", Chen, "bla", Now.AddMinutes(7)), "Balance")) with { HandledAt = Now.AddMinutes(7).AddMilliseconds(30) });
        await A.HandleAsync(InFrench(NotUnderstood(Inbound("SM-3", Chen, "quoi", Now.AddMinutes(58)), "quoi")));
        await A.HandleAsync(NotUnderstood(Inbound("SM-4", Bob, "blil", Now.AddMinutes(59)), "blil", "bill"));
        await A.Log.RecordInboundAsync(Inbound("SM-5", Bob, "BAL", Now.AddMinutes(59)));

        var hour = await B.Queries.SummaryAsync(Now, Now.AddHours(1), TimeSpan.FromMinutes(5));
        Assert.Equal(5, hour.Total);
        Assert.Equal((2L, 1L, 1L, 1L), (hour.Outcome(LoggedOutcome.Understood), hour.Outcome(LoggedOutcome.Clarified),
            hour.Outcome(LoggedOutcome.NotUnderstood), hour.Outcome(LoggedOutcome.Unhandled)));
        Assert.Equal(1, hour.Typo);
        Assert.Equal([new NamedCount("en", 3), new NamedCount("fr", 1), new NamedCount("—", 1)], hour.ByLanguage);
        Assert.Equal([new NamedCount("balance", 2), new NamedCount("unknown", 2), new NamedCount("—", 1)], hour.ByCommand);
        Assert.Equal([1L, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 + 1], hour.PerBucket);
        Assert.Equal([new NamedCount("replied", 4)], hour.ReplyStatuses);

        var empty = await B.Queries.SummaryAsync(Now.AddDays(1), Now.AddDays(2), TimeSpan.FromHours(1));
        Assert.Equal((0L, 24), (empty.Total, empty.PerBucket.Count));
    }

    [Fact]
    public async Task NotUnderstoodMessagesComeWithTheirLanguagesAndClosestCommands()
    {
        await A.HandleAsync(NotUnderstood(Inbound("SM-1", Alice, "Blil", Now), "blil", "bill", "bal"));
        await A.HandleAsync(InFrench(NotUnderstood(Inbound("SM-2", Chen, "blil!", Now.AddMinutes(1)), "blil", "bill", "bal")));
        await A.HandleAsync(NotUnderstood(Inbound("SM-3", Chen, "zzz", Now.AddMinutes(2)), "zzz"));

        var top = await B.Queries.UnmatchedAsync(Now, 10);
        Assert.Equal(["blil", "zzz"], top.Select(u => u.Normalised));
        Assert.Equal((2L, "Blil"), (top[0].Count, top[0].Example));
        Assert.Equal(["en", "fr"], top[0].Languages);
        Assert.Equal(["bill", "bal"], top[0].Suggestions);
        Assert.Empty(top[1].Suggestions);
    }

    [Fact]
    public async Task TheDeliveryReportHasTheOutboxFailuresByErrorCodeAndOptedOutNumbers()
    {
        await A.HandleAsync(Handled(Inbound("SM-1", Alice, by: ReplyBy.Outbox), "one"));
        await A.HandleAsync(Handled(Inbound("SM-2", Chen, by: ReplyBy.Outbox), "two"));
        await A.HandleAsync(Handled(Inbound("SM-3", Bob, by: ReplyBy.Outbox), "three"));
        var items = await A.Outbox.ClaimAsync("a", Now, TimeSpan.FromMinutes(2), 10);
        await A.Outbox.GiveUpAsync(items.Single(i => i.To == Alice).Id, OutboundStatus.Failed, 21610, "unsubscribed", optOut: true, Now);
        await A.Outbox.SentAsync(items.Single(i => i.To == Chen).Id, "SMTW2", "queued", Now);
        await A.Outbox.RecordStatusAsync("SMTW2", "undelivered", 30003, Now.AddMinutes(1));

        var report = await B.Queries.DeliveryAsync(Now.AddHours(-1), 10);
        var pending = Assert.Single(report.Pending);
        Assert.Equal(("SM-3", Bob, "three", "sending"), (pending.InboundSid, pending.To, pending.Body, pending.State));
        Assert.Equal(["SM-2", "SM-1"], report.Failed.Select(f => f.InboundSid));
        Assert.Equal([21610L, 30003L], report.Errors.Select(e => e.Code).Order());
        Assert.Equal([Alice], report.OptedOut);
        Assert.Equal(1, report.OptedOutCount);
        Assert.Empty((await B.Queries.DeliveryAsync(Now.AddMinutes(1), 10)).Failed); // their messages came before
    }

    [Fact]
    public async Task EachNodeReportsTheCatalogueVersionItServes()
    {
        await A.Nodes.ReportAsync(new NodeReport("node-a", 3, Now));
        await B.Nodes.ReportAsync(new NodeReport("node-b", 2, Now.AddSeconds(5), new HandlingTime(120, 1.5, 9.3), new HandlingTime(2400, 1.2, 12.5)));
        await A.Nodes.ReportAsync(new NodeReport("node-a", 4, Now.AddSeconds(10)));
        await B.Nodes.ReportAsync(new NodeReport("node-old", null, Now.AddMinutes(-5)));

        Assert.Equal([new NodeSeen("node-a", 4, Now.AddSeconds(10)), new NodeSeen("node-b", 2, Now.AddSeconds(5), new HandlingTime(120, 1.5, 9.3), new HandlingTime(2400, 1.2, 12.5))],
            await B.Nodes.SeenSinceAsync(Now.AddMinutes(-1)));
        Assert.Equal(3, (await A.Nodes.SeenSinceAsync(Now.AddHours(-1))).Count);
    }
}
