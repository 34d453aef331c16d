using SmsHall.Core.Accounts;
using SmsHall.Core.Catalogue;
using SmsHall.Core.Commands.Recommend;
using SmsHall.Core.Grammar;
using SmsHall.Core.Ports;

namespace SmsHall.Core.Tests;

/// <summary>
/// The rules behind the self-service commands: words shared by commands and the rule that parts them,
/// sizes of data in four languages, and the plan advice, which never names a plan that would not
/// have covered the usage.
/// </summary>
public class SelfServiceRulesTests
{
    private static readonly DateOnly Today = new(2026, 11, 22);

    private static Understanding Understand(string text) => Repo.Understand(text, Today);

    [Theory]
    [InlineData("cancel", "cancel")]        // alone: NO to an offer, or the opt-out
    [InlineData("CANCEL 2", "services.cancel")]
    [InlineData("td", "stop")]
    [InlineData("TD 2", "services.cancel")]
    [InlineData("取消", "cancel")]
    [InlineData("取消彩铃", "services.cancel")]
    [InlineData("退订", "stop")]
    [InlineData("退订彩铃", "services.cancel")]
    [InlineData("annuler", "cancel")]
    [InlineData("annuler 1", "services.cancel")]
    [InlineData("لغو", "cancel")]
    [InlineData("لغو 2", "services.cancel")]
    [InlineData("cancel my appointment", "unknown")] // no extra of theirs: neither a cancellation nor NO
    [InlineData("no 2", "unknown")]                  // NO is no word of services.cancel
    [InlineData("stop 2", "unknown")]
    public void ASharedWordMeansServicesCancelOnlyWithWhatItCancels(string text, string command) =>
        Assert.Equal(command, Understand(text).Command.Name);

    [Fact]
    public void TheShippedCatalogueDeclaresARuleForEveryWordItShares()
    {
        var lexicon = Repo.Catalogue.Lexicon;
        Assert.True(lexicon.TryKeyword("cancel", out var cancel));
        Assert.Equal(("cancel", true, "services.cancel"), (cancel.Command, cancel.OrOptOut, cancel.WithArgument));
        Assert.True(lexicon.TryKeyword("td", out var td));
        Assert.Equal(("stop", false, "services.cancel"), (td.Command, td.OrOptOut, td.WithArgument));
        Assert.True(lexicon.TryKeyword("no", out var no));
        Assert.Null(no.WithArgument);
    }

    private static string Catalogue(string shared, string cancelWords = "CANCEL", string extraWords = "CANCEL") =>
        File.ReadAllText(Repo.CommandsMd)
            .Replace("- rule waiting: cancel, stop\n- rule argument: cancel, services.cancel\n- rule argument: stop, services.cancel\n", shared)
            .Replace("- en keywords: NO, CANCEL, NOPE", $"- en keywords: NO, {cancelWords}, NOPE")
            .Replace("- en keywords: CANCEL, CANCEL SERVICE, UNSUBSCRIBE", $"- en keywords: {extraWords}, CANCEL SERVICE, UNSUBSCRIBE");

