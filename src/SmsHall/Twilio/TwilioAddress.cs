using SmsHall.Core;

namespace SmsHall.Twilio;

/// <summary>
/// How Twilio writes who sent a message and to whom: a bare number for SMS, <c>whatsapp:+1555…</c>
/// for WhatsApp. The prefix stays at the edge; past it a message is a number and a channel.
/// </summary>
public static class TwilioAddress
{
    private const string WhatsAppPrefix = "whatsapp:";

    /// <summary>The channel an address names and the number behind it.</summary>
    public static (Channel Channel, string Number) Read(string address) =>
        address.StartsWith(WhatsAppPrefix, StringComparison.OrdinalIgnoreCase)
            ? (Channel.WhatsApp, address[WhatsAppPrefix.Length..].Trim())
            : (Channel.Sms, address);

    /// <summary>A number as Twilio wants it for a channel.</summary>
    public static string Write(Channel channel, string number) =>
        channel == Channel.WhatsApp ? WhatsAppPrefix + number : number;

    public static bool IsWhatsApp(string address) => Read(address).Channel == Channel.WhatsApp;
}
