using System.CommandLine;
using System.Globalization;
using SmsHall.Core.Ports;

namespace SmsHall.Cli;

/// <summary>
/// <c>smshall tickets list [--state S]</c> and <c>smshall tickets show REF</c>: the ticket queue for
/// those without the console, one ticket a line, or one ticket with its messages.
/// </summary>
public static class TicketsCommand
{
    private const int Most = 1000;

    public static Command Create(CliConsole console)
    {
        var state = new Option<string?>("--state") { Description = $"Only tickets in this state: {string.Join(", ", TicketStates.All)}" };
        var list = new Command("list", "List tickets, those waiting (open, assigned) first and oldest first: reference, kind, state, number, assigned to, last change, text.") { state };
        list.SetAction(async (result, ct) =>
        {
            var only = result.GetValue(state);
            if (only is not null && !TicketStates.All.Contains(only))
                throw new UsageException($"--state must be one of {string.Join(", ", TicketStates.All)}, not '{only}'");
            using var services = Settings.Services(console.Settings);
            services.GetRequiredService<IStorageAdmin>().Migrate();
            var tickets = await services.GetRequiredService<ITickets>().ListAsync(only, Most, ct);
            if (tickets.Count == 0) console.Out.WriteLine(only is null ? "no tickets" : $"no {only} tickets");
            foreach (var t in tickets)
                console.Out.WriteLine($"{t.Reference}\t{t.Kind}\t{t.State}\t{t.Number}\t{t.AssignedTo ?? "-"}\t{Time(t.UpdatedAt)}\t{OneLine(t.Text)}");
            return 0;
        });

        var reference = new Argument<string>("reference") { Description = "The ticket, as the subscriber was told it (T1042)" };
        var show = new Command("show", "Show a ticket and its messages, the subscriber's and the answers.") { reference };
        show.SetAction(async (result, ct) =>
        {
            var text = result.GetValue(reference)!;
            if (Tickets.Parse(text) is not { } id) throw new UsageException($"'{text}' is no ticket reference (they read T1042)");
            using var services = Settings.Services(console.Settings);
            services.GetRequiredService<IStorageAdmin>().Migrate();
            var tickets = services.GetRequiredService<ITickets>();
            var t = await tickets.FindAsync(id, ct) ?? throw new UsageException($"there is no ticket {Tickets.Reference(id)}");
            console.Out.WriteLine($"{t.Reference} {t.Kind}, {t.State}{(t.AssignedTo is null ? "" : $", assigned to {t.AssignedTo}")}");
            console.Out.WriteLine($"from {t.Number}, opened {Time(t.CreatedAt)} UTC in {t.Language} by message {t.OpenedBySid}");
            foreach (var m in await tickets.MessagesAsync(t.Id, ct))
                console.Out.WriteLine($"{Time(m.At)}  {(m.Outgoing ? $"{m.Author} answered" : "subscriber")}: {OneLine(m.Text)}");
            return 0;
        });
        return new Command("tickets", "The ticket queue (complaints and callback requests): list and show.") { list, show };
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    // A line per ticket or message, whatever the subscriber typed.
    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Replace('\t', ' ');
}
