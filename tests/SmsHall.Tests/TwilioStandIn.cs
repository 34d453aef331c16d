using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SmsHall.Tests;

/// <summary>How the stand-in treats one POST to Messages.json; the test decides per attempt.</summary>
public enum Fault { None, TooManyRequests, ServerError, ProxyErrorPage, SlowAfterCreate, DropBeforeCreate, DropAfterCreate, Unsubscribed, InvalidNumber }

/// <summary>A message the stand-in created, as the sender asked for it (ValidityPeriod in seconds, null when not given).</summary>
public sealed record SentSms(string Sid, string To, string? From, string? MessagingServiceSid, string Body, string? StatusCallback, DateTimeOffset At, int? ValidityPeriod = null);

/// <summary>
/// Twilio's Messages REST API on Kestrel at 127.0.0.1 (a free port): creates and lists messages,
/// fails on demand the ways the real one does, and posts signed status callbacks like Twilio.
/// </summary>
public sealed class TwilioStandIn : IAsyncDisposable
{
    private const string ApiVersion = "2010-04-01";
    private static readonly TimeSpan CallbackRetryWindow = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CallbackRetryEvery = TimeSpan.FromMilliseconds(250);

    private readonly WebApplication _app;
    private readonly string _authToken;
    // A short timeout so a hung gateway counts as "not answering" and is retried like a refused connection.
    private readonly HttpClient _callbackClient = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private readonly List<SentSms> _sent = [];
    private readonly List<(string Sid, string Status, int HttpStatus)> _callbacks = [];
    private readonly List<Task> _inFlight = [];
    private int _attempts;
    private int _listCalls;

    private TwilioStandIn(string accountSid, string authToken)
    {
        AccountSid = accountSid;
        _authToken = authToken;
        // Its own content root: run from the repository (as the bench does), the working directory's
        // appsettings.json is the gateway's, and its logging settings are not the stand-in's.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        _app = builder.Build();
        const string messages = "/2010-04-01/Accounts/{accountSid}/Messages.json";
        _app.MapPost(messages, CreateAsync);
        _app.MapGet(messages, ListAsync);
    }

    public Uri BaseUrl { get; private set; } = null!;
    public string AccountSid { get; }

    public Func<string, string, Fault>? Faults { get; set; }
    public int RetryAfterSeconds { get; set; } = 1;
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(3);
    public bool SendStatusCallbacks { get; set; } = true;
    public Func<string, bool>? Undeliverable { get; set; }

    /// <summary>The message list answers 403, as it does for an API key not allowed to read messages (or during a partial outage).</summary>
    public bool ListFails { get; set; }

    public int ListCalls => Volatile.Read(ref _listCalls);

    public int Attempts => Volatile.Read(ref _attempts);
    public IReadOnlyList<SentSms> Sent { get { lock (_lock) return _sent.ToArray(); } }
    public IReadOnlyList<(string Sid, string Status, int HttpStatus)> Callbacks { get { lock (_lock) return _callbacks.ToArray(); } }

    public static async Task<TwilioStandIn> StartAsync(string accountSid, string authToken)
    {
        var standIn = new TwilioStandIn(accountSid, authToken);
        await standIn._app.StartAsync();
        var address = standIn._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        standIn.BaseUrl = new Uri(address);
        return standIn;
    }

    /// <summary>Waits until every status callback scheduled so far, and any they lead to, has finished.</summary>
    public async Task CallbacksIdleAsync()
    {
        while (true)
        {
            Task[] pending;
            lock (_lock)
            {
                _inFlight.RemoveAll(t => t.IsCompleted);
                pending = _inFlight.ToArray();
            }
            if (pending.Length == 0) return;
            await Task.WhenAll(pending);
        }
    }

