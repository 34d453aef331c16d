using SmsHall.Core.Catalogue;
using SmsHall.Core.Grammar;
using SmsHall.Core.Replies;

namespace SmsHall.Core.Tests;

public class CatalogueTests
{
    // A minimal valid catalogue: every reply in English under its own section, one keyword for BAL.
    private static string Valid(string extra = "")
    {
        var sections = ReplyKeys.Placeholders.Keys
            .Select(key => (Key: key, Section: CommandCatalogue.KnownSections.Where(n => key == n || key.StartsWith(n + ".")).MaxBy(n => n.Length)!))
            .GroupBy(x => x.Section)
            .Select(g => $"\n## {g.Key}\n" + (g.Key == "balance" ? "\n- en keywords: BAL\n" + extra : "") + string.Concat(g.Select(x =>
                x.Key == g.Key ? $"- en reply: text for {x.Key}\n" : $"- en reply {x.Key[(g.Key.Length + 1)..]}: text for {x.Key}\n")));
        return "# Test catalogue\n" + string.Concat(sections);
    }

    private static IReadOnlyList<CatalogueProblem> Problems(string text)
    {
        var e = Assert.Throws<CatalogueException>(() => CommandCatalogue.Parse("test.md", text));
        return e.Problems;
    }

    private static int LineOf(string text, string fragment) =>
        text.Split('\n').Select((line, i) => (line, i)).First(x => x.line.Contains(fragment)).i + 1;

    [Fact]
    public void TheShippedCatalogueLoadsInFourLanguages()
    {
        var catalogue = CommandCatalogue.Load(Repo.CommandsMd);
        Assert.Equal(["en", "fa", "fr", "zh"], catalogue.Languages);
        Assert.True(catalogue.Lexicon.TryKeyword("bal", out var bal));
        Assert.Equal("balance", bal.Command);
        Assert.True(catalogue.Lexicon.TryKeyword("change plan to", out var change));
        Assert.Equal("plan.change", change.Command);
    }

    [Fact]
    public void AValidCatalogueLoadsAndProseIsIgnored()
    {
        var text = Valid("\nSome prose - with a dash.\n\n```\n- en keywords: NOTAKEYWORD\n```\n");
        var catalogue = CommandCatalogue.Parse("test.md", text);
        Assert.False(catalogue.Lexicon.TryKeyword("notakeyword", out _));
        Assert.Equal("text for balance", catalogue.FindTemplate("balance", "en").Text);
    }

    [Fact]
    public void AliasesAreMatchedAsAliases()
    {
        var catalogue = CommandCatalogue.Parse("test.md", Valid("- en aliases: CXYE\n"));
        Assert.True(catalogue.Lexicon.TryKeyword("cxye", out var entry));
        Assert.Equal(MatchKind.Alias, entry.Match);
    }

    [Fact]
    public void AKeywordClaimedByTwoCommandsIsReportedAtItsLine()
    {
        var text = Valid().Replace("## bill\n", "## bill\n- en keywords: bal\n");
        var problem = Assert.Single(Problems(text), p => p.Line == LineOf(text, "- en keywords: bal"));
        Assert.Contains("claimed by both 'balance'", problem.Message);
    }

    [Fact]
    public void KeywordsThatOnlyDifferInCaseOrPunctuationCollide()
    {
        var text = Valid().Replace("## usage\n", "## usage\n- en keywords: Bal!\n");
        Assert.Single(Problems(text), p => p.Line == LineOf(text, "Bal!"));
    }

    [Fact]
    public void AnUnknownPlaceholderIsReportedWithWhatTheReplyOffers()
    {
        var text = Valid().Replace("- en reply: text for bill\n", "- en reply: Bill {period} is {amount}\n");
        var problem = Assert.Single(Problems(text));
        Assert.Equal(LineOf(text, "{amount}"), problem.Line);
        Assert.Contains("{amount}", problem.Message);
        Assert.Contains("{total}", problem.Message);
    }

    [Fact]
    public void AnUnclosedPlaceholderIsReported()
    {
        var text = Valid().Replace("- en reply: text for bill\n", "- en reply: Bill {period\n");
        Assert.Contains(Problems(text), p => p.Line == LineOf(text, "Bill {period") && p.Message.Contains("placeholder"));
    }

