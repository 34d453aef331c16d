namespace SmsHall.Twilio;

/// <summary>Section "Twilio" of appsettings.json.</summary>
public sealed class TwilioOptions
{
    public string AccountSid { get; set; } = "";

    /// <summary>Signs Twilio's webhooks; required while <see cref="ValidateSignature"/> is on.</summary>
    public string AuthToken { get; set; } = "";

    /// <summary>Only ever switched off by an explicit setting, for local experiments.</summary>
    public bool ValidateSignature { get; set; } = true;

    /// <summary>The base URL Twilio calls (e.g. https://sms.example.com) when a proxy sits in front of the gateway.</summary>
    public string PublicBaseUrl { get; set; } = "";
}
