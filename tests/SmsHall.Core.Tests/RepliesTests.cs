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
