namespace SmsHall;

/// <summary>
/// Phone numbers as application logs show them: enough to tell two apart in an incident, not enough
/// to text anyone. The message log table keeps them whole for operators.
/// </summary>
public static partial class PhoneMask
{
    /// <summary>A text with every run that may be a phone number masked: Twilio's error texts quote the number.</summary>
    public static string MaskNumbersIn(string? text) => string.IsNullOrEmpty(text) ? "" : NumberRun().Replace(text, m => Mask(m.Value));

    [System.Text.RegularExpressions.GeneratedRegex(@"\+?\d{6,15}")]
    private static partial System.Text.RegularExpressions.Regex NumberRun();

    public static string Mask(string? number)
    {
        if (string.IsNullOrEmpty(number)) return "";
        if (number.Length <= 6) return new string('*', number.Length);
        var head = number.StartsWith('+') ? 3 : 2; // "+15…": the country code and no more
        return number[..head] + new string('*', number.Length - head - 2) + number[^2..];
    }
}
