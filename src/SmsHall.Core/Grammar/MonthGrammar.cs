using SmsHall.Core.Accounts;
using Sprache;

namespace SmsHall.Core.Grammar;

/// <summary>
/// How a subscriber names a month: <c>10</c>, <c>oct</c>, <c>october</c>, <c>oct 2026</c>,
/// <c>2026-10</c>, <c>10/2026</c>, <c>last</c>. A month without a year means its latest occurrence
/// not after today, so in November 2026 "dec" is December 2025.
/// </summary>
public static class MonthGrammar
{
    private static readonly string[] Names =
        ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

    private static readonly Parser<int> Year =
        Parse.Digit.Repeat(4).Text().Select(int.Parse).Named("a year");

    private static readonly Parser<int> MonthNumber =
        Parse.Digit.Repeat(1, 2).Text().Select(int.Parse).Where(m => m is >= 1 and <= 12).Named("a month number");

    private static readonly Parser<int> MonthName =
        Parse.Letter.AtLeastOnce().Text().Select(NameToMonth).Where(m => m > 0).Named("a month name");

    private static readonly Parser<char> Separator = Parse.Chars('-', '/');

    private static readonly Parser<Func<DateOnly, YearMonth>> YearThenMonth =
        from y in Year
        from s in Separator
        from m in MonthNumber
        select Fixed(y, m);

    private static readonly Parser<Func<DateOnly, YearMonth>> MonthThenYear =
        from m in MonthNumber
        from s in Separator
        from y in Year
        select Fixed(y, m);

    private static readonly Parser<Func<DateOnly, YearMonth>> NameAndYear =
        from m in MonthName
        from s in Parse.Char(' ')
        from y in Year
        select Fixed(y, m);

    private static readonly Parser<Func<DateOnly, YearMonth>> MonthAlone =
        MonthName.Or(MonthNumber).Select(m => (Func<DateOnly, YearMonth>)(today => LatestNotAfter(m, today)));

    private static readonly Parser<Func<DateOnly, YearMonth>> LastMonth =
        from last in Parse.String("last").Or(Parse.String("previous"))
        from month in Parse.String(" month").Optional()
        select (Func<DateOnly, YearMonth>)(today => YearMonth.Of(today).AddMonths(-1));

    /// <summary>The whole argument of BILL: one month in any of the forms above, and nothing else.</summary>
    public static readonly Parser<Func<DateOnly, YearMonth>> Month =
        YearThenMonth.Or(MonthThenYear).Or(NameAndYear).Or(LastMonth).Or(MonthAlone).End();

    public static bool TryResolve(string normalised, DateOnly today, out YearMonth month)
    {
        var result = Month.TryParse(normalised);
        month = result.WasSuccessful ? result.Value(today) : default;
        return result.WasSuccessful;
    }

    private static Func<DateOnly, YearMonth> Fixed(int year, int month) => _ => new YearMonth(year, month);

    private static YearMonth LatestNotAfter(int month, DateOnly today) =>
        new(month <= today.Month ? today.Year : today.Year - 1, month);

    // Full names and any prefix of at least three letters: "oct", "octo", "sept".
    private static int NameToMonth(string word)
    {
        if (word.Length < 3) return 0;
        for (var i = 0; i < Names.Length; i++)
        {
            if (Names[i].StartsWith(word, StringComparison.Ordinal)) return i + 1;
        }
        return 0;
    }
}
