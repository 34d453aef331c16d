using System.IO.Pipelines;
using System.Net;
using System.Text;
using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using SmsHall.Twilio;

namespace SmsHall.Tests;

/// <summary>
/// Thousands of random and hostile message bodies, signed like Twilio, through the real HTTP pipeline:
/// every one gets well-formed TwiML or a 4xx, and the database stays whole.
/// </summary>
public class FuzzTests
{
    private const int Requests = 3000;

    private static readonly string[] Hostile =
    [
        "'; DROP TABLE subscribers;--", "1 OR 1=1", "\" OR \"\"=\"", "' UNION SELECT number, balance_cents FROM subscribers --",
        "TOPUP ' OR 1=1 --", "bill ' OR '1'='1", "plan gold'); DELETE FROM plans; --", "%00", "\0", "\\x00", "<Message>hi</Message>",
        "]]><Response/>", "&amp;&lt;", "{commands}", "{{balance}}", "${jndi:ldap://x}", "bill 99999999999999999999", "topup 1e309",
        "PLAN 18446744073709551616", "bill 2026-99", "bill 0/0", "bill -1", "LANG 语言语言语言", "\u202Ebal\u202C", "\u2066BAL\u2069",
        "\u200B\u200C\u200D\uFEFF", "\uFFFD\uFFFE", "STOP", "YES", "CANCEL", "START", "TOPUP 1111-2222-3333", "??", "؟", "？",
        "bal bal bal bal bal", "余额余额余额", "موجودی\u200cموجودی", "𝐁𝐀𝐋", "ＢＡＬ", "B\u0301A\u0301L\u0301",
    ];

    private static readonly (int From, int To)[] Ranges =
    [
        (0x20, 0x7E), (0x00, 0x1F), (0xA0, 0x24F), (0x300, 0x36F), (0x600, 0x6FF), (0x4E00, 0x4FFF), (0x2000, 0x206F),
        (0xFF00, 0xFFEF), (0x1F300, 0x1F6FF), (0xD800, 0xDFFF),
    ];

    [Fact]
    public async Task AnyBodyGetsWellFormedTwimlOrA4xxAndTheDatabaseStaysWhole()
    {
        var logs = new CapturedLogs();
        await using var gw = await TestGateway.StartAsync(services => services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs));
        var tablesBefore = Scalar(gw, "SELECT COUNT(*) FROM sqlite_master");
        var random = new Random(20261122);
        var bodies = Enumerable.Range(0, Requests).Select(_ => Body(random)).ToList();
        var senders = Enumerable.Range(0, Requests).Select(i => i % 10 == 0 ? "+1555000000" + (1 + i % 5) : $"+1999{random.Next(1_000_000):D7}").ToList();