    [Fact]
    public void AMalformedEntryIsReportedAtItsLine()
    {
        var text = Valid("- en keywords BALANCE\n");
        var problem = Assert.Single(Problems(text));
        Assert.Equal(LineOf(text, "- en keywords BALANCE"), problem.Line);
        Assert.Contains("expected", problem.Message);
    }

    [Fact]
    public void AnUnknownSectionIsReported()
    {
        var text = Valid() + "\n## balanse\n- en reply: hi\n";
        Assert.Contains(Problems(text), p => p.Line == LineOf(text, "## balanse") && p.Message.Contains("unknown section"));
    }

    [Fact]
    public void AMisspeltHeadingIsOneErrorThatNamesTheSectionMeantNotOnePerLineBelowIt()
    {
        var text = Valid().Replace("## bill\n", "## bil\n");
        var problems = Problems(text);
        // The heading, and the bill replies now missing: nothing for each of the section's own lines.
        var heading = Assert.Single(problems, p => p.Line == LineOf(text, "## bil"));
        Assert.Contains("unknown section 'bil'", heading.Message);
        Assert.Contains("did you mean 'bill'?", heading.Message);
        Assert.DoesNotContain(problems, p => p.Line > LineOf(text, "## bil") && p.Line < LineOf(text, "## plan"));
    }

    [Fact]
    public void TheUnknownSectionErrorListsEverySectionTheCatalogueMayHave()
    {
        var text = Valid() + "\n## refund\n- en reply: hi\n";
        var message = Assert.Single(Problems(text)).Message;
        foreach (var section in CommandCatalogue.KnownSections) Assert.Contains($"'{section}'", message);
        Assert.Contains("'answer <topic>'", message);
    }

    [Fact]
    public void AnEntryWithoutTheSpaceAfterItsDashIsAnErrorNotProse()
    {
        var text = Valid("-en aliases: MB\n");
        var problem = Assert.Single(Problems(text));
        Assert.Equal(LineOf(text, "-en aliases: MB"), problem.Line);
        Assert.Contains("'- en aliases: …'", problem.Message);
    }

    [Fact]
    public void FullWidthBracesInAReplyAreAnErrorSinceSubscribersWouldSeeThem()
    {
        var text = Valid().Replace("- en reply: text for balance", "- en reply: Your balance is ｛balance｝");
        var problem = Assert.Single(Problems(text));
        Assert.Equal(LineOf(text, "｛balance｝"), problem.Line);
        Assert.Contains("full-width", problem.Message);
        Assert.Contains("{balance}", problem.Message);
    }

