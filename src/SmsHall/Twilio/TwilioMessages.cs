using System.Net;
using System.Runtime.ExceptionServices;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Http;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;

namespace SmsHall.Twilio;

/// <summary>A reply to send through the Messages API.</summary>
/// <param name="ValidityPeriod">How long Twilio may keep it queued before dropping it (its ValidityPeriod, whole seconds); null: Twilio's default.</param>
public sealed record OutgoingSms(string To, string From, string Body, TimeSpan? ValidityPeriod = null);

/// <summary>What one call to the Messages API came to.</summary>
public abstract record SendResult
{
    /// <summary>Twilio took the message: it has a sid and will report its progress.</summary>
    public sealed record Accepted(string Sid, string Status) : SendResult;

    /// <summary>Twilio refused it for good (a 4xx other than 429), with its error code.</summary>
    public sealed record Rejected(int? Code, string Message) : SendResult;

    /// <summary>Twilio could not take it now (429, 5xx): worth trying again, after Retry-After if it gave one.</summary>
    public sealed record Busy(int HttpStatus, int? Code, string Message, TimeSpan? RetryAfter) : SendResult;
}

/// <summary>
/// Twilio's Messages API through the Twilio SDK: create a message, and find one already created.
/// One HTTP call a method; retries belong to the caller. The SDK's requests go out on the
/// <see cref="HttpClientName"/> client of IHttpClientFactory, which sends them to Twilio:ApiBaseUrl.
/// </summary>
public sealed class TwilioMessages(IHttpClientFactory http, TwilioOptions options, TimeProvider clock)
{
    public const string HttpClientName = "twilio";

    /// <summary>Twilio takes a ValidityPeriod from 1 s to 10 hours and refuses the message outside that.</summary>
    public static readonly TimeSpan MaxValidityPeriod = TimeSpan.FromSeconds(36_000);

    /// <summary>Creates the message. Network failures are thrown as HttpClient threw them.</summary>
    public async Task<SendResult> SendAsync(OutgoingSms sms, CancellationToken ct)
    {
        var create = new CreateMessageOptions(new PhoneNumber(sms.To)) { Body = sms.Body };
        // A WhatsApp reply comes from a WhatsApp sender, never from the SMS number or service.
        if (TwilioAddress.IsWhatsApp(sms.To)) create.From = new PhoneNumber(options.WhatsAppFrom.Length > 0 ? options.WhatsAppFrom : sms.From);
        else if (options.MessagingServiceSid.Length > 0) create.MessagingServiceSid = options.MessagingServiceSid;
        else create.From = new PhoneNumber(options.From.Length > 0 ? options.From : sms.From);
        if (options.StatusCallback() is { Length: > 0 } callback) create.StatusCallback = new Uri(callback);
        if (sms.ValidityPeriod is { } validity) create.ValidityPeriod = (int)Math.Clamp(Math.Ceiling(validity.TotalSeconds), 1, MaxValidityPeriod.TotalSeconds);

        var (message, refusal) = await CallAsync(client => MessageResource.CreateAsync(create, client), ct);
        if (refusal is not null)
        {
            return refusal.Status is (int)HttpStatusCode.TooManyRequests or >= 500
                ? new SendResult.Busy(refusal.Status, refusal.Code, refusal.Message, refusal.RetryAfter)
                : new SendResult.Rejected(refusal.Code, refusal.Message);
        }
        return message?.Sid is { Length: > 0 } sid
            ? new SendResult.Accepted(sid, message.Status?.ToString() ?? "queued")
            // Twilio said yes but gave no sid: whether it sent is unknown, so it is looked for, not resent blindly.
            : throw new HttpRequestException("Twilio answered without a message sid");
    }

