using System.CommandLine;
using Microsoft.Extensions.Options;
using SmsHall.Twilio;

namespace SmsHall.Cli;

public static class ServeCommand
{
    public static Command Create(CliConsole console)
    {
        var demo = new Option<bool>("--demo") { Description = "Add the demo plans, subscribers and vouchers first (never in production)" };
        var command = new Command("serve", $"Run the gateway (default {Gateway.DefaultUrl}; --urls to change).") { demo };
        command.SetAction(async (result, ct) =>
        {
            var app = Gateway.Build([.. console.Settings]);
            Gateway.Prepare(app.Services, result.GetValue(demo));
            if (!app.Services.GetRequiredService<IOptions<TwilioOptions>>().Value.ValidateSignature)
                console.Error.WriteLine("warning: Twilio:ValidateSignature is false: anyone who can reach this gateway can send it messages as any number.");
            return await Gateway.ServeAsync(app, ct);
        });
        return command;
    }
}
