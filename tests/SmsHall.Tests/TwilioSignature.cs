using System.Security.Cryptography;
using System.Text;

namespace SmsHall.Tests;

/// <summary>
/// Signs requests as Twilio does (X-Twilio-Signature): base64 of HMAC-SHA1, keyed with the auth
/// token, over the URL followed by each form field as name+value, sorted by name, then value. The
/// tests (and the bench, which links this file) stand on Twilio's side, so they sign with their own
/// code rather than the gateway's.
/// </summary>
public static class TwilioSignature
{
    public static string Compute(string url, IEnumerable<KeyValuePair<string, string>> form, string authToken)
    {
        var data = new StringBuilder(url);
        foreach (var (name, value) in form.OrderBy(f => f.Key, StringComparer.Ordinal).ThenBy(f => f.Value, StringComparer.Ordinal))
            data.Append(name).Append(value);
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
    }
}
