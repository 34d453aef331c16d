using SmsHall.Core;
using SmsHall.Core.Campaigns;
using SmsHall.Core.Catalogue;
using SmsHall.Core.Ports;

namespace SmsHall.Core.Tests;

/// <summary>An offer as each language's subscribers get it, and what is wrong with a campaign as drawn up.</summary>
public sealed class OffersTests
{
    private static readonly CommandCatalogue Catalogue = CommandCatalogue.Load(Repo.CommandsMd);
    private static readonly HallOptions Options = new();
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static CampaignDraft Draft(Dictionary<string, string> messages, string name = "Autumn", int rate = 60) =>
        new(name, Segment.HeavyData, messages, Now, rate, Now, "editor");

    [Fact]
    public void ASubscriberGetsTheTextInTheirLanguageElseTheDefaultAndTheRefusalInTheirs()
    {
        var messages = new Dictionary<string, string> { ["en"] = "1 GB for $5: BUY 1GB.", ["fr"] = "1 Go pour 5 $ : ACHETER 1 GO." };
        Assert.Equal("1 GB for $5: BUY 1GB. Reply STOP OFFERS to get no more offers.", Offers.Render(messages, "en", Catalogue, Options).Text);
        Assert.Equal("1 Go pour 5 $ : ACHETER 1 GO. Répondez PAS DE PUB pour ne plus recevoir d'offres.", Offers.Render(messages, "fr", Catalogue, Options).Text);
        var chinese = Offers.Render(messages, "zh", Catalogue, Options);
        Assert.Equal(("1 GB for $5: BUY 1GB. 回复“关闭推广”不再接收优惠信息。", "zh"), (chinese.Text, chinese.Language));
        Assert.EndsWith("«پیامک تبلیغاتی نفرستید» را بفرستید.", Offers.Render(messages, "fa", Catalogue, Options).Text);
    }

    [Theory]
    [InlineData("en", "STOP OFFERS")]
    [InlineData("zh", "关闭推广")]
    [InlineData("fr", "PAS DE PUB")]
    [InlineData("fa", "پیامک تبلیغاتی نفرستید")]
    public void TheWayToRefuseOffersThatEveryOfferGivesIsUnderstoodAsRefusingThem(string language, string phrase)
    {
        Assert.Contains(phrase, Offers.Render(new Dictionary<string, string> { ["en"] = "1 GB for $5." }, language, Catalogue, Options).Text);
        var alerts = Assert.IsType<Grammar.Command.Alerts>(Repo.Understand(phrase, DateOnly.FromDateTime(Now.UtcDateTime)).Command);
        Assert.Equal((false, AlertCategories.Offers), (alerts.On, alerts.Category));
    }

    [Fact]
    public void ACampaignWithoutANameTheDefaultTextOrASensibleRateIsRefusedWithWhatIsWrong()
    {
        Assert.Empty(Offers.Problems(Draft(new() { ["en"] = "Hello" }), Catalogue, Options));
        Assert.Equal(
            [
                "Give the campaign a name.",
                "The send rate must be 1 to 600 messages a minute.",
                "The catalogue has no language de.",
                "The offer in fr is empty: leave the language out to send the default text.",
                "Write the offer in en, the catalogue's default language: subscribers of a language without a text of its own get that one.",
            ],
            Offers.Problems(Draft(new() { ["de"] = "Hallo", ["fr"] = " " }, name: " ", rate: 601), Catalogue, Options));
    }

    [Fact]
    public void AnOfferTooLongForTheSegmentBudgetWithItsRefusalLineIsRefusedForEachLanguageItWouldReach()
    {
        // 400 GSM characters fit three segments in English and French with their refusal line; in Chinese or
        // Persian the refusal line makes the whole text UCS-2, and then it needs far more.
        var problems = Offers.Problems(Draft(new() { ["en"] = new string('x', 400) }), Catalogue, Options);
        Assert.Equal(2, problems.Count);
        Assert.All(problems, p => Assert.Matches("^The offer for (fa|zh) subscribers needs [0-9]+ SMS segments with its refusal line; the budget is 3.$", p));
        Assert.Empty(Offers.Problems(Draft(new() { ["en"] = new string('x', 400), ["zh"] = "优惠", ["fa"] = "تخفیف" }), Catalogue, Options));
    }
}
