using SmsHall.Core.Accounts;
using SmsHall.Core.Grammar;

namespace SmsHall.Core.Tests;

public class GrammarTests
{
    private static readonly DateOnly Today = new(2026, 11, 22);

    private static Understanding Understand(string text) => Repo.Understand(text, Today);

    [Theory]
    [InlineData("BALANCE", "balance")]
    [InlineData("USAGE", "usage")]
    [InlineData("BILL", "bill")]
    [InlineData("PLAN", "plan")]
    [InlineData("PLANS", "plan")]
    [InlineData("YES", "confirm")]
    [InlineData("CONFIRM", "confirm")]
    [InlineData("NO", "cancel")]
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

    [Theory]
    [InlineData("BAL", "balance")]
    [InlineData("CXYE", "balance")]
    [InlineData("CXZD", "bill")]
    [InlineData("CXTC", "plan")]
    [InlineData("CXLL", "usage")]
    [InlineData("Y", "confirm")]
    [InlineData("N", "cancel")]
    [InlineData("TD", "stop")]
    public void AliasesAreReportedAsAliasesAndSayNothingAboutLanguage(string text, string command)
    {
        var u = Understand(text);
        Assert.Equal(command, u.Command.Name);
        Assert.Equal(MatchKind.Alias, u.Match);
        Assert.Empty(u.Languages);
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
            Assert.IsType<Command.Bill>(Repo.Understand("bill " + text, today).Command).Period!.Value;
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
    [InlineData("lang french", "fr")]
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
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("!!!")]
    [InlineData("😀")]
    [InlineData("x")]
    public void WhatIsNotACommandIsUnknownWithoutSuggestions(string text)
    {
        var u = Understand(text);
        Assert.IsType<Command.Unknown>(u.Command);
        Assert.Equal(MatchKind.None, u.Match);
        Assert.Empty(u.Suggestions);
    }

    [Theory]
    [InlineData("bal shop", "balance")]
    [InlineData("bill 13", "bill")]
    [InlineData("bill someday", "bill")]
    [InlineData("plan gold silver", "plan")]
    [InlineData("lang french english", "lang")]
    [InlineData("topup 12", "topup")]
    [InlineData("change plan to gold 5", "plan.change")]
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
        Assert.Equal(["en"], u.Languages);
    }
}

/// <summary>The forgiving parts of the grammar: typos, glued arguments, several requests, languages, safety.</summary>
public class ForgivingGrammarTests
{
    private static readonly DateOnly Today = new(2026, 11, 22);

    private static Understanding Understand(string text) => Repo.Understand(text, Today);

    [Theory]
    [InlineData("blance", "balance", "balance", 1)]
    [InlineData("ballance", "balance", "balance", 1)]
    [InlineData("balanec", "balance", "balance", 1)]
    [InlineData("biil", "bill", "bill", 1)]
    [InlineData("usge", "usage", "usage", 1)]
    [InlineData("invoce", "bill", "invoice", 1)]
    [InlineData("solfe", "balance", "solde", 1)]
    public void ATypoInALongerKeywordIsAFuzzyMatchThatSaysHowFar(string text, string command, string keyword, int distance)
    {
        var u = Understand(text);
        Assert.Equal(command, u.Command.Name);
        Assert.Equal(MatchKind.Fuzzy, u.Match);
        Assert.Equal(keyword, u.Keyword);
        Assert.Equal(distance, u.Distance);
    }

    [Fact]
    public void AMistypedPlanNameIsReadAsTheClosestPlan()
    {
        var u = Understand("plan gld");
        Assert.Equal("GOLD", Assert.IsType<Command.PlanChange>(u.Command).PlanCode);
        Assert.Equal(MatchKind.Fuzzy, u.Match);
    }

    [Theory]
    [InlineData("bil", new[] { "bill" })]
    [InlineData("now", new string[0])]
    [InlineData("bat", new string[0])] // a real word: not a slip of BAL
    [InlineData("yess", new string[0])] // YES, NO, STOP and START are never suggested
    [InlineData("stpo", new string[0])]
    public void ShortWordsAndYesNoStopWordsAreNeverStretchedIntoACommand(string text, string[] suggestions)
    {
        var u = Understand(text);
        Assert.IsType<Command.Unknown>(u.Command);
        Assert.Equal(suggestions, u.Suggestions);
    }

    [Theory]
    [InlineData("bill10", "bill", "2026-10")]
    [InlineData("BILLOCT", "bill", "2026-10")]
    [InlineData("plangold", "plan.change", "GOLD")]
    [InlineData("账单10月", "bill", "2026-10")]
    public void AnArgumentGluedToItsKeywordIsRead(string text, string command, string argument)
    {
        var u = Understand(text);
        Assert.Equal(command, u.Command.Name);
        Assert.Equal(argument, u.Command.Args.Values.Single());
    }

    [Theory]
    [InlineData("planet")]
    [InlineData("billing")]
    [InlineData("stopwatch")]
    public void AWordThatOnlyStartsWithAKeywordIsNotThatKeyword(string text)
    {
        Assert.IsType<Command.Unknown>(Understand(text).Command);
    }

