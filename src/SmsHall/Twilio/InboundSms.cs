using Microsoft.AspNetCore.Http;

namespace SmsHall.Twilio;

/// <summary>
/// The fields of Twilio's inbound-message webhook that SmsHall uses. Twilio sends many more
/// (NumMedia, NumSegments, FromCountry, …); they are signed and otherwise ignored.
/// </summary>
public sealed record InboundSms(string MessageSid, string AccountSid, string From, string To, string Body)
{
    /// <summary>Twilio's own limit on an inbound message body.</summary>
    public const int MaxBodyLength = 1600;

    /// <summary>Reads the form, or says in one sentence what is wrong with it.</summary>
    public static (InboundSms? Sms, string? Problem) FromForm(IFormCollection form)
    {
        var sid = First(form, "MessageSid") ?? First(form, "SmsSid");
        var from = First(form, "From");
        if (string.IsNullOrWhiteSpace(sid)) return (null, "MessageSid is missing");
        if (sid.Length > 64) return (null, "MessageSid is too long");
        if (string.IsNullOrWhiteSpace(from)) return (null, "From is missing");
        if (from.Length > 64) return (null, "From is too long");
        var body = First(form, "Body") ?? "";
        if (body.Length > MaxBodyLength) return (null, $"Body is longer than {MaxBodyLength} characters");
        return (new InboundSms(sid, First(form, "AccountSid") ?? "", from.Trim(), First(form, "To")?.Trim() ?? "", body), null);
    }

    private static string? First(IFormCollection form, string name) =>
        form.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;
}