    /// <summary>
    /// The sid of a message to <paramref name="to"/> with this body created since an instant and not
    /// one of <paramref name="known"/>: how a send whose answer was lost finds out whether Twilio took it.
    /// Throws when the list cannot be had.
    /// </summary>
    public async Task<SendResult.Accepted?> FindAsync(string to, string body, DateTimeOffset since, IReadOnlySet<string> known, CancellationToken ct)
    {
        // Newest first; a page of 50 reaches well past one subscriber's replies in the last minutes.
        var read = new ReadMessageOptions { To = new PhoneNumber(to), PageSize = 50, Limit = 50 };
        var (page, refusal) = await CallAsync(client => MessageResource.ReadAsync(read, client), ct);
        if (refusal is not null)
            throw new HttpRequestException($"Twilio's message list answered {refusal.Status}: {refusal.Message}", null, (HttpStatusCode)refusal.Status);

        // This page only: reading on would make the SDK fetch the next one synchronously, past any timeout.
        page!.AutoPaging = false;
        var match = page.FirstOrDefault(m =>
            m.Sid is { Length: > 0 } sid && !known.Contains(sid) && m.Body == body
            && (m.DateCreated is not { } created || Utc(created) >= since.AddMinutes(-1))); // Twilio's clock is not ours
        return match is null ? null : new SendResult.Accepted(match.Sid, match.Status?.ToString() ?? "queued");
    }

    /// <summary>Twilio's answer when it was an error: its HTTP status, error code, message and Retry-After.</summary>
    private sealed record Refusal(int Status, int? Code, string Message, TimeSpan? RetryAfter);

    /// <summary>
    /// One call through the SDK, on an SDK client of its own: its LastResponse is then this call's
    /// answer even with other sends running at once, and that is where an error's HTTP status and
    /// Retry-After are read (the SDK's ApiException carries no headers, nor a status for an answer
    /// that is not Twilio's JSON, such as a proxy's error page).
    /// </summary>
    private async Task<(T? Value, Refusal? Refusal)> CallAsync<T>(Func<ITwilioRestClient, Task<T>> call, CancellationToken ct) where T : class
    {
        using var httpClient = http.CreateClient(HttpClientName);
        // The SDK takes no CancellationToken: the caller's (a Polly timeout's, say) cancels this HttpClient instead.
        await using var cancelling = ct.Register(httpClient.CancelPendingRequests);
        var sdkHttp = new SystemNetHttpClient(httpClient);
        var client = new TwilioRestClient(options.AccountSid, options.AuthToken, accountSid: options.AccountSid, httpClient: sdkHttp);
        try
        {
            return (await call(client), null);
        }
        catch (ApiConnectionException e)
        {
            // No answer: the caller's cancellation, or what HttpClient threw (a connection never made,
            // one dropped, Outbox:AttemptTimeoutSeconds passed) as it threw it, so the sender can tell them apart.
            ct.ThrowIfCancellationRequested();
            if (e.InnerException is HttpRequestException or OperationCanceledException) ExceptionDispatchInfo.Throw(e.InnerException);
            throw new HttpRequestException(e.Message, e);
        }
        catch (Exception e) when (sdkHttp.LastResponse is { } answer)
        {
            var status = (int)answer.StatusCode;
            // A success the SDK could not read (its JSON parser threw): whether Twilio acted on it is unknown.
            if (status < 400) throw new HttpRequestException($"Twilio answered {status} with a body that could not be read", e);
            var fromTwilio = e is ApiException { Status: > 0 }; // Twilio's JSON error; otherwise the SDK's message holds the whole body
            return (null, new Refusal(
                status,
                e is ApiException { Code: > 0 and var code } ? code : null,
                fromTwilio ? e.Message : $"HTTP {status}",
                RetryAfter(answer)));
        }
    }

    private TimeSpan? RetryAfter(Response answer) =>
        answer.Headers?.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - clock.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
            _ => null,
        };

    // The SDK reads Twilio's dates (RFC 2822, GMT) into a local DateTime; one without a kind is taken as UTC.
    private static DateTimeOffset Utc(DateTime at) =>
        at.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(at, TimeSpan.Zero) : new DateTimeOffset(at.ToUniversalTime());
}
