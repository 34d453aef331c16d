using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

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
/// Twilio's Messages REST API, spoken directly on HttpClient (the Twilio SDK is not on our package
/// registry): create a message, and find one already created. One HTTP call a method; retries
/// belong to the caller.
/// </summary>
public sealed class TwilioMessages(HttpClient http, TwilioOptions options)
{
    /// <summary>POST /2010-04-01/Accounts/{AccountSid}/Messages.json. Network failures are thrown.</summary>
    public async Task<SendResult> SendAsync(OutgoingSms sms, CancellationToken ct)
    {
        var form = new List<KeyValuePair<string, string>> { new("To", sms.To), new("Body", sms.Body) };
        // A WhatsApp reply comes from a WhatsApp sender, never from the SMS number or service.
        if (TwilioAddress.IsWhatsApp(sms.To)) form.Add(new("From", options.WhatsAppFrom.Length > 0 ? options.WhatsAppFrom : sms.From));
        else if (options.MessagingServiceSid.Length > 0) form.Add(new("MessagingServiceSid", options.MessagingServiceSid));
        else form.Add(new("From", options.From.Length > 0 ? options.From : sms.From));
        if (options.StatusCallback() is { Length: > 0 } callback) form.Add(new("StatusCallback", callback));

        using var request = new HttpRequestMessage(HttpMethod.Post, MessagesUrl()) { Content = new FormUrlEncodedContent(form) };
        Authorise(request);
        using var response = await http.SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);

        if (response.IsSuccessStatusCode)
        {
            var message = Read<MessageResource>(body);
            return message?.Sid is { Length: > 0 } sid
                ? new SendResult.Accepted(sid, message.Status ?? "queued")
                // Twilio said yes but gave no sid: whether it sent is unknown, so it is looked for, not resent blindly.
                : throw new HttpRequestException($"Twilio answered {(int)response.StatusCode} without a message sid");
        }

        var error = Read<ErrorResource>(body);
        var text = error?.Message ?? $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        return response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500
            ? new SendResult.Busy((int)response.StatusCode, error?.Code, text, RetryAfter(response))
            : new SendResult.Rejected(error?.Code, text);
    }

    /// <summary>
    /// The sid of a message to <paramref name="to"/> with this body created since an instant and not
    /// one of <paramref name="known"/>: how a send whose answer was lost finds out whether Twilio took it.
    /// </summary>
    public async Task<SendResult.Accepted?> FindAsync(string to, string body, DateTimeOffset since, IReadOnlySet<string> known, CancellationToken ct)
    {
        // Newest first; a page of 50 reaches well past one subscriber's replies in the last minutes.
        var url = $"{MessagesUrl()}?To={Uri.EscapeDataString(to)}&PageSize=50";
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        Authorise(request);
        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"Twilio's message list answered {(int)response.StatusCode}: {Read<ErrorResource>(text)?.Message}");

        var page = Read<MessagePage>(text);
        var match = page?.Messages?.FirstOrDefault(m =>
            m.Sid is { Length: > 0 } sid && !known.Contains(sid) && m.Body == body
            && (m.Created() is not { } created || created >= since.AddMinutes(-1))); // Twilio's clock is not ours
        return match is null ? null : new SendResult.Accepted(match.Sid!, match.Status ?? "queued");
    }

    private string MessagesUrl() =>
        $"{options.ApiBaseUrl.TrimEnd('/')}/2010-04-01/Accounts/{Uri.EscapeDataString(options.AccountSid)}/Messages.json";

    private void Authorise(HttpRequestMessage request) =>
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.AccountSid}:{options.AuthToken}")));

    private static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
            _ => null,
        };

    private static T? Read<T>(string json) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json);
        }
        catch (JsonException)
        {
            return null; // a proxy's HTML error page, say: the status code still tells what happened
        }
    }

    private sealed class MessageResource
    {
        [JsonPropertyName("sid")] public string? Sid { get; init; }
        [JsonPropertyName("status")] public string? Status { get; init; }
        [JsonPropertyName("body")] public string? Body { get; init; }
        [JsonPropertyName("date_created")] public string? DateCreated { get; init; }

        // Twilio writes dates as RFC 2822: "Thu, 24 Aug 2023 05:01:45 +0000".
        public DateTimeOffset? Created() =>
            DateTimeOffset.TryParse(DateCreated, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : null;
    }

    private sealed class MessagePage
    {
        [JsonPropertyName("messages")] public List<MessageResource>? Messages { get; init; }
    }

    private sealed class ErrorResource
    {
        [JsonPropertyName("code")] public int? Code { get; init; }
        [JsonPropertyName("message")] public string? Message { get; init; }
    }
}
