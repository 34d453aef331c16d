using Microsoft.Extensions.Primitives;
using Twilio.Security;

namespace SmsHall.Twilio;

/// <summary>
/// Checks X-Twilio-Signature with the Twilio SDK's validator (HMAC-SHA1 keyed with the auth token
/// over the URL and the sorted form fields, compared in constant time, the URL also tried with its
/// default port added or its port removed). What is ours is only the adapting of the request to it.
/// </summary>
public sealed class WebhookSignature(RequestValidator validator)
{
    /// <param name="url">The URL Twilio called, query string included.</param>
    public bool IsValid(string url, IEnumerable<KeyValuePair<string, StringValues>> form, string signature)
    {
        // The SDK throws on an empty signature rather than saying no.
        if (signature.Length == 0) return false;
        var fields = form.ToDictionary(f => f.Key, f => Joined(f.Key, f.Value), StringComparer.Ordinal);
        try
        {
            return validator.Validate(url, fields, signature);
        }
        catch (UriFormatException)
        {
            // The SDK parses the URL to toggle its port: a PublicBaseUrl that is no URL matches nothing.
            return false;
        }
    }

    // Twilio signs a repeated field as name+value for each value, in value order; the SDK takes one
    // value per name and appends name+value, so the values joined by the name give the same string.
    private static string Joined(string name, StringValues values) =>
        values.Count == 1 ? values[0] ?? "" : string.Join(name, values.Order(StringComparer.Ordinal));
}
