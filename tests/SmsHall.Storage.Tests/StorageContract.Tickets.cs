using SmsHall.Core;
using SmsHall.Core.Accounts;
using SmsHall.Core.Ports;
using static SmsHall.Storage.Tests.Messages;

namespace SmsHall.Storage.Tests;

/// <summary>Tickets: opened with their message, numbered across nodes, worked by operators, joined by replies.</summary>
public abstract partial class StorageContract
{
    private async Task<long> OpenAsync(Node node, string sid, string from, string text, string kind = TicketKinds.Feedback, DateTimeOffset? at = null)
    {
        var id = await node.Accounts.ReserveTicketAsync();
        await node.HandleAsync(Handled(Inbound(sid, from, text, at), $"ticket {Tickets.Reference(id)}",
            [new AccountChange.OpenTicket(id, kind, text, "en")], command: kind));
        return id;
    }

    [Fact]
    public async Task TicketNumbersReservedOnTwoNodesAtOnceAreAllDifferentAndStartAt1001()
    {
        var first = await A.Accounts.ReserveTicketAsync();
        Assert.Equal(1001, first);
        var ids = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => (i % 2 == 0 ? A : B).Accounts.ReserveTicketAsync())));
        Assert.Equal(20, ids.Distinct().Count());
        Assert.All(ids, id => Assert.True(id > first));
    }

    [Fact]
    public async Task AMessageOpensItsTicketWithItselfAsTheFirstEntryAndARedeliveryOpensNoOther()
    {
        var id = await OpenAsync(A, "SM-T1", Alice, "complaint: no signal at home");
        // The same message committed again on the other node (a redelivery racing the first), with another number reserved.
        var again = await B.Accounts.ReserveTicketAsync();
        await B.Log.CommitAsync(Handled(Inbound("SM-T1", Alice, "complaint: no signal at home"), "ticket",
            [new AccountChange.OpenTicket(again, TicketKinds.Feedback, "complaint: no signal at home", "en")], command: "feedback"));

        var ticket = Assert.Single(await B.Tickets.ListAsync(null, 10));
        Assert.Equal((id, "T" + id, Alice, TicketKinds.Feedback, TicketStates.Open, "SM-T1"),
            (ticket.Id, ticket.Reference, ticket.Number, ticket.Kind, ticket.State, ticket.OpenedBySid));
        Assert.Equal(Now, ticket.CreatedAt);
        var message = Assert.Single(await A.Tickets.MessagesAsync(id));
        Assert.Equal((false, null, "complaint: no signal at home", "SM-T1"), (message.Outgoing, message.Author, message.Text, message.Sid));
    }

    [Fact]
    public async Task AnOperatorAssignsAnswersAndClosesATicketAndOnlyOpenOnesCanBeAssigned()
    {
        var id = await OpenAsync(A, "SM-T2", Alice, "call me back", TicketKinds.Agent);
        Assert.True(await B.Tickets.AssignAsync(id, "editor", Now.AddMinutes(1)));
        Assert.Equal((TicketStates.Assigned, "editor"), await StateOf(A, id));

        Assert.Equal(QueueResult.Queued, await B.Tickets.AnswerAsync(id, "editor", TicketAnswer(Alice, "We will call you at 3pm.", Now.AddMinutes(2))));
        var answered = (await A.Tickets.FindAsync(id))!;
        Assert.Equal((TicketStates.Answered, Now.AddMinutes(2)), (answered.State, answered.AnsweredAt));
        Assert.False(await A.Tickets.AssignAsync(id, "other", Now.AddMinutes(3)));
        var answer = (await A.Tickets.MessagesAsync(id))[^1];
        Assert.Equal((true, "editor", "We will call you at 3pm."), (answer.Outgoing, answer.Author, answer.Text));

        Assert.True(await A.Tickets.CloseAsync(id, Now.AddMinutes(4)));
        Assert.False(await B.Tickets.CloseAsync(id, Now.AddMinutes(5)));
        Assert.Null(await B.Tickets.AnswerAsync(id, "editor", TicketAnswer(Alice, "late", Now.AddMinutes(6))));
        Assert.False(await B.Tickets.AssignAsync(999_999, "editor", Now));
        Assert.Null(await B.Tickets.FindAsync(999_999));
        Assert.Equal(new Dictionary<string, long> { [TicketStates.Closed] = 1 }, await A.Tickets.CountsAsync());
    }

    private static OutgoingMessage TicketAnswer(string to, string text, DateTimeOffset at) =>
        new(to, ShortCode, Channel.Sms, Reply(text, "answer"), Purpose.Answer, "ticket", null, at);

    [Fact]
    public async Task AnAnswerThatCannotGoLeavesTheTicketAsItWasAndOneThatGoesIsInTheOutboxAndTheTicketTogether()
    {
        var id = await OpenAsync(A, "SM-T5", Chen, "complaint: slow data");
        await A.HandleAsync(Handled(Inbound("SM-T6", Chen, "STOP", Now.AddMinutes(1)), "bye", [new AccountChange.SetOptedOut(true)]));
        Assert.Equal(QueueResult.OptedOut, await B.Tickets.AnswerAsync(id, "editor", TicketAnswer(Chen, "Fixed?", Now.AddMinutes(2))));
        Assert.Equal((TicketStates.Open, null), await StateOf(A, id));
        Assert.Single(await A.Tickets.MessagesAsync(id)); // the complaint only
        Assert.Equal(0, (await A.Outbox.StatsAsync(Now.AddMinutes(2))).Pending);

        await A.HandleAsync(Handled(Inbound("SM-T7", Chen, "START", Now.AddMinutes(3)), "welcome back", [new AccountChange.SetOptedOut(false)]));
        Assert.Equal(QueueResult.Queued, await B.Tickets.AnswerAsync(id, "editor", TicketAnswer(Chen, "Fixed?", Now.AddMinutes(4))));
        Assert.Equal(TicketStates.Answered, (await StateOf(A, id)).Item1);
        Assert.Equal("Fixed?", Assert.Single(await A.Outbox.ClaimAsync("a", Now.AddMinutes(4), TimeSpan.FromMinutes(1), 10)).Body);
    }

    [Fact]
    public async Task AReplyAfterAnAnswerFindsItsTicketWithinTheWindowAndJoinsIt()
    {
        var id = await OpenAsync(A, "SM-T3", Chen, "complaint: slow data");
        Assert.Null(await A.Accounts.AnsweredTicketAsync(Chen, Now.AddDays(-1))); // not answered yet
        await A.Tickets.AssignAsync(id, "editor", Now.AddMinutes(1));
        await A.Tickets.AnswerAsync(id, "editor", TicketAnswer(Chen, "Fixed?", Now.AddMinutes(2)));

        Assert.Equal(id, await B.Accounts.AnsweredTicketAsync(Chen, Now));
        Assert.Null(await B.Accounts.AnsweredTicketAsync(Chen, Now.AddMinutes(3))); // answered before the window began
        Assert.Null(await B.Accounts.AnsweredTicketAsync(Alice, Now));

        await B.HandleAsync(Handled(Inbound("SM-T4", Chen, "still slow", Now.AddMinutes(5)), "added", [new AccountChange.JoinTicket(id)], command: "ticket"));
        Assert.Equal((TicketStates.Assigned, "editor"), await StateOf(A, id)); // back in its operator's queue
        Assert.Equal(["complaint: slow data", "Fixed?", "still slow"], (await A.Tickets.MessagesAsync(id)).Select(m => m.Text));

        await A.Tickets.CloseAsync(id, Now.AddMinutes(6));
        Assert.Null(await B.Accounts.AnsweredTicketAsync(Chen, Now));
    }

    [Fact]
    public async Task TheQueueListsByStateWithWaitingTicketsOldestFirstAndANumbersMessagesWithWhyTheyWent()
    {
        var older = await OpenAsync(A, "SM-T5", Alice, "complaint one", at: Now);
        var newer = await OpenAsync(B, "SM-T6", Chen, "complaint two", at: Now.AddMinutes(1));
        var done = await OpenAsync(A, "SM-T7", Alice, "complaint three", at: Now.AddMinutes(2));
        await A.Tickets.CloseAsync(done, Now.AddMinutes(3));

        Assert.Equal([older, newer, done], (await B.Tickets.ListAsync(null, 10)).Select(t => t.Id));
        Assert.Equal([older, newer], (await B.Tickets.ListAsync(TicketStates.Open, 10)).Select(t => t.Id));
        Assert.Equal([done], (await B.Tickets.ListAsync(TicketStates.Closed, 10)).Select(t => t.Id));
        Assert.Equal(new Dictionary<string, long> { [TicketStates.Open] = 2, [TicketStates.Closed] = 1 }, await B.Tickets.CountsAsync());

        await A.Outgoing.QueueAsync(new OutgoingMessage(Alice, ShortCode, SmsHall.Core.Channel.Sms, Reply("We are on it", "answer"), Purpose.Answer,
            $"ticket {Tickets.Reference(older)}", null, Now.AddMinutes(4)), new DailyCap(3, Now.Date, Now.Date.AddDays(1)));
        var recent = await B.Tickets.RecentAsync(Alice, 3);
        Assert.Equal(
            [(true, "We are on it", "answer", $"ticket T{older}"), (true, $"ticket T{done}", "reply", null), (false, "complaint three", null, null)],
            recent.Select(m => (m.Outgoing, m.Text, m.Purpose, m.Reason)));
        Assert.Equal("feedback", recent[2].Command);
    }

    private static async Task<(string, string?)> StateOf(Node node, long id) =>
        (await node.Tickets.FindAsync(id)) is { } t ? (t.State, t.AssignedTo) : throw new InvalidOperationException($"no ticket {id}");
}