    [Theory]
    [InlineData("STOP", "stop")]
    [InlineData("stop!!!", "stop")]
    [InlineData("退订", "stop")]
    [InlineData("START", "start")]
    public void OptOutWordsCountAsTheWholeMessage(string text, string command)
    {
        Assert.Equal(command, Understand(text).Command.Name);
    }

    [Theory]
    [InlineData("stop please")]
    [InlineData("stop by the shop")]
    [InlineData("please stop")]
    [InlineData("start bal")]
    public void OptOutWordsWithAnythingElseAreNotAnOptOut(string text)
    {
        Assert.IsType<Command.Unknown>(Understand(text).Command);
    }

    [Theory]
    [InlineData("BAL BILL", "balance+bill")]
    [InlineData("查余额和账单", "balance+bill")]
    [InlineData("solde et facture", "balance+bill")]
    [InlineData("usage and plan please", "usage+plan")]
    [InlineData("bal bal", "balance")]
    public void TwoReadOnlyRequestsInOneMessageAreBothTaken(string text, string command)
    {
        Assert.Equal(command, Understand(text).Command.Name);
    }

    [Theory]
    [InlineData("yes bal", new[] { "balance" })]
    [InlineData("bal plan gold", new[] { "balance", "plan" })]
    [InlineData("help stop", new[] { "help" })]
    public void ARequestThatChangesSomethingIsNeverCombinedWithAnother(string text, string[] suggestions)
    {
        var u = Understand(text);
        Assert.IsType<Command.Unknown>(u.Command);
        Assert.Equal(suggestions, u.Suggestions);
    }

    [Theory]
    [InlineData("solde", "fr")]
    [InlineData("余额", "zh")]
    [InlineData("餘額", "zh")]
    [InlineData("موجودی", "fa")]
    [InlineData("balance", "en")]
    public void AKeywordSaysWhichLanguageItIsIn(string text, string language)
    {
        Assert.Equal([language], Understand(text).Languages);
    }

    [Theory]
    [InlineData("ok")]
    [InlineData("cxye")]
    public void SharedWordsAndAliasesLeaveTheLanguageToTheSubscriber(string text)
    {
        var u = Understand(text);
        Assert.True(u.Languages.Count != 1, $"'{text}' was taken as {string.Join(",", u.Languages)} only");
    }

    [Theory]
    [InlineData("十月账单", "2026-10")]
    [InlineData("上个月账单", "2026-10")]
    [InlineData("facture octobre", "2026-10")]
    [InlineData("facture du mois dernier", "2026-10")]
    [InlineData("قبض ماه قبل", "2026-10")]
    [InlineData("قبض اکتبر", "2026-10")]
    [InlineData("bill 2026年10月", "2026-10")]
    [InlineData("facture décembre", "2025-12")]
    public void MonthsAreReadInEveryLanguage(string text, string period)
    {
        Assert.Equal(period, Assert.IsType<Command.Bill>(Understand(text).Command).Period?.ToString());
    }

    [Theory]
    [InlineData("switch to gold plan", "GOLD")]
    [InlineData("办理GOLD套餐", "GOLD")]
    [InlineData("gold plan please", "GOLD")]
    public void APlanWordAroundAPlanChangeOnlyNamesWhatChanges(string text, string plan)
    {
        Assert.Equal(plan, Assert.IsType<Command.PlanChange>(Understand(text).Command).PlanCode);
    }
}

/// <summary>Messages found in review that once broke or were misread.</summary>
public class GrammarEdgeTests
{
    private static readonly DateOnly Today = new(2026, 11, 22);

    private static Understanding Understand(string text) => Repo.Understand(text, Today);

    [Theory]
    [InlineData("bill oct bill sep")]
    [InlineData("facture octobre et facture septembre")]
    public void TheSameRequestTwiceWithDifferentArgumentsIsNotUnderstood(string text)
    {
        var u = Understand(text);
        Assert.IsType<Command.Unknown>(u.Command);
        Assert.Empty(u.Command.Args);
    }

    [Theory]
    [InlineData("change my plan to gold", "GOLD")]
    [InlineData("upgrade my plan to silver", "SILVER")]
    [InlineData("switch my plan to family please", "FAMILY")]
    public void FillerInsideAKeywordPhraseDoesNotBreakIt(string text, string plan)
    {
        Assert.Equal(plan, Assert.IsType<Command.PlanChange>(Understand(text).Command).PlanCode);
    }

    [Theory]
    [InlineData("TOPUP")]
    [InlineData("充值")]
    [InlineData("recharger")]
    public void TopUpWithoutAVoucherIsStillTopUp(string text)
    {
        Assert.Null(Assert.IsType<Command.TopUp>(Understand(text).Command).Voucher);
    }

    [Theory]
    [InlineData("\uD83D")]
    [InlineData("bal\uDC00")]
    [InlineData("\uDC00\uD800bill")]
    public void BrokenUtf16IsReadNotThrown(string text)
    {
        var u = Understand(text);
        Assert.NotNull(u.Command);
    }

    [Theory]
    [InlineData("؟", "help")]
    [InlineData("？", "help")]
    [InlineData("麻煩查一下餘額", "balance")]
    [InlineData("帐单", "bill")]
    public void QuestionMarksAndChineseVariantsAreUnderstood(string text, string command)
    {
        Assert.Equal(command, Understand(text).Command.Name);
    }
}
