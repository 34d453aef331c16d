using System.CommandLine;
using SmsHall.Core;
using SmsHall.Core.Catalogue;
using SmsHall.Core.Ports;

namespace SmsHall.Cli;

/// <summary>The message tester: one message through the same pipeline, database and log as the webhook.</summary>
public static class TextCommand
{
    public static Command Create(CliConsole console)
    {
        var from = new Argument<string>("from") { Description = "The sender's number, e.g. +15550000001 (whatsapp:+15550000001 for WhatsApp)" };
        var body = new Argument<string[]>("body") { Description = "The message text", Arity = ArgumentArity.OneOrMore };
        var to = new Option<string>("--to") { Description = "The short code the message is sent to", DefaultValueFactory = _ => "SMSHALL" };
        var command = new Command("text", "Send one message through the gateway's pipeline and print the reply.")
        {
            from, body, to,
        };
        command.SetAction(async (result, ct) =>
        {
            using var services = Settings.Services(console.Settings);
            var db = services.GetRequiredService<IStorageAdmin>();
            if (!db.Exists())
                throw new IOException($"{Cli.DatabaseSetting(db)}: there is no database at {db.Location}; create one with 'smshall db migrate', or one with demo subscribers with 'smshall db seed'");
            Gateway.PrepareDatabase(services);
            if (services.GetRequiredService<ISeeding>().IsEmpty())
                throw new IOException($"the database at {db.Location} has no subscribers yet; add the demo ones with 'smshall db seed'");
            Cli.WarnIfDegraded(console, services.GetRequiredService<LiveCatalogue>(), services.GetRequiredService<CatalogueSource>().Path);
            var hall = services.GetRequiredService<MessageHall>();
            var clock = services.GetRequiredService<TimeProvider>();
            // "whatsapp:+1555…" tries a message as it comes from WhatsApp, the way Twilio writes it.
            var (channel, number) = Twilio.TwilioAddress.Read(result.GetValue(from)!.Trim());
            var message = new InboundMessage(
                "CLI" + Guid.NewGuid().ToString("N"),
                number,
                result.GetValue(to)!,
                Twilio.Form.Clean(string.Join(' ', result.GetValue(body)!)), // what a stored body may hold, as at the webhook
                clock.GetUtcNow(),
                Channel: channel);
            var answer = await hall.HandleAsync(message, ct);
            if (answer.Text is not null) console.Out.WriteLine(answer.Text);
            else if (answer.Status == ReplyStatus.Limited) console.Error.WriteLine("(no reply: the number is over the rate limit and has had its notice)");
            else console.Error.WriteLine("(no reply: the number has opted out)");
            return 0;
        });
        return command;
    }
}
