using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using SmsHall.Twilio;
using Twilio.Security;

namespace SmsHall.Bench;

/// <summary>
/// What the webhook is measured against: the same Kestrel and form limits, the same signature check
/// (SmsHall's filter over the Twilio SDK's validator) and form model, then a constant TwiML. No grammar, no database.
/// </summary>
public static class BareEndpoint
{
    private static readonly string Constant = TwimlAnswer.Xml("Your balance is $12.50, valid until 2026-12-22. Plan SILVER.");

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 64 * 1024);
        builder.Services.Configure<FormOptions>(f =>
        {
            f.ValueCountLimit = 256;
            f.KeyLengthLimit = 256;
            f.ValueLengthLimit = 16 * 1024;
        });
        builder.Services.AddOptions<TwilioOptions>().Bind(builder.Configuration.GetSection("Twilio"));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<RefusedRequests>();
        builder.Services.AddSingleton(sp => new WebhookSignature(
            new RequestValidator(sp.GetRequiredService<IOptions<TwilioOptions>>().Value.AuthToken)));
        var app = builder.Build();
        app.MapGet("/health", () => Results.Ok(new { status = "ok" }));
        app.MapPost("/twilio/sms", async (HttpContext http) =>
        {
            var (sms, problem) = InboundSms.FromForm(await http.Request.ReadFormAsync());
            return sms is null
                ? Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest)
                : Results.Text(Constant, TwimlAnswer.ContentType);
        }).AddEndpointFilter<TwilioSignatureFilter>();
        await app.RunAsync();
        return 0;
    }
}
