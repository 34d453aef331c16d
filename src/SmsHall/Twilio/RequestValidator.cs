using System.Security.Cryptography;
using System.Text;

namespace SmsHall.Twilio;

/// <summary>
/// Twilio's webhook signature (X-Twilio-Signature): base64 of HMAC-SHA1, keyed with the auth token,
/// over the full URL Twilio called followed by every POST parameter as name+value, sorted by name
/// (ordinal; repeated names by value). Because proxies add or drop default ports, the URL is also
/// tried with its port toggled: an explicit port removed, or :443 / :80 added.
/// </summary>
public static class RequestValidator
{
    public static bool IsValid(string url, IEnumerable<KeyValuePair<string, string>> parameters, string? signature, string authToken)
    {
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(authToken) || string.IsNullOrEmpty(url)) return false;
        var sorted = Sorted(parameters);
        if (Matches(Compute(url, sorted, authToken), signature)) return true;
        var variant = WithPortToggled(url);
        return variant is not null && Matches(Compute(variant, sorted, authToken), signature);
    }

    public static string Compute(string url, IEnumerable<KeyValuePair<string, string>> parameters, string authToken) =>
        Compute(url, Sorted(parameters), authToken);

    private static string Compute(string url, IReadOnlyList<KeyValuePair<string, string>> sorted, string authToken)
    {
        var data = new StringBuilder(url);
        foreach (var (name, value) in sorted) data.Append(name).Append(value);
        var hash = HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString()));
        return Convert.ToBase64String(hash);
    }

    private static List<KeyValuePair<string, string>> Sorted(IEnumerable<KeyValuePair<string, string>> parameters) =>
        parameters
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .ToList();

    private static bool Matches(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));

    /// <summary>The URL with its port toggled, keeping everything else (case, credentials) exactly as given.</summary>
    internal static string? WithPortToggled(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0) return null;
        var authorityStart = schemeEnd + 3;
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0) authorityEnd = url.Length;
        var authority = url[authorityStart..authorityEnd];
        var hostStart = authority.LastIndexOf('@') + 1;
        var hostEnd = authority.IndexOf(']', hostStart) + 1; // past an IPv6 literal's brackets, if any
        var portColon = authority.IndexOf(':', Math.Max(hostStart, hostEnd));

        string toggled;
        if (portColon >= 0)
        {
            toggled = authority[..portColon];
        }
        else
        {
            var scheme = url[..schemeEnd];
            toggled = authority + (scheme.Equals("https", StringComparison.OrdinalIgnoreCase) ? ":443" : ":80");
        }
        return url[..authorityStart] + toggled + url[authorityEnd..];
    }
}
