using SmsHall.Core.Accounts;
using SmsHall.Core.Grammar;

namespace SmsHall.Core.Tests;

public class GrammarTests
{
    private static readonly DateOnly Today = new(2026, 11, 22);

    private static Understanding Understand(string text) => CommandGrammar.Understand(text, Repo.Catalogue, Today);

    [Theory]
    [InlineData("BAL", "balance")]
    [InlineData("BALANCE", "balance")]
    [InlineData("USAGE", "usage")]
    [InlineData("BILL", "bill")]
    [InlineData("PLAN", "plan")]
    [InlineData("PLANS", "plan")]
    [InlineData("YES", "confirm")]
    [InlineData("Y", "confirm")]
    [InlineData("CONFIRM", "confirm")]
    [InlineData("NO", "cancel")]
    [InlineData("N", "cancel")]
    [InlineData("HELP", "help")]
    [InlineData("?", "help")]
    [InlineData("??", "help")]
    [InlineData("STOP", "stop")]
    [InlineData("START", "start")]
    public void EveryKeywordNamesItsCommand(string text, string command)
    {
        var u = Understand(text);
        Assert.Equal(command, u.Command.Name);
        Assert.Equal(MatchKind.Exact, u.Match);
        Assert.Empty(u.Suggestions);
    }

    // Case, repeated spaces, leading and trailing spaces and punctuation never matter.
    [Theory]
    [InlineData("bal", "balance")]
    [InlineData("Bal", "balance")]
    [InlineData("bAl", "balance")]
    [InlineData("  bal", "balance")]
    [InlineData("bal   ", "balance")]
    [InlineData("\tBAL\n", "balance")]
    [InlineData("bal.", "balance")]
    [InlineData("BAL!!!", "balance")]
    [InlineData("bal?", "balance")]
    [InlineData("#BAL", "balance")]
    [InlineData("*bal#", "balance")]
    [InlineData("\"bal\"", "balance")]
    [InlineData("(balance)", "balance")]
    [InlineData("Balance,", "balance")]
    [InlineData("usage.", "usage")]
    [InlineData("UsAgE !", "usage")]
    [InlineData("bill!", "bill")]
    [InlineData("  Bill  ", "bill")]
    [InlineData("plan...", "plan")]
    [InlineData("Plan:", "plan")]
    [InlineData("yes!", "confirm")]
    [InlineData("Yes.", "confirm")]
    [InlineData("y", "confirm")]
    [InlineData("YES!!", "confirm")]
    [InlineData("no.", "cancel")]
    [InlineData("No!", "cancel")]
    [InlineData("n", "cancel")]
    [InlineData("help!", "help")]
    [InlineData("Help?", "help")]
    [InlineData(" ? ", "help")]
    [InlineData("stop.", "stop")]
    [InlineData("Start!", "start")]
    [InlineData("ＢＡＬ", "balance")]
    [InlineData("bal\u200d", "balance")]
    public void CaseSpacingAndPunctuationDoNotMatter(string text, string command)
    {
        Assert.Equal(command, Understand(text).Command.Name);
    }

    [Theory]
    [InlineData("BILL 10", "2026-10")]
    [InlineData("bill 1", "2026-01")]
    [InlineData("BILL 11", "2026-11")]
    [InlineData("BILL 12", "2025-12")]
    [InlineData("BILL OCT", "2026-10")]
    [InlineData("bill october", "2026-10")]
    [InlineData("BILL DEC", "2025-12")]
    [InlineData("bill sept", "2026-09")]
    [InlineData("BILL 2026-10", "2026-10")]
    [InlineData("BILL 2025-3", "2025-03")]
    [InlineData("BILL 10/2026", "2026-10")]
    [InlineData("bill 2026/10", "2026-10")]
    [InlineData("bill oct 2025", "2025-10")]
    [InlineData("BILL LAST", "2026-10")]
    [InlineData("bill last month", "2026-10")]
    [InlineData("  BILL    OCT. ", "2026-10")]
    [InlineData("Bill Oct!", "2026-10")]
    [InlineData("ＢＩＬＬ　１０", "2026-10")]
    public void BillReadsTheMonthInEveryForm(string text, string period)
    {
        var u = Understand(text);
        var bill = Assert.IsType<Command.Bill>(u.Command);
        Assert.Equal(period, bill.Period?.ToString());
    }

