using System.Xml.Linq;
using SmsHall.Twilio;

namespace SmsHall.Tests;

public class TwiMLTests
{
    [Fact]
    public void AMessageIsAResponseWithOneMessage()
    {
        Assert.Equal(
            """<?xml version="1.0" encoding="utf-8"?><Response><Message>Your balance is $12.50.</Message></Response>""",
            TwiML.Message("Your balance is $12.50."));
    }

    [Fact]
    public void NothingToSayIsAnEmptyResponse()
    {
        Assert.Equal("""<?xml version="1.0" encoding="utf-8"?><Response />""", TwiML.Message(null));
        Assert.Equal(TwiML.Message(null), TwiML.Message(""));
    }

    // Twilio's own vector (twilio-csharp XmlEscapeTest): markup in a message is text, not elements.
    [Fact]
    public void MarkupInTheTextIsEscaped()
    {
        Assert.Contains(
            "<Message>&lt;InvalidBodyMessage&gt;&lt;/InvalidBodyMessage&gt;</Message>",
            TwiML.Message("<InvalidBodyMessage></InvalidBodyMessage>"));
    }

    [Theory]
    [InlineData("Tom & Jerry <3 \"quotes\" 'apostrophes'")]
    [InlineData("]]> <![CDATA[ x ]]>")]
    [InlineData("余额 ۱۰ 😀 é")]
    public void AnyTextRoundTripsThroughAnXmlParser(string text)
    {
        var doc = XDocument.Parse(TwiML.Message(text));
        Assert.Equal(text, doc.Root!.Element("Message")!.Value);
    }

    [Fact]
    public void CharactersXmlCannotCarryAreDropped()
    {
        var doc = XDocument.Parse(TwiML.Message("a\u0000b\u0007c\uFFFEd"));
        Assert.Equal("abcd", doc.Root!.Element("Message")!.Value);
    }
}
