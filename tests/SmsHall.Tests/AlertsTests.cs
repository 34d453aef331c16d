using Dapper;

namespace SmsHall.Tests;

/// <summary>ALERTS through the webhook: what a subscriber refuses and has again, in their language, and what never changes it.</summary>
public class AlertsTests
{
    private const string Alice = "+15550000001";

    private static string[] Refused(TestGateway gw, string number)
    {
        using var db = gw.OpenDatabase();
        return [.. db.Query<string>("SELECT category FROM alert_refusals WHERE number = @number ORDER BY category", new { number })];
    }

    private static long OptedOut(TestGateway gw, string number)
    {
        using var db = gw.OpenDatabase();
        return db.ExecuteScalar<long>("SELECT opted_out FROM subscribers WHERE number = @number", new { number });
    }

    [Fact]
    public async Task AlertsOffAKindRefusesThatKindAndAlertsOnHasItAgain()
    {
        await using var gw = await TestGateway.StartAsync();
        Assert.Equal("Done: bill notices are now off. Text ALERTS ON to have them again.", await gw.TextAsync(Alice, "alerts off bill"));
        Assert.Equal(["bill"], Refused(gw, Alice));

        Assert.Equal("Done: all notices and offers are now off. Text ALERTS ON to have them again.", await gw.TextAsync(Alice, "ALERTS OFF"));
        Assert.Equal(["balance", "bill", "data", "offers", "points"], Refused(gw, Alice));

        Assert.Equal("Done: bill notices are on again. Text ALERTS OFF to stop them.", await gw.TextAsync(Alice, "alerts on bill"));
        Assert.Equal(["balance", "data", "offers", "points"], Refused(gw, Alice));
        Assert.StartsWith("Done: all notices and offers are on again.", await gw.TextAsync(Alice, "alerts on"));
        Assert.Empty(Refused(gw, Alice));
    }

    [Theory]
    [InlineData("stop offers", "Done: offers are now off.")]
    [InlineData("no more promotions", "Done: offers are now off.")]
    [InlineData("pas de pub", "C'est fait, vous ne recevrez plus : les offres promotionnelles.")]
    [InlineData("پیامک تبلیغاتی نفرستید", "انجام شد: پیامک‌های تبلیغاتی خاموش شد.")]
    public async Task RefusingOffersIsNoOptOutAndIsAnsweredInTheLanguageItWasWrittenIn(string text, string reply)
    {
        await using var gw = await TestGateway.StartAsync();
        Assert.StartsWith(reply, await gw.TextAsync(Alice, text));
        Assert.Equal(["offers"], Refused(gw, Alice));
        // STOP counts only as the whole message: the subscriber still gets replies.
        Assert.Equal(0, OptedOut(gw, Alice));
        Assert.StartsWith("Your balance is", await gw.TextAsync(Alice, "BAL"));
    }

    [Fact]
    public async Task ChineseTurnsEveryNoticeOffAndIsAnsweredInChinese()
    {
        await using var gw = await TestGateway.StartAsync();
        Assert.Equal("已关闭所有通知和优惠信息。发送“开启提醒”可恢复。", await gw.TextAsync(Alice, "关闭提醒"));
        Assert.Equal(5, Refused(gw, Alice).Length);
    }

    [Fact]
    public async Task StopAloneStillOptsOutOfEverything()
    {
        await using var gw = await TestGateway.StartAsync();
        Assert.StartsWith("You have opted out", await gw.TextAsync(Alice, "STOP"));
        Assert.Equal(1, OptedOut(gw, Alice));
        Assert.Empty(Refused(gw, Alice));
    }

    [Theory]
    [InlineData("alrets off")] // a slip of the keyword: asked, not done
    [InlineData("alerts offf")] // a word that says nothing ALERTS knows
    [InlineData("alerts off bil")]
    [InlineData("stop it")]
    [InlineData("no more")]
    [InlineData("pas de")]
    public async Task ATypoOrChatterChangesNothing(string text)
    {
        await using var gw = await TestGateway.StartAsync();
        Assert.NotNull(await gw.TextAsync(Alice, text));
        Assert.Empty(Refused(gw, Alice));
        Assert.Equal(0, OptedOut(gw, Alice));
    }

    [Fact]
    public async Task AMistypedKeywordIsAskedAboutWithTheExactWordsToSend()
    {
        await using var gw = await TestGateway.StartAsync();
        Assert.Equal("Did you mean ALERTS OFF BILL? Nothing was changed: text ALERTS OFF BILL to do it.", await gw.TextAsync(Alice, "alrets off bill"));
        Assert.Empty(Refused(gw, Alice));
        Assert.StartsWith("Done: bill notices are now off.", await gw.TextAsync(Alice, "ALERTS OFF BILL"));
    }

    [Fact]
    public async Task AlertsAloneSaysHow()
    {
        await using var gw = await TestGateway.StartAsync();
        Assert.StartsWith("Text ALERTS OFF to stop all notices and offers", await gw.TextAsync(Alice, "alerts"));
        Assert.Empty(Refused(gw, Alice));
    }
}
