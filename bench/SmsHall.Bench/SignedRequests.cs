using System.Globalization;
using System.Net;
using SmsHall.Tests;

namespace SmsHall.Bench;

/// <summary>
/// Writes signed Twilio inbound-SMS forms for wrk (bench/webhook.lua), one a line: the signature, a
/// tab, the form body. Varied as real traffic is: many registered numbers (the synthetic subscribers
/// of <c>smshall db seed --subscribers N</c>), many commands, four languages, typos, and a unique
/// MessageSid each. Signed for the public URL both endpoints are told they have (Twilio:PublicBaseUrl).
/// </summary>
public static class SignedRequests
{
    private static readonly string[] Bodies =
    [
        "bal", "BAL", "balance", "what's my balance?", "blance", "credit", "usage", "data", "bill", "bill oct", "BILL 9",
        "help", "plan", "plan gold", "no", "hello", "bal bill", "lang en", "solde", "conso", "facture", "quel est mon solde ?",
        "余额", "查余额", "流量", "账单", "موجودی", "مصرف", "قبض", "topup 1234-5678-9012",
    ];

    public static int Write(string[] args)
    {
        var options = Options(args);
        var count = int.Parse(options.GetValueOrDefault("--count", "200000"), CultureInfo.InvariantCulture);
        var subscribers = int.Parse(options.GetValueOrDefault("--subscribers", "100000"), CultureInfo.InvariantCulture);
        var url = options.GetValueOrDefault("--url", "https://bench.smshall.test/twilio/sms");
        var token = options.GetValueOrDefault("--token", "bench-token");
        var prefix = options.GetValueOrDefault("--sid-prefix", "SMBENCH");
        var random = new Random(int.Parse(options.GetValueOrDefault("--seed", "42"), CultureInfo.InvariantCulture));
        using var output = new StreamWriter(options.GetValueOrDefault("--out", "requests.txt"));
        for (var i = 0; i < count; i++)
        {
            KeyValuePair<string, string>[] form =
            [
                new("MessageSid", $"{prefix}{i:D26}"),
                new("AccountSid", "AC00000000000000000000000000000000"),
                new("From", "+" + (15551000000L + random.Next(subscribers)).ToString(CultureInfo.InvariantCulture)),
                new("To", "+15005550006"),
                new("Body", Bodies[random.Next(Bodies.Length)]),
                new("NumMedia", "0"),
                new("NumSegments", "1"),
            ];
            var body = string.Join('&', form.Select(p => $"{p.Key}={WebUtility.UrlEncode(p.Value)}"));
            output.Write(TwilioSignature.Compute(url, form, token));
            output.Write('\t');
            output.Write(body);
            output.Write('\n');
        }
        return 0;
    }

    private static Dictionary<string, string> Options(string[] args)
    {
        var options = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i += 2) options[args[i]] = args[i + 1];
        return options;
    }
}
