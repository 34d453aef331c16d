using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using SmsHall.Core;
using SmsHall.Core.Ports;

namespace SmsHall.Twilio;

/// <summary>
/// The fields of Twilio's inbound-message webhook that SmsHall uses. Twilio sends many more
/// (NumSegments, FromCountry, MediaUrl0, …); they are signed and otherwise ignored. WhatsApp comes
/// to the same webhook with From and To written <c>whatsapp:+1555…</c>: here they are the bare
/// numbers, and <see cref="Channel"/> says which carried the message. <see cref="Media"/> is NumMedia.
/// </summary>
public sealed record InboundSms(
    string MessageSid, string AccountSid, string From, string To, string Body, Channel Channel = Channel.Sms, int Media = 0)
{
    /// <summary>Twilio's own limit on an inbound message body.</summary>
    public const int MaxBodyLength = 1600;

    /// <summary>Reads the form, or says in one sentence what is wrong with it.</summary>
    public static (InboundSms? Sms, string? Problem) FromForm(IFormCollection form)
    {
        var sid = Form.First(form, "MessageSid") ?? Form.First(form, "SmsSid");
        var (channel, from) = TwilioAddress.Read(Form.Clean(Form.First(form, "From") ?? "").Trim());
        var (toChannel, to) = TwilioAddress.Read(Form.Clean(Form.First(form, "To") ?? "").Trim());
        if (string.IsNullOrWhiteSpace(sid)) return (null, "MessageSid is missing");
        if (sid.Length > 64) return (null, "MessageSid is too long");
        if (string.IsNullOrWhiteSpace(from)) return (null, "From is missing");
        if (from.Length > 64) return (null, "From is too long");
        // A reply goes back on the channel the message came on: a message that names two has none.
        if (to.Length > 0 && toChannel != channel) return (null, "From and To are not on the same channel (one is whatsapp:, the other not)");
        var body = Form.First(form, "Body") ?? "";
        if (body.Length > MaxBodyLength) return (null, $"Body is longer than {MaxBodyLength} characters");
        var media = 0;
        if (Form.First(form, "NumMedia") is { Length: > 0 } numMedia
            && !int.TryParse(numMedia, NumberStyles.None, CultureInfo.InvariantCulture, out media))
            return (null, "NumMedia is not a number");
        return (new InboundSms(Form.Clean(sid), Form.First(form, "AccountSid") ?? "", from, to, Form.Clean(body), channel, media), null);
    }
}

/// <summary>The fields of Twilio's status callback for a message sent through the REST API.</summary>
public sealed record StatusCallback(string MessageSid, string AccountSid, string Status, int? ErrorCode)
{
    public static (StatusCallback? Status, string? Problem) FromForm(IFormCollection form)
    {
        var sid = Form.First(form, "MessageSid") ?? Form.First(form, "SmsSid");
        var status = Form.First(form, "MessageStatus") ?? Form.First(form, "SmsStatus");
        if (string.IsNullOrWhiteSpace(sid) || sid.Length > 64) return (null, "MessageSid is missing or too long");
        if (string.IsNullOrWhiteSpace(status)) return (null, "MessageStatus is missing");
        if (!DeliveryStatus.IsKnown(status)) return (null, $"MessageStatus '{Form.Clean(status)[..Math.Min(status.Length, 32)]}' is not one of Twilio's message statuses");
        var code = Form.First(form, "ErrorCode");
        int? errorCode = null;
        if (!string.IsNullOrEmpty(code))
        {
            if (!int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)) return (null, "ErrorCode is not a number");
            errorCode = parsed;
        }
        return (new StatusCallback(sid, Form.First(form, "AccountSid") ?? "", status, errorCode), null);
    }
}

internal static class Form
{
    public static string? First(IFormCollection form, string name) =>
        form.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    /// <summary>
    /// Drops what no subscriber typed on purpose and what can mislead whoever reads the log: control
    /// characters (NUL, escapes; line breaks stay) and the bidirectional overrides that make text
    /// display in another order than it was written. What is not text at all — noncharacters such as
    /// U+FFFF and lone surrogates — becomes U+FFFD, so that the log only ever holds text every
    /// report, XML and JSON writer can carry.
    /// </summary>
    public static string Clean(string text)
    {
        if (!text.Any(c => IsUnwanted(c) || char.IsSurrogate(c) || Core.Text.TextNormaliser.IsNoncharacter(c))) return text;
        var sb = new StringBuilder(text.Length);
        // Runes: a lone surrogate comes out as U+FFFD, a pair as one code point.
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.IsBmp && IsUnwanted((char)rune.Value)) continue;
            sb.Append(Core.Text.TextNormaliser.IsNoncharacter(rune.Value) ? Rune.ReplacementChar.ToString() : rune.ToString());
        }
        return sb.ToString();
    }

    private static bool IsUnwanted(char c) =>
        (char.IsControl(c) && c is not ('\n' or '\r' or '\t')) || Printable.IsBidiControl(c);
}
