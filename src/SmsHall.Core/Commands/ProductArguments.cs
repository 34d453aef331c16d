using System.Globalization;
using SmsHall.Core.Accounts;
using SmsHall.Core.Grammar;

namespace SmsHall.Core.Commands;

/// <summary>What BUY and REDEEM name, and what their offers remember.</summary>
public static class ProductArguments
{
    /// <summary>
    /// The size the words name ("1 go" is 1GB), or the code of one on offer (upper case); with no
    /// codes known (<c>smshall parse</c> without a database), a code-like word: letters and digits,
    /// one of them a digit. Null when the words name neither.
    /// </summary>
    public static string? Read(Arguments arguments, IReadOnlySet<string> codes)
    {
        if (DataSizes.TryRead(arguments.Words, out var megabytes)) return DataSizes.Name(megabytes);
        if (arguments.Words is not [var word]) return null;
        var known = codes.Count > 0
            ? codes.Contains(word)
            : word.Length <= 12 && word.All(char.IsAsciiLetterOrDigit) && word.Any(char.IsAsciiDigit);
        return known ? word.ToUpperInvariant() : null;
    }

    /// <summary>An offer's argument: the code and what it was offered for ("P1G 500"), so YES never pays or spends another amount.</summary>
    public static string Offer(string code, long amount) => $"{code} {amount.ToString(CultureInfo.InvariantCulture)}";

    public static (string Code, long Amount) Of(PendingAction offer)
    {
        var parts = offer.Argument.Split(' ');
        return (parts[0], long.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