    [Fact]
    public void BillWithoutAMonthMeansTheLatest()
    {
        Assert.Null(Assert.IsType<Command.Bill>(Understand("bill").Command).Period);
    }

    [Fact]
    public void AMonthNameIsItsLatestOccurrenceNotAfterToday()
    {
        Assert.Equal(new YearMonth(2025, 12), Resolve("dec", new DateOnly(2026, 11, 22)));
        Assert.Equal(new YearMonth(2026, 11), Resolve("nov", new DateOnly(2026, 11, 1)));
        Assert.Equal(new YearMonth(2026, 1), Resolve("jan", new DateOnly(2026, 1, 31)));
        Assert.Equal(new YearMonth(2025, 12), Resolve("last", new DateOnly(2026, 1, 5)));

        static YearMonth Resolve(string text, DateOnly today) =>
            Assert.IsType<Command.Bill>(CommandGrammar.Understand("bill " + text, Repo.Catalogue, today).Command).Period!.Value;
    }

    [Theory]
    [InlineData("PLAN GOLD", "GOLD")]
    [InlineData("plan gold", "GOLD")]
    [InlineData("Plan Silver!", "SILVER")]
    [InlineData("plan to family", "FAMILY")]
    [InlineData("CHANGE PLAN TO GOLD", "GOLD")]
    [InlineData("change plan gold", "GOLD")]
    [InlineData("Change   to  BASIC.", "BASIC")]
    public void PlanWithANameAsksForAChange(string text, string plan)
    {
        var change = Assert.IsType<Command.PlanChange>(Understand(text).Command);
        Assert.Equal(plan, change.PlanCode);
    }

    [Theory]
    [InlineData("LANG FR", "fr")]
    [InlineData("language en", "en")]
    public void LangNamesALanguage(string text, string lang)
    {
        Assert.Equal(lang, Assert.IsType<Command.Lang>(Understand(text).Command).Language);
    }

    [Theory]
    [InlineData("TOPUP 1234567890", "1234567890")]
    [InlineData("topup 1234-5678-90ab", "1234567890AB")]
    [InlineData("top up 1234 5678", "12345678")]
    [InlineData("recharge ab12cd34", "AB12CD34")]
    public void TopUpReadsTheVoucher(string text, string voucher)
    {
        Assert.Equal(voucher, Assert.IsType<Command.TopUp>(Understand(text).Command).Voucher);
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("!!!")]
    [InlineData("😀")]
    [InlineData("balancing act")]
    [InlineData("x")]
    public void WhatIsNotACommandIsUnknownWithoutSuggestions(string text)
    {
        var u = Understand(text);
        Assert.IsType<Command.Unknown>(u.Command);
        Assert.Equal(MatchKind.None, u.Match);
        Assert.Empty(u.Suggestions);
    }

    [Theory]
    [InlineData("bal now", "balance")]
    [InlineData("bill 13", "bill")]
    [InlineData("bill someday", "bill")]
    [InlineData("plan gold silver", "plan")]
    [InlineData("lang french", "lang")]
    [InlineData("topup 12", "topup")]
    [InlineData("yes please do it", "confirm")]
    [InlineData("change plan", "plan.change")]
    [InlineData("plan abcdefghijklmnopqrstuvwxyz", "plan")]
    public void AKeywordWithArgumentsThatDoNotReadSuggestsThatCommand(string text, string suggestion)
    {
        var u = Understand(text);
        Assert.IsType<Command.Unknown>(u.Command);
        Assert.Equal([suggestion], u.Suggestions);
    }

    [Fact]
    public void TheTraceNamesTheKeywordAndNormalisedText()
    {
        var u = Understand("  CHANGE Plan to Gold!! ");
        Assert.Equal("change plan to", u.Keyword);
        Assert.Equal("change plan to gold", u.Normalised);
        Assert.Equal("en", u.Language);
    }
}