    private async Task CreateAsync(HttpContext context)
    {
        Interlocked.Increment(ref _attempts);
        if (!await AuthorizedAsync(context)) return;
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : FormCollection.Empty;
        string? Field(string name) => form[name].ToString() is { Length: > 0 } value ? value : null;
        var (to, from, service, body, callback) = (Field("To"), Field("From"), Field("MessagingServiceSid"), Field("Body"), Field("StatusCallback"));
        int? validity = null;
        if (Field("ValidityPeriod") is { } given)
        {
            if (!int.TryParse(given, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds is < 1 or > 36_000)
            {
                await ErrorAsync(context, 400, 21624, "Validity period can only be set to integers between 1 and 36,000 seconds.");
                return;
            }
            validity = seconds;
        }

        if (to is null) { await ErrorAsync(context, 400, 21604, "A 'To' phone number is required."); return; }
        if (body is null) { await ErrorAsync(context, 400, 21602, "Message body is required."); return; }
        if (from is null && service is null) { await ErrorAsync(context, 400, 21603, "A 'From' phone number is required."); return; }
        // Refused here, as Twilio does, rather than failing later in the background where no test would see it.
        if (callback is not null && !(Uri.TryCreate(callback, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
        {
            await ErrorAsync(context, 400, 21609, $"The StatusCallback URL {callback} is not a valid URL.");
            return;
        }

        var fault = Faults?.Invoke(to, body) ?? Fault.None;
        switch (fault)
        {
            case Fault.DropBeforeCreate:
                context.Abort();
                return;
            case Fault.TooManyRequests:
                context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await ErrorAsync(context, 429, 20429, "Too Many Requests");
                return;
            case Fault.ServerError:
                await ErrorAsync(context, 500, 20500, "Internal Server Error");
                return;
            case Fault.ProxyErrorPage:
                // Not Twilio's JSON: what a load balancer in front of it answers when it cannot reach it.
                context.Response.StatusCode = 502;
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("<html><body><h1>502 Bad Gateway</h1></body></html>", context.RequestAborted);
                return;
            case Fault.Unsubscribed:
                await ErrorAsync(context, 400, 21610, "Attempt to send to unsubscribed recipient");
                return;
            case Fault.InvalidNumber:
                await ErrorAsync(context, 400, 21211, $"The 'To' number {to} is not a valid phone number."); // Twilio quotes the number
                return;
        }

        var sms = new SentSms("SM" + Guid.NewGuid().ToString("N"), to, from, service, body, callback, DateTimeOffset.UtcNow, validity);
        lock (_lock) _sent.Add(sms);
        if (callback is not null && SendStatusCallbacks)
        {
            var task = Task.Run(() => PostCallbacksAsync(sms));
            lock (_lock) _inFlight.Add(task);
        }

        // The message exists from here on: the sender must cope with not hearing so.
        if (fault == Fault.DropAfterCreate)
        {
            context.Abort();
            return;
        }
        if (fault == Fault.SlowAfterCreate)
        {
            // Ends early when the client gives up or the stand-in is disposed, so neither waits the full delay.
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            try
            {
                await Task.Delay(SlowDelay, wait.Token);
            }
            catch (OperationCanceledException)
            {
                context.Abort();
                return;
            }
        }
        await WriteJsonAsync(context, 201, Resource(sms));
    }

    private async Task ListAsync(HttpContext context)
    {
        Interlocked.Increment(ref _listCalls);
        if (!await AuthorizedAsync(context)) return;
        if (ListFails)
        {
            await ErrorAsync(context, 403, 20003, "Permission Denied: this API key may not read messages");
            return;
        }
        var to = context.Request.Query["To"].ToString();
        var pageSize = int.TryParse(context.Request.Query["PageSize"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            ? Math.Clamp(size, 1, 1000)
            : 50;
        SentSms[] page;
        lock (_lock) page = _sent.Where(s => to.Length == 0 || s.To == to).Reverse().Take(pageSize).ToArray();

        var messages = new JsonArray();
        foreach (var sms in page) messages.Add(Resource(sms));
        var uri = $"/2010-04-01/Accounts/{AccountSid}/Messages.json?PageSize={pageSize}&Page=0"
            + (to.Length > 0 ? "&To=" + Uri.EscapeDataString(to) : "");
        await WriteJsonAsync(context, 200, new JsonObject
        {
            ["messages"] = messages,
            ["page"] = 0,
            ["page_size"] = pageSize,
            ["first_page_uri"] = uri,
            ["previous_page_uri"] = null,
            ["next_page_uri"] = null,
            ["uri"] = uri,
        });
    }

    /// <summary>Twilio checks the credentials first, then that the URL names the caller's own account.</summary>
    private async Task<bool> AuthorizedAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var credentials = "";
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                credentials = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            }
            catch (FormatException)
            {
                // Garbled base64 is simply wrong credentials.
            }
        }
        if (credentials != AccountSid + ":" + _authToken)
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"Twilio API\"";
            await ErrorAsync(context, 401, 20003, "Authenticate");
            return false;
        }
        if (context.Request.RouteValues["accountSid"] as string != AccountSid)
        {
            await ErrorAsync(context, 404, 20404, $"The requested resource {context.Request.Path} was not found");
            return false;
        }
        return true;
    }

    private async Task PostCallbacksAsync(SentSms sms)
    {
        try
        {
            await PostCallbackAsync(sms, "sent");
            await PostCallbackAsync(sms, Undeliverable?.Invoke(sms.To) == true ? "undelivered" : "delivered");
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Disposed: no test is waiting for these any more.
        }
    }

    private async Task PostCallbackAsync(SentSms sms, string status)
    {
        var url = sms.StatusCallback!;
        List<KeyValuePair<string, string>> form =
        [
            new("MessageSid", sms.Sid),
            new("SmsSid", sms.Sid),
            new("AccountSid", AccountSid),
            new("To", sms.To),
            new("MessageStatus", status),
            new("SmsStatus", status),
            new("ApiVersion", ApiVersion),
        ];
        if (sms.From is not null) form.Add(new("From", sms.From));
        if (sms.MessagingServiceSid is not null) form.Add(new("MessagingServiceSid", sms.MessagingServiceSid));
        if (status == "undelivered") form.Add(new("ErrorCode", "30003"));
        var signature = TwilioSignature.Compute(url, form, _authToken);

        // The gateway may be restarting: keep trying while it is unreachable or failing, stop once it has decided.
        var started = Stopwatch.GetTimestamp();
        int httpStatus;
        while (true)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
                request.Headers.Add("X-Twilio-Signature", signature);
                using var response = await _callbackClient.SendAsync(request, _stopping.Token);
                httpStatus = (int)response.StatusCode;
                if (httpStatus < 500) break;
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !_stopping.IsCancellationRequested))
            {
                httpStatus = 0; // no answer at all (refused, reset or timed out)
            }
            if (Stopwatch.GetElapsedTime(started) >= CallbackRetryWindow) break;
            await Task.Delay(CallbackRetryEvery, _stopping.Token);
        }
        lock (_lock) _callbacks.Add((sms.Sid, status, httpStatus));
    }

    private JsonNode Resource(SentSms sms) => new JsonObject
    {
        ["sid"] = sms.Sid,
        ["account_sid"] = AccountSid,
        ["to"] = sms.To,
        ["from"] = sms.From,
        ["messaging_service_sid"] = sms.MessagingServiceSid,
        ["body"] = sms.Body,
        ["status"] = "queued",
        ["num_segments"] = "1",
        ["num_media"] = "0",
        ["direction"] = "outbound-api",
        ["date_created"] = Rfc2822(sms.At),
        ["date_updated"] = Rfc2822(sms.At),
        ["date_sent"] = null,
        ["error_code"] = null,
        ["error_message"] = null,
        ["price"] = null,
        ["price_unit"] = "USD",
        ["api_version"] = ApiVersion,
        ["uri"] = $"/2010-04-01/Accounts/{AccountSid}/Messages/{sms.Sid}.json",
    };

    private static string Rfc2822(DateTimeOffset at) =>
        at.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);

    private static Task ErrorAsync(HttpContext context, int status, int code, string message) =>
        WriteJsonAsync(context, status, new JsonObject
        {
            ["code"] = code,
            ["message"] = message,
            ["more_info"] = $"https://www.twilio.com/docs/errors/{code}",
            ["status"] = status,
        });

    private static Task WriteJsonAsync(HttpContext context, int status, JsonNode json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(json.ToJsonString(), context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        // Cancelled first so a slow answer or a callback retrying against a stopped gateway ends now, not in 30 s.
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await CallbacksIdleAsync();
        await _app.DisposeAsync();
        _callbackClient.Dispose();
        _stopping.Dispose();
    }
}
