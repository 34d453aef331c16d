namespace SmsHall;

/// <summary>
/// Phone numbers as application logs show them: enough to tell two apart in an incident, not enough
/// to text anyone. The message log table keeps them whole for operators.
/// </summary>
public static class PhoneMask
{
    public static string Mask(string? number)
    {
        if (string.IsNullOrEmpty(number)) return "";
        if (number.Length <= 6) return new string('*', number.Length);
        var head = number.StartsWith('+') ? 3 : 2; // "+15…": the country code and no more
        return number[..head] + new string('*', number.Length - head - 2) + number[^2..];
    }
}
