using SmsHall.Core.Text;

namespace SmsHall.Core.Tests;

public class TextNormaliserTests
{
    [Theory]
    [InlineData("  BAL  ", "bal")]
    [InlineData("Bill   Oct.", "bill oct")]
    [InlineData("ＢＩＬＬ　１０", "bill 10")]
    [InlineData("bill ۱۰", "bill 10")]
    [InlineData("bill ١٠", "bill 10")]
    [InlineData("b\u200cal", "bal")]
    [InlineData("*bal#", "bal")]
    [InlineData("bill 2026-10", "bill 2026-10")]
    [InlineData("bill 10/2026", "bill 10/2026")]
    [InlineData("-bal-", "bal")]
    [InlineData("bal\u0000\u0007", "bal")]
    [InlineData("😀 bal 😀", "bal")]
    [InlineData("", "")]
    public void NormalisesWhatPhonesSend(string input, string expected)
    {
        Assert.Equal(expected, TextNormaliser.Normalise(input));
    }
}
