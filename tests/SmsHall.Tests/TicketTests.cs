using Microsoft.Extensions.DependencyInjection;
using SmsHall.Core.Ports;

namespace SmsHall.Tests;

/// <summary>Complaints and callback requests by SMS open tickets; replies to an operator's answer join them.</summary>
public class TicketTests
{
    private const string Alice = "+15550000001";

    /// <summary>An operator's answer as the console queues it.</summary>
    internal static OutgoingMessage Answer(string to, string text, DateTimeOffset at) =>
        new(to, TestGateway.ShortCode, SmsHall.Core.Channel.Sms, new SmsHall.Core.Replies.RenderedReply("answer", "en", text, SmsHall.Core.Replies.SmsEncoding.Gsm7, 1),
            Purpose.Answer, "ticket", null, at);
    private const string Chen = "+15550000003";

    private static ITickets Tickets(TestGateway gw) => gw.Services.GetRequiredService<ITickets>();

    [Theory]
    [InlineData("complaint: no signal at home since monday", "Thank you: your complaint is ticket T1001. We will answer by SMS within 24 hours.")]
    [InlineData("投诉 网速太慢", "感谢反馈，您的投诉单号为T1001，我们将在24小时内短信答复。")]
    [InlineData("réclamation : pas de réseau depuis lundi", "Merci : votre réclamation porte le numéro T1001. Nous vous répondrons par SMS sous 24 heures.")]
    [InlineData("شکایت دارم اینترنت قطع است", "با سپاس؛ شکایت شما با شماره T1001 ثبت شد و ظرف 24 ساعت با پیامک پاسخ می‌دهیم.")]
    public async Task AComplaintInAnyLanguageOpensATicketTheReplyQuotes(string text, string reply)
    {
        await using var gw = await TestGateway.StartAsync();
        Assert.Equal(reply, await gw.TextAsync(Alice, text));
        var ticket = Assert.Single(await Tickets(gw).ListAsync(TicketStates.Open, 10));
        Assert.Equal(("T1001", Alice, TicketKinds.Feedback, text), (ticket.Reference, ticket.Number, ticket.Kind, ticket.Text));
    }

    [Fact]
    public async Task ABareComplaintAsksWhatItIsAboutAndOpensNothing()
    {
        await using var gw = await TestGateway.StartAsync("--Hall:TicketAnswerHours=48");
        Assert.Equal("Please tell us what is wrong in the same message, e.g. COMPLAINT no signal at home since Monday.", await gw.TextAsync(Alice, "complaint"));
        Assert.Empty(await Tickets(gw).ListAsync(null, 10));
        Assert.Equal("Thank you: your complaint is ticket T1001. We will answer by SMS within 48 hours.", await gw.TextAsync(Alice, "complaint the bill is wrong"));
    }

    [Fact]
    public async Task ACallbackRequestIsQueuedWithTheCareNumberAndARedeliveredMessageOrASecondRequestOpensOneTicket()
    {
        await using var gw = await TestGateway.StartAsync();
        var sid = gw.NextSid();
        var reply = await gw.TextAsync(Chen, "call me back", sid);
        Assert.Equal("Your callback request T1001 is queued: an agent will call you back. To talk now, call 611.", reply);
        Assert.Equal(reply, await gw.TextAsync(Chen, "call me back", sid));
        // Asking again while it waits is the same request, in whatever language.
        Assert.Equal("Votre demande de rappel T1001 est déjà en file : un conseiller vous rappellera. Pour parler tout de suite, appelez le 611.",
            await gw.TextAsync(Chen, "conseiller"));
        Assert.Equal(["T1001"], (await Tickets(gw).ListAsync(null, 10)).Select(t => t.Reference));

        // Once it was dealt with, a new request is a new ticket.
        await Tickets(gw).CloseAsync(1001, gw.Clock.GetUtcNow());
        Assert.StartsWith("Your callback request T", await gw.TextAsync(Chen, "talk to a human"));
        Assert.Equal(2, (await Tickets(gw).ListAsync(null, 10)).Count);
        Assert.All(await Tickets(gw).ListAsync(null, 10), t => Assert.Equal(TicketKinds.Agent, t.Kind));
    }