    [Fact]
    public void AWordOfTwoCommandsWithoutARuleIsAnErrorAtBothLines()
    {
        var text = Catalogue("- rule argument: cancel, services.cancel\n- rule argument: stop, services.cancel\n");
        var (catalogue, problems) = CommandCatalogue.Check("commands.md", text);
        Assert.Null(catalogue);
        var errors = problems.Where(p => p.Message.StartsWith("'CANCEL' is claimed by both 'cancel'", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Contains("only with a rule for them in the shared section", e.Message));
    }

    [Fact]
    public void WithARuleTheWordIsShared()
    {
        var catalogue = CommandCatalogue.Parse("commands.md", Catalogue(
            "- rule waiting: cancel, stop\n- rule argument: cancel, services.cancel\n- rule argument: stop, services.cancel\n"));
        Assert.True(catalogue.Lexicon.TryKeyword("cancel", out var cancel));
        Assert.True(cancel.OrOptOut);
    }

    [Theory]
    [InlineData("- rule sometimes: cancel, stop\n", "a rule has a name, one of 'waiting', 'argument'")]
    [InlineData("- rule waiting: cancel\n", "rule 'waiting' names two commands")]
    [InlineData("- rule waiting: cancel, nothing\n", "rule 'waiting': 'nothing' is not a command anyone can ask for")]
    [InlineData("- rule waiting: stop, cancel\n", "the first must be an answer (cancel) and the second an opt-out (stop)")]
    [InlineData("- rule argument: cancel, confirm\n", "'confirm' takes no argument")]
    [InlineData("- rule waiting: cancel, stop\n- rule waiting: cancel, stop\n", "'cancel' and 'stop' already have a rule")]
    [InlineData("- en rule waiting: cancel, stop\n", "a rule has no language")]
    [InlineData("- en keywords: SHARED\n", "the shared section holds only '- rule <name>: <command>, <command>' lines")]
    public void AMalformedRuleIsNamedAtItsLine(string shared, string message)
    {
        var text = Catalogue(shared + "- rule waiting: cancel, stop\n- rule argument: cancel, services.cancel\n- rule argument: stop, services.cancel\n");
        var problems = CommandCatalogue.Check("commands.md", text).Problems;
        Assert.Contains(problems, p => p.Message.Contains(message) && p.Line == LineOf(text, shared.Split('\n')[0]));
    }

    [Fact]
    public void ARuleLineOutsideTheSharedSectionIsAnError()
    {
        var text = File.ReadAllText(Repo.CommandsMd).Replace("- en keywords: USAGE, DATA, USED", "- en keywords: USAGE, DATA, USED\n- rule waiting: cancel, stop");
        Assert.Contains(CommandCatalogue.Check("commands.md", text).Problems, p => p.Message == "'rule' lines belong in the shared section");
    }

    private static int LineOf(string text, string fragment) =>
        text.Split('\n').Select((line, i) => (line, i)).Last(x => x.line == fragment).i + 1;

    [Theory]
    [InlineData("1gb", 1024)]
    [InlineData("1 gb", 1024)]
    [InlineData("1 go", 1024)]
    [InlineData("500 mo", 500)]
    [InlineData("500mb", 500)]
    [InlineData("giga", 1024)]      // "un giga": "un" is filler
    [InlineData("two gigs", 2048)]
    [InlineData("五百兆", 500)]
    [InlineData("一个g", 1024)]
    [InlineData("二十g", 20480)]
    [InlineData("یک گیگ", 1024)]
    [InlineData("۵۰۰ مگ", 500)]
    public void DataSizesReadInEveryLanguage(string written, int megabytes)
    {
        var words = Repo.Catalogue.Lexicon.Tokenise(Text.TextNormaliser.Normalise(written));
        Assert.True(DataSizes.TryRead(words, out var read), written);
        Assert.Equal(megabytes, read);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("gold")]
    [InlineData("0gb")]
    [InlineData("1 gb 2")]
    public void WhatIsNoSizeIsNotRead(string written) =>
        Assert.False(DataSizes.TryRead(written.Split(' '), out _));

    [Fact]
    public void TheAdviceNeverNamesAPlanThatWouldNotHaveCoveredEveryMonthNorMissesACheaperOne()
    {
        var plans = DemoData.Plans;
        var random = new Random(17);
        for (var trial = 0; trial < 2000; trial++)
        {
            var months = Enumerable.Range(0, random.Next(1, 4))
                .Select(m => new MonthUsage(new YearMonth(2026, 8 + m), random.Next(0, 60_000), random.Next(0, 2_500), random.Next(0, 2_500))).ToList();
            var current = plans[random.Next(plans.Count)].Code;
            var advice = PlanAdvice.For(plans, current, months);

            var covering = plans.Where(p => months.All(m => m.DataMb <= p.DataMb && m.Minutes <= p.Minutes && m.Sms <= p.Sms)).ToList();
            if (covering.Count == 0)
            {
                Assert.Null(advice.Best);
                continue;
            }
            Assert.NotNull(advice.Best);
            Assert.Contains(advice.Best, covering);
            Assert.Equal(covering.Min(p => p.MonthlyFeeCents), advice.Best.MonthlyFeeCents);
        }
    }

    [Fact]
    public void WhenTheCurrentPlanIsTheCheapestThatCoversThereIsNothingToAdvise()
    {
        var months = new[] { new MonthUsage(new YearMonth(2026, 10), 4000, 250, 100) };
        var advice = PlanAdvice.For(DemoData.Plans, "SILVER", months);
        Assert.Equal("SILVER", advice.Best!.Code);
        Assert.False(advice.WouldSave);
        Assert.True(PlanAdvice.For(DemoData.Plans, "GOLD", months).WouldSave);
        Assert.False(PlanAdvice.For(DemoData.Plans, "BASIC", months).WouldSave); // SILVER costs more than BASIC: an upgrade, not a saving
    }
}
