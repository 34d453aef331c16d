using Microsoft.Extensions.DependencyInjection;
using SmsHall.Core.Ports;

namespace SmsHall.Tests;

/// <summary><c>smshall tickets list|show</c>: the queue for those without the console.</summary>
public sealed class TicketsCommandTests
{
    private const string Alice = "+15550000001";
    private const string Chen = "+15550000003";

    private static Task<(int Exit, string Out, string Err)> Smshall(TestGateway gw, params string[] args) =>
        CliRun.RunAsync([$"--Database:Path={gw.DatabasePath}", $"--Catalogue:Path={Repo.CommandsMd}"], "", args);

    [Fact]
    public async Task ListsTheQueueByStateAndShowsATicketWithItsMessages()
    {
        await using var gw = await TestGateway.StartAsync();
        Assert.Equal((0, "no tickets\n", ""), await Smshall(gw, "tickets", "list"));

        await gw.TextAsync(Alice, "complaint: no signal\tat home");
        gw.Clock.Advance(TimeSpan.FromMinutes(5));
        await gw.TextAsync(Chen, "call me back");
        var tickets = gw.Services.GetRequiredService<ITickets>();
        await tickets.AnswerAsync(1001, "editor", TicketTests.Answer(Alice, "The mast is repaired.", gw.Clock.GetUtcNow()));

        Assert.Equal((0,
            "T1002\tagent\topen\t+15550000003\t-\t2026-11-22 10:05\tcall me back\n" +
            "T1001\tfeedback\tanswered\t+15550000001\teditor\t2026-11-22 10:05\tcomplaint: no signal at home\n", ""),
            await Smshall(gw, "tickets", "list"));
        Assert.Equal((0, "T1002\tagent\topen\t+15550000003\t-\t2026-11-22 10:05\tcall me back\n", ""), await Smshall(gw, "tickets", "list", "--state", "open"));
        Assert.Equal((0, "no closed tickets\n", ""), await Smshall(gw, "tickets", "list", "--state", "closed"));

        var (exit, stdout, stderr) = await Smshall(gw, "tickets", "show", "t1001");
        Assert.Equal((0, ""), (exit, stderr));
        Assert.Equal(
            [
                "T1001 feedback, answered, assigned to editor",
                $"from {Alice}, opened 2026-11-22 10:00 UTC in en by message {(await tickets.FindAsync(1001))!.OpenedBySid}",
                "2026-11-22 10:00  subscriber: complaint: no signal at home",
                "2026-11-22 10:05  editor answered: The mast is repaired.",
            ],
            stdout.TrimEnd('\n').Split('\n'));
    }

    [Theory]
    [InlineData("tickets list --state lost", "error: --state must be one of open, assigned, answered, closed, not 'lost'\n")]
    [InlineData("tickets show T9999", "error: there is no ticket T9999\n")]
    [InlineData("tickets show nonsense", "error: 'nonsense' is no ticket reference (they read T1042)\n")]
    public async Task ABadStateOrReferenceIsOneClearLineAndANonZeroExit(string args, string error)
    {
        await using var gw = await TestGateway.StartAsync();
        var (exit, stdout, stderr) = await Smshall(gw, args.Split(' '));
        Assert.Equal((2, "", error), (exit, stdout, stderr));
    }
}