    [Fact]
    public async Task AReplyWithinTheWindowJoinsTheAnsweredTicketButACommandOrStopDoesNotAndAfterTheWindowItIsReadAsUsual()
    {
        await using var gw = await TestGateway.StartAsync("--Hall:TicketReplyHours=24");
        await gw.TextAsync(Alice, "complaint: no signal at home");
        var tickets = Tickets(gw);
        await tickets.AnswerAsync(1001, "editor", TicketTests.Answer(Alice, "Is it better since the mast was repaired?", gw.Clock.GetUtcNow()));

        gw.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal("Thank you, your message was added to ticket T1001.", await gw.TextAsync(Alice, "no, still nothing in the kitchen"));
        Assert.Equal("Merci, votre message a été ajouté au dossier T1001.", await gw.TextAsync(Alice, "toujours rien dans la cuisine"));
        Assert.Equal((TicketStates.Assigned, "editor"), ((await tickets.FindAsync(1001))!.State, (await tickets.FindAsync(1001))!.AssignedTo)); // back in the queue of who answered
        // Clearly a command: answered as one, not added.
        Assert.StartsWith("Your balance is", await gw.TextAsync(Alice, "BAL"));
        // A typo is not clearly a command: it is added.
        Assert.Equal("Thank you, your message was added to ticket T1001.", await gw.TextAsync(Alice, "blance"));
        Assert.Equal(
            ["complaint: no signal at home", "Is it better since the mast was repaired?", "no, still nothing in the kitchen", "toujours rien dans la cuisine", "blance"],
            (await tickets.MessagesAsync(1001)).Select(m => m.Text));

        Assert.Equal("You have opted out and will get no more replies. Text START to come back.", await gw.TextAsync(Alice, "STOP"));
        Assert.StartsWith("Welcome back", await gw.TextAsync(Alice, "START"));
        Assert.Equal(5, (await tickets.MessagesAsync(1001)).Count);

        gw.Clock.Advance(TimeSpan.FromHours(23));
        Assert.StartsWith("Sorry, we did not understand.", await gw.TextAsync(Alice, "no, still nothing in the kitchen"));
        Assert.Equal(5, (await tickets.MessagesAsync(1001)).Count);
    }

    [Fact]
    public async Task ReplayOpensTicketsOnItsOwnCopyAsTheLiveGatewayDid()
    {
        var folder = Directory.CreateTempSubdirectory("smshall-tickets-").FullName;
        try
        {
            var script = Path.Combine(folder, "tickets.sms");
            await File.WriteAllTextAsync(script,
                """
                # A complaint and a callback request
                @ 2026-11-20 09:00
                +15550000001 > complaint: no signal
                +15550000001 < Thank you: your complaint is ticket T1001. We will answer by SMS within 24 hours.
                +15550000003 > call me back
                +15550000003 < Your callback request T1002 is queued: an agent will call you back. To talk now, call 611.
                """);
            var (exit, stdout, _) = await CliRun.RunAsync([$"--Catalogue:Path={Repo.CommandsMd}", $"--Database:Path={Path.Combine(folder, "live.db")}"], "", "replay", script);
            Assert.True(exit == 0, stdout);
            Assert.Contains("2 same, 0 changed", stdout);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task WithNoReplyWindowAReplyToAnAnswerIsReadAsUsual()
    {
        await using var gw = await TestGateway.StartAsync("--Hall:TicketReplyHours=0");
        await gw.TextAsync(Alice, "complaint: no signal at home");
        await Tickets(gw).AnswerAsync(1001, "editor", TicketTests.Answer(Alice, "Better now?", gw.Clock.GetUtcNow()));
        Assert.StartsWith("Sorry, we did not understand.", await gw.TextAsync(Alice, "no, still nothing"));
    }

    [Fact]
    public async Task AClosedTicketTakesNoReplies()
    {
        await using var gw = await TestGateway.StartAsync();
        await gw.TextAsync(Alice, "talk to a human");
        await Tickets(gw).AnswerAsync(1001, "editor", TicketTests.Answer(Alice, "We called you.", gw.Clock.GetUtcNow()));
        await Tickets(gw).CloseAsync(1001, gw.Clock.GetUtcNow());
        Assert.StartsWith("Sorry, we did not understand.", await gw.TextAsync(Alice, "thanks, but nobody called"));
    }
}
