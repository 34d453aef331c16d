using System.Globalization;
using SmsHall.Core.Accounts;

namespace SmsHall.Core.Replies;

/// <summary>How values appear inside replies. Dates are ISO (YYYY-MM-DD) because every phone reads them.</summary>
public static class Format
{
    public static string Money(long cents, HallOptions options) =>
        (cents < 0 ? "-" : "") + options.CurrencySymbol +
        (Math.Abs(cents) / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    public static string Value(object value, HallOptions options) => value switch
    {
        Money m => Money(m.Cents, options),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        YearMonth ym => ym.ToString(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
