using Microsoft.Extensions.Options;

namespace SmsHall.Twilio;

/// <summary>
/// Sends the Twilio SDK's requests to Twilio:ApiBaseUrl (tests and staging point it at a stand-in).
/// The SDK writes https://api.twilio.com/… itself and has no base URL to set, so scheme, host and
/// port are replaced here, a base path in the setting put in front, and the SDK's path and query kept.
/// The rest needs no handler: an attempt's time limit is the HttpClient's own Timeout, and an error's
/// status and Retry-After are on the SDK client's LastResponse (see TwilioMessages).
/// </summary>
public sealed class TwilioApiHandler(IOptions<TwilioOptions> options) : DelegatingHandler
{
    private readonly Uri _api = new(options.Value.ApiBaseUrl);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        request.RequestUri = new Uri(_api.GetLeftPart(UriPartial.Authority) + _api.AbsolutePath.TrimEnd('/') + request.RequestUri!.PathAndQuery);
        return base.SendAsync(request, ct);
    }
}
