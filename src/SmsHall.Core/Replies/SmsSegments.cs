namespace SmsHall.Core.Replies;

public enum SmsEncoding
{
    Gsm7,
    Ucs2,
}

/// <summary>
/// Counts SMS segments as a phone network does (3GPP TS 23.038): GSM-7 when every character is in
/// the default alphabet or its extension table (extension characters take two septets), 160
/// septets in one segment or 153 per segment when concatenated; otherwise UCS-2, 70 UTF-16 units
/// in one segment or 67 per segment.
/// </summary>
public static class SmsSegments
{
    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    private const string Extension = "^{}\\[~]|€\f";

    private static readonly HashSet<char> BasicSet = [.. Basic];
    private static readonly HashSet<char> ExtensionSet = [.. Extension];

    public static bool IsGsm7(string text)
    {
        foreach (var c in text)
        {
            if (!BasicSet.Contains(c) && !ExtensionSet.Contains(c)) return false;
        }
        return true;
    }

    public static (SmsEncoding Encoding, int Segments) Count(string text)
    {
        var septets = 0;
        foreach (var c in text)
        {
            if (BasicSet.Contains(c)) septets += 1;
            else if (ExtensionSet.Contains(c)) septets += 2;
            else return (SmsEncoding.Ucs2, SegmentsFor(text.Length, 70, 67));
        }
        return (SmsEncoding.Gsm7, SegmentsFor(septets, 160, 153));
    }

    private static int SegmentsFor(int units, int single, int perPart) =>
        units == 0 ? 1 : units <= single ? 1 : (units + perPart - 1) / perPart;
}
