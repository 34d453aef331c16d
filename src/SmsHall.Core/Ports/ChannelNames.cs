namespace SmsHall.Core.Ports;

/// <summary>How a channel is written in storage and in log exports.</summary>
public static class ChannelNames
{
    public const string Sms = "sms";
    public const string WhatsApp = "whatsapp";

    public static string Write(Channel channel) => channel == Channel.WhatsApp ? WhatsApp : Sms;

    /// <summary>The channel a name stands for; null for a name that is none.</summary>
    public static Channel? Read(string name) => name switch
    {
        Sms => Channel.Sms,
        WhatsApp => Channel.WhatsApp,
        _ => null,
    };
}