    [Fact]
    public void AKeywordClaimedByTwoCommandsIsReportedAtBothLines()
    {
        var text = Valid().Replace("## usage\n", "## usage\n- en keywords: BAL\n");
        var problems = Problems(text);
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Line == LineOf(text, "- en keywords: BAL") && p.Message.Contains("'BAL' is claimed by both"));
        Assert.Contains(problems, p => p.Line == text.Split('\n').Select((l, i) => (l, i)).Last(x => x.l == "- en keywords: BAL").i + 1);
    }

    [Fact]
    public void AMissingReplyIsReported()
    {
        var text = Valid().Replace("- en reply paid: text for bill.paid\n", "");
        var problem = Assert.Single(Problems(text));
        Assert.Equal("reply 'bill.paid' is missing in every language", problem.Message);
        Assert.Equal(LineOf(text, "## bill"), problem.Line);
    }

    [Fact]
    public void AReplyMissingInALanguageIsReportedWhereAnotherLanguageHasIt()
    {
        var text = Valid().Replace("- en reply: text for help\n", "- en reply: text for help\n- fr reply: aide\n");
        var problems = Problems(text);
        Assert.Equal(ReplyKeys.Placeholders.Count - 1, problems.Count);
        Assert.Contains(problems, p => p.Line == LineOf(text, "text for balance") && p.Message == "reply 'balance' has no 'fr' version");
    }

    [Fact]
    public void TheMediaReplyIsRequiredLikeAnyOther()
    {
        var text = Valid().Replace("- en reply: text for media\n", "");
        var problem = Assert.Single(Problems(text));
        Assert.Equal("reply 'media' is missing in every language", problem.Message);
        Assert.Equal(LineOf(text, "## media"), problem.Line);
    }

    [Fact]
    public void TheMediaSectionIsNoCommandSoItHasNoKeywords()
    {
        var text = Valid().Replace("## media\n", "## media\n- en keywords: PHOTO\n");
        var problem = Assert.Single(Problems(text));
        Assert.Equal("section 'media' is not a command anyone can ask for, so it cannot have keywords", problem.Message);
    }

    [Theory]
    [InlineData("en", SmsEncoding.Gsm7)]
    [InlineData("fr", SmsEncoding.Gsm7)]
    [InlineData("zh", SmsEncoding.Ucs2)]
    [InlineData("fa", SmsEncoding.Ucs2)]
    public void TheShippedMediaReplyIsWrittenInEachLanguageAndFitsOneSms(string language, SmsEncoding encoding)
    {
        var template = CommandCatalogue.Load(Repo.CommandsMd).FindTemplate("media", language);
        Assert.Equal(language, template.Language);
        // As written, before any look-alike replacement: English and French need none.
        Assert.Equal((encoding, 1), SmsSegments.Count(template.Text));
    }

    [Fact]
    public void AReplyNoHandlerGivesIsReported()
    {
        var text = Valid().Replace("- en reply: text for bill\n", "- en reply: text for bill\n- en reply overdue: late\n");
        var problem = Assert.Single(Problems(text));
        Assert.Contains("bill.overdue", problem.Message);
    }

    [Fact]
    public void EveryProblemIsReportedNotJustTheFirst()
    {
        // The syntax error, and the collision at both of its lines.
        var text = Valid("- en keywords BALANCE\n").Replace("## usage\n", "## usage\n- en keywords: bal\n");
        Assert.Equal(3, Problems(text).Count);
    }

    [Fact]
    public void AMissingFileIsReportedByName()
    {
        var e = Assert.Throws<CatalogueException>(() => CommandCatalogue.Load("/nonexistent/commands.md"));
        Assert.Equal("/nonexistent/commands.md: error: file not found", e.Problems.Single().ToString());
    }

    [Fact]
    public void KeywordsThatCollideOnceNormalisedSayWhy()
    {
        var text = Valid().Replace("## usage\n", "## usage\n- en keywords: ＢＡＬ\n");
        var problem = Assert.Single(Problems(text), p => p.Line == LineOf(text, "ＢＡＬ"));
        Assert.Contains("the same once case, accents and punctuation are ignored", problem.Message);
    }

    [Fact]
    public void TheSameWordMayMeanTheSameCommandInTwoLanguages()
    {
        var catalogue = CommandCatalogue.Parse("test.md", Valid("- fr keywords: BAL\n"));
        Assert.True(catalogue.Lexicon.TryKeyword("bal", out var bal));
        Assert.Equal(["en", "fr"], bal.Languages);
    }

    [Fact]
    public void FillerThatIsAlsoAKeywordIsReportedAtTheFillerLine()
    {
        var text = Valid() + "\n## filler\n- en words: please, bal\n";
        var problem = Assert.Single(Problems(text));
        Assert.Equal(LineOf(text, "- en words: please, bal"), problem.Line);
        Assert.Contains("filler 'bal' is also a keyword of 'balance'", problem.Message);
    }

    [Fact]
    public void WordsBelongOnlyInTheFillerSection()
    {
        var text = Valid("- en words: please\n");
        var problem = Assert.Single(Problems(text));
        Assert.Equal(LineOf(text, "- en words: please"), problem.Line);
    }

    [Fact]
    public void KeywordsWithinTypoDistanceOfAnotherCommandAreAWarningThatDoesNotFail()
    {
        var text = Valid("- en keywords: DATA\n").Replace("## usage\n", "## usage\n- en keywords: DATE\n");
        var (catalogue, problems) = CommandCatalogue.Check("test.md", text);
        Assert.NotNull(catalogue);
        var warning = Assert.Single(problems);
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Equal(LineOf(text, "DATE"), warning.Line);
        Assert.Contains("1 typing slip from 'data'", warning.Message);
        Assert.Equal([warning], catalogue.Warnings);
    }

    [Fact]
    public void AReplyLongerThanTheSegmentBudgetIsReportedAtItsLine()
    {
        var text = Valid().Replace("- en reply: text for usage\n", $"- en reply: {new string('a', 470)}\n");
        var problem = Assert.Single(Problems(text));
        Assert.Equal(LineOf(text, new string('a', 470)), problem.Line);
        Assert.Contains("4 SMS, over the budget of 3", problem.Message);
    }

    [Fact]
    public void TheLongestRenderingCountsEachPlaceholderAtItsWidest()
    {
        // 120 characters of text fit one SMS; {lines} may add 60 more, which needs a second one.
        var text = Valid().Replace("- en reply: text for bill\n", $"- en reply: {new string('a', 120)} {{lines}}\n");
        Assert.NotNull(CommandCatalogue.Parse("test.md", text, segmentBudget: 2));
        var problem = Assert.Single(Assert.Throws<CatalogueException>(() => CommandCatalogue.Parse("test.md", text, segmentBudget: 1)).Problems);
        Assert.Equal(LineOf(text, "{lines}"), problem.Line);
    }

    [Fact]
    public void HelpMustFitOneSmsInGsmLanguages()
    {
        var text = Valid().Replace("- en reply: text for help\n", $"- en reply: {new string('h', 150)} {{commands}}\n")
            .Replace("- en keywords: BAL\n", "- en keywords: BAL\n- en usage: BAL for your balance\n");
        var problem = Assert.Single(Problems(text));
        Assert.Equal(LineOf(text, new string('h', 150)), problem.Line);
        Assert.Contains("HELP in 'en'", problem.Message);
    }

    [Fact]
    public void AnOperatorAnswerNeedsNoCodeItsKeywordsAndReplyAreEnough()
    {
        var text = Valid() + "\n## answer wifi\n- en keywords: WIFI CALLING, VOWIFI\n- en reply: Call {care} about Wi-Fi calling on {plan}, {name}.\n";
        var catalogue = CommandCatalogue.Parse("test.md", text);
        Assert.True(catalogue.Lexicon.TryKeyword("vowifi", out var entry));
        Assert.Equal("answer wifi", entry.Command);
        var u = CommandGrammar.Understand("wifi calling", catalogue, KnownNames.None, new DateOnly(2026, 11, 22));
        Assert.Equal("wifi", Assert.IsType<Command.Answer>(u.Command).Topic);
        Assert.Equal("Call {care} about Wi-Fi calling on {plan}, {name}.", catalogue.FindTemplate("answer wifi", "en").Text);
    }

    [Fact]
    public void AnOperatorAnswerIsCheckedLikeAnyOtherSection()
    {
        var text = Valid().Replace("- en reply: text for help\n", "- en reply: text for help\n- fr reply: aide\n")
            + "\n## answer wifi\n- en keywords: WIFI\n- en reply: Ask {agent}.\n- fr reply: Demandez.\n\n## answer roaming\n- en keywords: ROAMING\n";
        var problems = Problems(text);
        Assert.Contains(problems, p => p.Line == LineOf(text, "Ask {agent}") && p.Message.Contains("no placeholder {agent}") && p.Message.Contains("{care}"));
        Assert.Contains(problems, p => p.Line == LineOf(text, "## answer roaming") && p.Message == "reply 'answer roaming' is missing in every language");
    }

    [Theory]
    [InlineData("## answer\n- en reply: hi\n", "## answer")]
    [InlineData("## answer Wifi\n- en reply: hi\n", "## answer Wifi")]
    public void AnAnswerNeedsALowerCaseTopic(string section, string heading)
    {
        var text = Valid() + "\n" + section;
        Assert.Contains(Problems(text), p => p.Line == LineOf(text, heading) && (p.Message.Contains("unknown section") || p.Message.Contains("topic")));
    }

    [Fact]
    public void VerbsArePlanChangesOnlyWithTheirArgumentAndPoliteWordsBelongToFiller()
    {
        var verbs = Valid().Replace("## plan.change\n", "## plan.change\n- en verbs: SWITCH TO\n");
        var catalogue = CommandCatalogue.Parse("test.md", verbs);
        Assert.True(catalogue.Lexicon.TryKeyword("switch to", out var entry));
        Assert.True(entry.NeedsArgument);

        var polite = Valid("- en polite: please\n");
        var problem = Assert.Single(Problems(polite));
        Assert.Equal(LineOf(polite, "- en polite: please"), problem.Line);
        Assert.Contains("belong in the filler section", problem.Message);

        var unknownVerbs = Valid().Replace("## media\n", "## media\n- en verbs: SEND\n");
        Assert.Contains("cannot have verbs", Assert.Single(Problems(unknownVerbs)).Message);
    }
}
