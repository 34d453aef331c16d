using System.Diagnostics;
using Microsoft.Extensions.Options;
using SmsHall.Core;
using SmsHall.Core.Diagnostics;
using SmsHall.Core.Ports;
using SmsHall.Outbox;
using SmsHall.Storage;

namespace SmsHall.Twilio;

/// <summary>The webhooks Twilio calls: every inbound SMS, and the delivery status of every REST reply.</summary>
public static class TwilioApi
{
    public static RouteGroupBuilder MapTwilio(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/twilio");
        group.AddEndpointFilter<TwilioSignatureFilter>();
        group.MapPost("/sms", ReceiveSms);
        group.MapPost("/status", ReceiveStatus);
        return group;
    }

    private static async Task<IResult> ReceiveSms(
        HttpContext http, MessageHall hall, OutboxSignal outbox, StorageHealth storage, TimeProvider clock,
        IOptions<TwilioOptions> options, IOptions<DatabaseOptions> database, MessageReport report, ILogger<MessageHall> log, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var form = await http.Request.ReadFormAsync(ct); // already read and checked by the signature filter
        var (sms, problem) = InboundSms.FromForm(form);
        if (sms is null) return Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest);
        if (OtherAccount(sms.AccountSid, options.Value) is { } forbidden) return forbidden;

        try
        {
            var rest = options.Value.ReplyMode == ReplyMode.Rest;
            var message = new InboundMessage(
                sms.MessageSid, sms.From, sms.To, sms.Body, clock.GetUtcNow(), rest ? ReplyBy.Outbox : ReplyBy.Answer, sms.Channel, sms.Media);
            var answer = await hall.HandleAsync(message, ct);
            report.Answered(sms.MessageSid, sms.From, answer, rest, started);
            if (!rest) return TwimlAnswer.Result(answer.Text);

            // The reply is committed in the outbox: Twilio hears "nothing more to do" at once.
            outbox.Notify();
            return TwimlAnswer.Result(null);
        }
        catch (SidConflictException)
        {
            // Not a redelivery: answering it would hand one number's reply to another.
            log.LogWarning("Refused message {Sid} from {Number}: that sid is already recorded with another From or To",
                sms.MessageSid, PhoneMask.Mask(sms.From));
            return Results.Problem("This MessageSid is already recorded with another From or To", statusCode: StatusCodes.Status409Conflict);
        }
        catch (StorageUnavailableException e)
        {
            // Not handled, perhaps not even recorded, so not "delivered": Twilio hears a failure it logs
            // (and retries where set up to), and a load balancer can give the message to another node.
            // An apology with a 200 would tell Twilio that a message nobody will handle was taken.
            storage.Refused(sms.MessageSid, e);
            report.NotAnswered(MessageOutcome.Refused, started);
            http.Response.Headers.RetryAfter = database.Value.ProbeSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Problem("The message could not be recorded: the database cannot be written", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // The message stays in the log as received, not handled; the subscriber is told to try again
            // rather than hearing nothing (Twilio does not redeliver after an error).
            log.LogError(e, "Could not handle message {Sid}", sms.MessageSid);
            report.NotAnswered(MessageOutcome.Failed, started);
            return TwimlAnswer.Result(hall.Apology());
        }
    }

    /// <summary>Twilio's status callback for a REST reply: queued, sent, delivered, undelivered or failed, with an error code.</summary>
    private static async Task<IResult> ReceiveStatus(
        HttpContext http, IOutbox outbox, TimeProvider clock, IOptions<TwilioOptions> options, HallMetrics metrics, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var (status, problem) = StatusCallback.FromForm(form);
        if (status is null) return Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest);
        if (OtherAccount(status.AccountSid, options.Value) is { } forbidden) return forbidden;
        await outbox.RecordStatusAsync(status.MessageSid, status.Status, status.ErrorCode, clock.GetUtcNow(), ct);
        metrics.Reply(status.Status);
        return Results.NoContent();
    }

    // A correctly signed request for another account is someone else's traffic.
    private static IResult? OtherAccount(string accountSid, TwilioOptions options) =>
        options.AccountSid.Length > 0 && accountSid != options.AccountSid
            ? Results.Problem("AccountSid is not this gateway's account", statusCode: StatusCodes.Status403Forbidden)
            : null;
}

/// <summary>
/// Lets through only requests that carry Twilio's signature for this gateway's auth token. The
/// form is read here, once; a body that is not a well-formed form gets 400 or 415 before anything else.
/// </summary>
public sealed class TwilioSignatureFilter(IOptions<TwilioOptions> options, WebhookSignature signatures, RefusedRequests refused) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        if (!request.HasFormContentType)
            return Results.Problem("Twilio webhooks are application/x-www-form-urlencoded", statusCode: StatusCodes.Status415UnsupportedMediaType);

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(context.HttpContext.RequestAborted);
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel says which: 413 for a body over the limit, 400 for a malformed one.
            return Results.Problem($"The form could not be read: {e.Message}", statusCode: e.StatusCode);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return Results.Problem($"The form could not be read: {e.Message}", statusCode: StatusCodes.Status400BadRequest);
        }

        var twilio = options.Value;
        if (!twilio.ValidateSignature) return await next(context);

        var url = PublicUrl(request, twilio.PublicBaseUrl);
        var signature = request.Headers["X-Twilio-Signature"].ToString();
        if (signatures.IsValid(url, form, signature)) return await next(context);

        refused.Refused(PublicPath(request, twilio.PublicBaseUrl),
            signature.Length == 0 ? "no X-Twilio-Signature header" : "the signature does not match");
        return Results.StatusCode(StatusCodes.Status403Forbidden);
    }

    /// <summary>The URL Twilio called: the configured public base (behind a proxy) or what this request shows.</summary>
    public static string PublicUrl(HttpRequest request, string publicBaseUrl) =>
        PublicPath(request, publicBaseUrl) + request.QueryString;

    /// <summary>That URL without its query string (the path comes escaped, so it holds no control characters).</summary>
    public static string PublicPath(HttpRequest request, string publicBaseUrl) =>
        string.IsNullOrEmpty(publicBaseUrl)
            ? $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}"
            : $"{publicBaseUrl.TrimEnd('/')}{request.PathBase}{request.Path}";
}
