using System.Globalization;

namespace SmsHall.Core.Accounts;

/// <summary>A calendar month, the unit bills are issued for. Prints as YYYY-MM.</summary>
public readonly record struct YearMonth(int Year, int Month)
{
    public static YearMonth Of(DateOnly date) => new(date.Year, date.Month);

    public YearMonth AddMonths(int months)
    {
        var index = Year * 12 + (Month - 1) + months;
        return new YearMonth(index / 12, index % 12 + 1);
    }

    public DateOnly FirstDay => new(Year, Month, 1);

    public override string ToString() => $"{Year:D4}-{Month:D2}";

    public static YearMonth Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException($"'{text}' is not a YYYY-MM month.");

    public static bool TryParse(string? text, out YearMonth value)
    {
        value = default;
        if (text is not { Length: 7 } || text[4] != '-') return false;
        if (!int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var y)) return false;
        if (!int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m)) return false;
        if (m is < 1 or > 12) return false;
        value = new YearMonth(y, m);
        return true;
    }
}
