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
            .Select(key => (Key: key, Section: Command.Names.Append("unregistered").Append("error").Where(n => key == n || key.StartsWith(n + ".")).MaxBy(n => n.Length)!))
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
    public void TheShippedCatalogueLoadsInEnglish()
    {
        var catalogue = CommandCatalogue.Load(Repo.CommandsMd);
        Assert.Equal(["en"], catalogue.Languages);
        Assert.True(catalogue.TryFindKeyword("bal", out var bal));
        Assert.Equal("balance", bal.Command);
        Assert.True(catalogue.TryFindKeyword("change plan to", out var change));
        Assert.Equal("plan.change", change.Command);
    }

    [Fact]
    public void AValidCatalogueLoadsAndProseIsIgnored()
    {
        var text = Valid("\nSome prose - with a dash.\n\n```\n- en keywords: NOTAKEYWORD\n```\n");
        var catalogue = CommandCatalogue.Parse("test.md", text);
        Assert.False(catalogue.TryFindKeyword("notakeyword", out _));
        Assert.Equal("text for balance", catalogue.FindTemplate("balance", "en").Text);
    }

    [Fact]
    public void AliasesAreMatchedAsAliases()
    {
        var catalogue = CommandCatalogue.Parse("test.md", Valid("- en aliases: CXYE\n"));
        Assert.True(catalogue.TryFindKeyword("cxye", out var entry));
        Assert.Equal(MatchKind.Alias, entry.Match);
    }

    [Fact]
    public void AKeywordClaimedByTwoCommandsIsReportedAtItsLine()
    {
        var text = Valid().Replace("## bill\n", "## bill\n- en keywords: bal\n");
        var problem = Assert.Single(Problems(text));
        Assert.Equal(LineOf(text, "- en keywords: bal"), problem.Line);
        Assert.Contains("claimed by both 'balance'", problem.Message);
    }

    [Fact]
    public void KeywordsThatOnlyDifferInCaseOrPunctuationCollide()
    {
        var text = Valid().Replace("## usage\n", "## usage\n- en keywords: Bal!\n");
        var problem = Assert.Single(Problems(text));
        Assert.Equal(LineOf(text, "Bal!"), problem.Line);
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
    public void AMissingReplyIsReported()
    {
        var text = Valid().Replace("- en reply paid: text for bill.paid\n", "");
        var problem = Assert.Single(Problems(text));
        Assert.Contains("bill.paid", problem.Message);
    }

    [Fact]
    public void ALanguageMissingTemplatesIsReportedAtItsFirstLine()
    {
        var text = Valid().Replace("- en reply: text for help\n", "- en reply: text for help\n- fr reply: aide\n");
        var problem = Assert.Single(Problems(text));
        Assert.Equal(LineOf(text, "- fr reply: aide"), problem.Line);
        Assert.Contains("language 'fr'", problem.Message);
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
        var text = Valid("- en keywords BALANCE\n").Replace("## usage\n", "## usage\n- en keywords: bal\n");
        Assert.Equal(2, Problems(text).Count);
    }

    [Fact]
    public void AMissingFileIsReportedByName()
    {
        var e = Assert.Throws<CatalogueException>(() => CommandCatalogue.Load("/nonexistent/commands.md"));
        Assert.Equal("/nonexistent/commands.md: error: file not found", e.Problems.Single().ToString());
    }
}
