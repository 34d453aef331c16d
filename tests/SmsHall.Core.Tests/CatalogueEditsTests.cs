using SmsHall.Core.Catalogue;
using SmsHall.Core.Grammar;

namespace SmsHall.Core.Tests;

/// <summary>"Add as alias" from the console: the draft gains the alias on the command's line, nothing else moves.</summary>
public class CatalogueEditsTests
{
    private static readonly string Shipped = File.ReadAllText(Repo.CommandsMd);
    private static readonly DateOnly Today = new(2026, 11, 22);

    private static Understanding Understand(string catalogue, string text) =>
        CommandGrammar.Understand(text, CommandCatalogue.Parse("draft", catalogue), Repo.Names, Today);

    [Fact]
    public void AnAliasJoinsTheCommandsAliasLineAndIsThenUnderstood()
    {
        Assert.Equal("unknown", Understand(Shipped, "moneyleft").Command.Name);

        var edit = CatalogueEdits.AddAlias(Shipped, "balance", "moneyleft");

        Assert.Null(edit.Problem);
        Assert.Equal("- en aliases: BAL, CXYE, MONEYLEFT", edit.Text.Split('\n')[edit.Line - 1]);
        Assert.Equal(Shipped.Split('\n').Length, edit.Text.Split('\n').Length);
        var understood = Understand(edit.Text, "moneyleft");
        Assert.Equal(("balance", MatchKind.Alias), (understood.Command.Name, understood.Match));
    }

    [Fact]
    public void AnAliasOfSeveralWordsIsUnderstoodWhole()
    {
        var edit = CatalogueEdits.AddAlias(Shipped, "balance", "  how much  cash ");
        Assert.EndsWith("CXYE, HOW MUCH CASH", edit.Text.Split('\n')[edit.Line - 1]);
        Assert.Equal("balance", Understand(edit.Text, "how much cash").Command.Name);
    }

    [Fact]
    public void ACommandWithoutAliasesGetsANewLineUnderItsKeywords()
    {
        var edit = CatalogueEdits.AddAlias(Shipped, "payments", "paid?");
        var lines = edit.Text.Split('\n');
        Assert.Equal("- en aliases: PAID?", lines[edit.Line - 1]);
        Assert.StartsWith("- en keywords:", lines[edit.Line - 2]);
        Assert.Equal(Shipped.Split('\n').Length + 1, lines.Length);
        Assert.Equal("payments", Understand(edit.Text, "paid").Command.Name);
    }

    [Fact]
    public void AnAliasAlreadyThereChangesNothing()
    {
        var edit = CatalogueEdits.AddAlias(Shipped, "balance", "cxye");
        Assert.False(edit.Changed);
        Assert.Null(edit.Problem);
        Assert.Same(Shipped, edit.Text);
    }

    [Theory]
    [InlineData("balanse", "bal", "There is no command 'balanse': choose one of balance, usage, bill")]
    [InlineData("balance", "  ", "The alias is empty.")]
    [InlineData("balance", "a, b", "An alias cannot hold a comma")]
    public void AnEditThatCannotBeMadeSaysWhy(string command, string alias, string problem)
    {
        var edit = CatalogueEdits.AddAlias(Shipped, command, alias);
        Assert.False(edit.Changed);
        Assert.StartsWith(problem, edit.Problem);
        Assert.Same(Shipped, edit.Text);
    }

    [Fact]
    public void WindowsLineEndingsStayAsTheyWere()
    {
        var crlf = Shipped.Replace("\n", "\r\n");
        var edit = CatalogueEdits.AddAlias(crlf, "payments", "paid");
        Assert.DoesNotContain("\r\r", edit.Text);
        Assert.Equal(crlf.Split("\r\n").Length + 1, edit.Text.Split("\r\n").Length);
    }
}