        var answered = 0;
        var refused = 0;
        await Parallel.ForAsync(0, Requests, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var (status, twiml, malformed) = await PostAsync(gw, senders[i], bodies[i], $"SMFUZZ{i:D26}");
            var shown = Convert.ToHexString(bodies[i]);
            // Refused exactly when the form is not one Twilio could send: a NUL in a value, or a body over 1,600 characters.
            Assert.True(status == (malformed ? HttpStatusCode.BadRequest : HttpStatusCode.OK), $"{(int)status} {twiml} for body bytes {shown}");
            if (malformed)
            {
                Interlocked.Increment(ref refused);
                return;
            }
            Interlocked.Increment(ref answered);
            var root = XDocument.Parse(twiml).Root!;
            Assert.Equal("Response", root.Name.LocalName);
            Assert.True(root.Elements().Count() <= 1, twiml);
            // A stranger always hears something; a subscriber may have texted STOP.
            if (senders[i].StartsWith("+1999", StringComparison.Ordinal)) Assert.False(string.IsNullOrEmpty(root.Element("Message")?.Value), shown);
        });

        Assert.True(answered > Requests * 3 / 4, $"only {answered} of {Requests} were answered ({refused} refused)");
        Assert.Equal("ok", gw.OpenDatabase().ExecuteScalar<string>("PRAGMA integrity_check"));
        Assert.Empty(gw.OpenDatabase().Query("PRAGMA foreign_key_check"));
        Assert.Equal(tablesBefore, Scalar(gw, "SELECT COUNT(*) FROM sqlite_master"));
        Assert.Equal(5, Scalar(gw, "SELECT COUNT(*) FROM subscribers"));
        Assert.Equal(4, Scalar(gw, "SELECT COUNT(*) FROM plans"));
        Assert.True(logs.Lines.All(l => !l.StartsWith("Error", StringComparison.Ordinal)), string.Join("\n", logs.Lines.Take(3)));
        Assert.Equal(answered, Scalar(gw, "SELECT COUNT(*) FROM inbound_messages WHERE status = 'handled'"));
        Assert.Equal(answered, Scalar(gw, "SELECT COUNT(*) FROM inbound_messages"));
        Assert.Equal(answered, Scalar(gw, "SELECT COUNT(*) FROM outbound_messages"));
    }

    /// <summary>The Body field's bytes as sent on the wire (before percent-encoding): text of every kind, or bytes that are not UTF-8 at all.</summary>
    private static byte[] Body(Random random)
    {
        var kind = random.Next(10);
        if (kind == 0)
        {
            var bytes = new byte[random.Next(1, 40)];
            random.NextBytes(bytes);
            return bytes;
        }
        var text = new StringBuilder();
        switch (kind)
        {
            case 1 or 2:
                text.Append(Hostile[random.Next(Hostile.Length)]);
                break;
            case 3:
                text.Append(Hostile[random.Next(Hostile.Length)]).Append(' ').Append(Hostile[random.Next(Hostile.Length)]);
                break;
            case 4:
                text.Append(new string('9', random.Next(1, 400)));
                break;
            case 5:
                // Around Twilio's 1,600-character limit: just under is answered, just over is a 400.
                text.Append('A', InboundSms.MaxBodyLength + random.Next(-5, 6));
                break;
            default:
                for (var n = random.Next(0, 120); n > 0; n--)
                {
                    var (from, to) = Ranges[random.Next(Ranges.Length)];
                    var code = random.Next(from, to + 1);
                    text.Append(code is >= 0xD800 and <= 0xDFFF ? ((char)code).ToString() : char.ConvertFromUtf32(code)); // lone surrogates too
                }
                break;
        }
        return Encoding.UTF8.GetBytes(text.ToString()); // a lone surrogate becomes U+FFFD, as any sender's encoder does
    }

    /// <summary>Posts the form with the body's bytes percent-encoded, signed over the values as ASP.NET will read them.</summary>
    private static async Task<(HttpStatusCode Status, string Answer, bool Malformed)> PostAsync(TestGateway gw, string from, byte[] body, string sid)
    {
        var wire = $"MessageSid={sid}&AccountSid=AC00000000000000000000000000000000&From={Uri.EscapeDataString(from)}&To=%2B15005550006&Body={PercentEncode(body)}";
        var bytes = Encoding.ASCII.GetBytes(wire);
        Dictionary<string, Microsoft.Extensions.Primitives.StringValues> read;
        bool malformed;
        try
        {
            read = await new FormPipeReader(PipeReader.Create(new MemoryStream(bytes))).ReadFormAsync();
            malformed = read["Body"].ToString().Length > InboundSms.MaxBodyLength;
        }
        catch (InvalidDataException)
        {
            read = []; // ASP.NET refuses a NUL in a form value before the signature is looked at
            malformed = true;
        }
        var signature = TwilioSignature.Compute(gw.SmsUrl, read.SelectMany(f => f.Value.Select(v => KeyValuePair.Create(f.Key, v ?? ""))), TestGateway.AuthToken);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/twilio/sms") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/x-www-form-urlencoded");
        request.Headers.Add("X-Twilio-Signature", signature);
        using var response = await gw.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), malformed);
    }

    private static string PercentEncode(byte[] bytes)
    {
        var sb = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'.' or (byte)'_')
                sb.Append((char)b);
            else
                sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    private static long Scalar(TestGateway gw, string sql)
    {
        using var db = gw.OpenDatabase();
        return db.ExecuteScalar<long>(sql);
    }
}
