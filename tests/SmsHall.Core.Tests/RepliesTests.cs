using SmsHall.Core.Catalogue;
using SmsHall.Core.Replies;

namespace SmsHall.Core.Tests;

public class RepliesTests
{
    [Theory]
    [InlineData(0, SmsEncoding.Gsm7, 1)]
    [InlineData(160, SmsEncoding.Gsm7, 1)]
    [InlineData(161, SmsEncoding.Gsm7, 2)]
    [InlineData(306, SmsEncoding.Gsm7, 2)]
    [InlineData(307, SmsEncoding.Gsm7, 3)]
    public void PlainTextIsGsm7At160And153(int length, SmsEncoding encoding, int segments)
    {
        Assert.Equal((encoding, segments), SmsSegments.Count(new string('a', length)));
    }

    [Fact]
    public void ExtensionCharactersTakeTwoSeptets()
    {
        Assert.Equal((SmsEncoding.Gsm7, 1), SmsSegments.Count(new string('€', 80)));
        Assert.Equal((SmsEncoding.Gsm7, 2), SmsSegments.Count(new string('€', 80) + "a"));
        Assert.Equal((SmsEncoding.Gsm7, 1), SmsSegments.Count("Price: 10€ [incl. tax] {ok} ~ ^ | \\"));
    }

    [Theory]
    [InlineData(70, 1)]
    [InlineData(71, 2)]
    [InlineData(134, 2)]
    [InlineData(135, 3)]
    public void AnyCharacterOutsideGsm7MakesTheWholeMessageUcs2(int length, int segments)
    {
        var text = "余" + new string('a', length - 1);
        Assert.Equal((SmsEncoding.Ucs2, segments), SmsSegments.Count(text));
    }

    [Fact]
    public void CurlyQuotesAreNotGsm7()
    {
        Assert.Equal(SmsEncoding.Ucs2, SmsSegments.Count("it\u2019s").Encoding);
        Assert.Equal(SmsEncoding.Gsm7, SmsSegments.Count("it's Ça coute £5 à Zürich, é").Encoding);
    }

    [Fact]
    public void RenderingFillsPlaceholdersAndFormatsValues()
    {
        var options = new HallOptions { CurrencySymbol = "€" };
        var reply = Reply.Of("balance",
            ("balance", new Money(123456)), ("valid_until", new DateOnly(2026, 12, 1)), ("plan", "GOLD"));
        var rendered = ReplyRenderer.Render(reply, "en", Repo.Catalogue, options);
        Assert.Equal("Your balance is €1234.56, valid until 2026-12-01. Plan GOLD.", rendered.Text);
        Assert.Equal(SmsEncoding.Gsm7, rendered.Encoding);
        Assert.Equal(1, rendered.Segments);
    }

    [Fact]
    public void AMissingValueIsAProgrammingErrorNotASilentGap()
    {
        var reply = Reply.Of("balance", ("balance", new Money(1)));
        Assert.Throws<InvalidOperationException>(() => ReplyRenderer.Render(reply, "en", Repo.Catalogue, new HallOptions()));
    }

    [Fact]
    public void HelpFitsInOneSegment()
    {
        var help = ReplyRenderer.Render(
            Reply.Of("help", ("commands", string.Join(", ", Repo.Catalogue.Usages("en")))), "en", Repo.Catalogue, new HallOptions());
        Assert.Equal((SmsEncoding.Gsm7, 1), (help.Encoding, help.Segments));
    }
}

public class SmsAwareReplyTests
{
    [Theory]
    [InlineData("It\u2019s \u201Cfine\u201D \u2014 really\u2026", "It's \"fine\" - really...")]
    [InlineData("Prix\u00A0: 10\u202F$", "Prix : 10 $")]
    [InlineData("Votre forfait est désormais GOLD, à partir du 2026-11-22.", "Votre forfait est désormais GOLD, à partir du 2026-11-22.")]
    [InlineData("Les réponses seront désormais en français.", "Les réponses seront désormais en francais.")]
    [InlineData("ÒÌÕŸ", "OIOY")]
    [InlineData("Vous êtes à jour, c\u2019est noté", "Vous etes à jour, c'est noté")]
    public void LatinRepliesAreKeptInGsm7WithLookAlikes(string text, string sent)
    {
        Assert.Equal(sent, GsmLookAlikes.ForSending(text));
        Assert.Equal(SmsEncoding.Gsm7, SmsSegments.Count(GsmLookAlikes.ForSending(text)).Encoding);
    }

    [Theory]
    [InlineData("您的余额为\u201C$12.50\u201D\u2014谢谢")]
    [InlineData("موجودی شما $12.50 است")]
    public void RepliesThatNeedUcs2AnywayAreSentAsWritten(string text)
    {
        Assert.Equal(text, GsmLookAlikes.ForSending(text));
    }

    [Theory]
    [InlineData("en", SmsEncoding.Gsm7, 1)]
    [InlineData("fr", SmsEncoding.Gsm7, 1)]
    [InlineData("zh", SmsEncoding.Ucs2, 2)]
    [InlineData("fa", SmsEncoding.Ucs2, 2)]
    public void HelpFitsOneSmsInGsmLanguagesAndTwoInTheOthers(string language, SmsEncoding encoding, int most)
    {
        var help = ReplyRenderer.Render(
            Reply.Of("help", ("commands", string.Join(", ", Repo.Catalogue.Usages(language)))), language, Repo.Catalogue, new HallOptions());
        Assert.Equal(encoding, help.Encoding);
        Assert.InRange(help.Segments, 1, most);
    }

    [Fact]
    public void AValueLongerThanItsPlaceholderIsCutSoTheReplyKeepsItsPromisedLength()
    {
        var lines = string.Join(", ", Enumerable.Range(1, 20).Select(i => $"Line {i} $1.00"));
        var reply = Reply.Of("bill", ("period", "2026-10"), ("total", new Money(2000)), ("lines", lines), ("due", new DateOnly(2026, 11, 20)));
        var rendered = ReplyRenderer.Render(reply, "en", Repo.Catalogue, new HallOptions());
        Assert.Contains("(Line 1 $1.00, Line 2 $1.00,", rendered.Text);
        Assert.Contains("...)", rendered.Text);
        Assert.Equal(2, rendered.Segments); // the bill also says how to pay
    }

    [Fact]
    public void SeveralAnswersThatDoNotFitTheBudgetSendWhatFitsAndNameTheRest()
    {
        RenderedReply Long(string key) => new(key, "en", key + new string('.', 196), SmsEncoding.Gsm7, 2);
        var combined = ReplyRenderer.Combine(
            [("balance", Long("balance")), ("usage", Long("usage")), ("bill", Long("bill"))], "en", Repo.Catalogue, new HallOptions());
        Assert.EndsWith("\nText BILL for the rest.", combined.Text);
        Assert.StartsWith("balance....", combined.Text);
        Assert.Contains("\nusage....", combined.Text);
        Assert.True(combined.Segments <= Repo.Catalogue.SegmentBudget);
    }
}
