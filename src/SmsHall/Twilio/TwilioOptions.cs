namespace SmsHall.Twilio;

/// <summary>How replies reach the subscriber.</summary>
public enum ReplyMode
{
    /// <summary>Inside the webhook's answer: nothing to configure, but lost if Twilio cannot deliver it then.</summary>
    TwiML,

    /// <summary>Through the outbox and Twilio's Messages API: retried, tracked to delivery, survives restarts.</summary>
    Rest,
}

/// <summary>Section "Twilio" of appsettings.json.</summary>
public sealed class TwilioOptions
{
    public const string DefaultApiBaseUrl = "https://api.twilio.com";

    public string AccountSid { get; set; } = "";

    /// <summary>Signs Twilio's webhooks and authenticates REST calls; required while <see cref="ValidateSignature"/> is on.</summary>
    public string AuthToken { get; set; } = "";

    /// <summary>Only ever switched off by an explicit setting, for local experiments.</summary>
    public bool ValidateSignature { get; set; } = true;

    /// <summary>The base URL Twilio calls (e.g. https://sms.example.com) when a proxy sits in front of the gateway.</summary>
    public string PublicBaseUrl { get; set; } = "";

    public ReplyMode ReplyMode { get; set; } = ReplyMode.TwiML;

    /// <summary>Where the Messages API is; tests and staging point it at a local stand-in.</summary>
    public string ApiBaseUrl { get; set; } = DefaultApiBaseUrl;

    /// <summary>The sender for REST replies; empty means the number the subscriber texted.</summary>
    public string From { get; set; } = "";

    /// <summary>
    /// The sender of REST replies to WhatsApp messages, written <c>whatsapp:+14155238886</c>; empty
    /// means the WhatsApp number the subscriber wrote to. <see cref="From"/> and
    /// <see cref="MessagingServiceSid"/> are for SMS only.
    /// </summary>
    public string WhatsAppFrom { get; set; } = "";

    /// <summary>Sends through a Messaging Service instead of <see cref="From"/> when set.</summary>
    public string MessagingServiceSid { get; set; } = "";

    /// <summary>Where Twilio reports delivery; empty means PublicBaseUrl + /twilio/status, or no callbacks without one.</summary>
    public string StatusCallbackUrl { get; set; } = "";

    /// <summary>How many SMS segments a second one sender may send: 100 suits a short code, 1 a long code (Twilio's rates).</summary>
    public double SegmentsPerSecond { get; set; } = 100;

    public string StatusCallback() =>
        StatusCallbackUrl.Length > 0 ? StatusCallbackUrl
        : PublicBaseUrl.Length > 0 ? PublicBaseUrl.TrimEnd('/') + "/twilio/status"
        : "";

    /// <summary>
    /// Whether the gateway sends through Twilio's Messages API: in Rest mode, and in TwiML mode too
    /// once an account is set, for what is not a reply (notices, offers, answers to tickets).
    /// </summary>
    public bool Sends => ReplyMode == ReplyMode.Rest || AccountSid.Length > 0;

    /// <summary>
    /// Why the gateway cannot send of its own accord (notices, offers, answers to tickets), or null
    /// when it can: such a message answers nothing, so its sender cannot be the number the
    /// subscriber texted, and must be set.
    /// </summary>
    public string? OwnMessagesProblem() =>
        !Sends ? "sending notices, offers and answers needs Twilio:AccountSid and Twilio:AuthToken (Twilio's Messages API)"
        : From.Length == 0 && MessagingServiceSid.Length == 0 ? "sending notices, offers and answers needs Twilio:From or Twilio:MessagingServiceSid"
        : null;

    /// <summary>Says what is missing or wrong for sending through the Messages API, or null when messages can go.</summary>
    public string? RestProblem()
    {
        if (!Sends) return null;
        if (SegmentsPerSecond is < 0.01 or > 10_000) return "Twilio:SegmentsPerSecond must be from 0.01 to 10000";
        if (AccountSid.Length == 0) return "Twilio:AccountSid is needed for Twilio:ReplyMode=Rest";
        if (AuthToken.Length == 0) return "Twilio:AuthToken is needed to send through Twilio's Messages API (Twilio:ReplyMode=Rest or Twilio:AccountSid set)";
        if (!Uri.TryCreate(ApiBaseUrl, UriKind.Absolute, out var api) || api.Scheme is not ("http" or "https"))
            return "Twilio:ApiBaseUrl must be an http(s) URL, e.g. https://api.twilio.com";
        if (StatusCallback() is { Length: > 0 } callback && !Uri.TryCreate(callback, UriKind.Absolute, out _))
            return "Twilio:StatusCallbackUrl must be an absolute URL";
        if (WhatsAppFrom.Length > 0 && !IsWhatsAppNumber(WhatsAppFrom))
            return "Twilio:WhatsAppFrom must be a WhatsApp sender written whatsapp:+<number>, e.g. whatsapp:+14155238886";
        return null;
    }

    // What Twilio takes as a WhatsApp From: the prefix, then an E.164 number (up to 15 digits).
    private static bool IsWhatsAppNumber(string address) =>
        address.StartsWith("whatsapp:+", StringComparison.Ordinal)
        && address["whatsapp:+".Length..] is { Length: >= 2 and <= 15 } digits && digits.All(char.IsAsciiDigit);
}
