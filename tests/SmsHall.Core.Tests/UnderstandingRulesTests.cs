using SmsHall.Core.Grammar;

namespace SmsHall.Core.Tests;

/// <summary>
/// The rules that keep chatter from firing commands: real words are never typos, codes match only
/// exactly, YES and NO only as answers, verbs of moving only with a plan, greetings and thanks only
/// alone, and "did you mean" only when the message is close to a command.
/// </summary>
public class UnderstandingRulesTests
{
    private static readonly DateOnly Today = new(2026, 11, 22);

    private static Understanding Understand(string text) => Repo.Understand(text, Today);

    [Theory]
    [InlineData("will do")]          // will: a word, not a slip of BILL
    [InlineData("call me")]          // call: a word, not a slip of the code CXLL
    [InlineData("play tennis today?")]
    [InlineData("oh hang on")]       // hang: not LANG
    [InlineData("parfait")]          // not FORFAIT
    [InlineData("I believe you")]    // not RELEVE
    [InlineData("plant")]
    [InlineData("soled")]
    public void ARealWordIsNeverTakenForATypo(string text)
    {
        var u = Understand(text);
        Assert.IsType<Command.Unknown>(u.Command);
        Assert.Empty(u.Suggestions);
    }

    [Theory]
    [InlineData("blance", "balance")]
    [InlineData("balanse", "balance")]
    [InlineData("facure", "bill")]
    [InlineData("forfai", "plan")]
    [InlineData("consomation", "usage")]
    [InlineData("roamin", "answer")]
    public void AWordThatIsNoWordMayStillBeASlip(string text, string command)
    {
        var u = Understand(text);
        Assert.Equal(command, u.Command.Name);
        Assert.Equal(MatchKind.Fuzzy, u.Match);
    }

    [Theory]
    [InlineData("cxll", "usage")]
    [InlineData("CXYE", "balance")]
    [InlineData("td", "stop")]
    [InlineData("y", "confirm")]
    public void CodesAndAliasesMatchExactly(string text, string command) => Assert.Equal(command, Understand(text).Command.Name);

    [Theory]
    [InlineData("cxl")]
    [InlineData("cxlll")]
    [InlineData("cxye1")]
    public void CodesAndAliasesAreNeverMatchedAsTypos(string text) => Assert.IsType<Command.Unknown>(Understand(text).Command);

    [Theory]
    [InlineData("yes please", "confirm")]
    [InlineData("ok thanks", "confirm")]
    [InlineData("Yes 👍", "confirm")]
    [InlineData("好的", "confirm")]
    [InlineData("嗯 好的", "confirm")]
    [InlineData("好的吧", "confirm")]
    [InlineData("oui merci", "confirm")]
    [InlineData("d'accord", "confirm")]
    [InlineData("بله ممنون", "confirm")]
    [InlineData("no thanks", "cancel")]
    [InlineData("non merci", "cancel")]
    [InlineData("不用了", "cancel")]
    [InlineData("نه ممنون", "cancel")]
    [InlineData("hi, yes", "confirm")]
    public void AnAnswerIsAYesOrNoWithPolitenessAtMost(string text, string command) => Assert.Equal(command, Understand(text).Command.Name);

    [Theory]
    [InlineData("你是？")]
    [InlineData("你好，你是？")]
    [InlineData("Are u ok?")]
    [InlineData("I'm ok.")]
    [InlineData("its ok")]
    [InlineData("ok see you at 5")]
    [InlineData("no what")]
    [InlineData("No u")]
    [InlineData("要钱不？")]
    [InlineData("好想你")]
    [InlineData("不可以吧")]
    [InlineData("oui je sais")]
    [InlineData("non mais quoi")]
    [InlineData("آره دیگه چی")]
    public void YesOrNoInsideASentenceIsNoAnswerAndIsNeverSuggested(string text)
    {
        var u = Understand(text);
        Assert.IsType<Command.Unknown>(u.Command);
        Assert.DoesNotContain("confirm", u.Suggestions);
        Assert.DoesNotContain("cancel", u.Suggestions);
    }

    [Theory]
    [InlineData("upgrade to gold", "GOLD")]
    [InlineData("switch my plan to silver", "SILVER")]
    [InlineData("go to family", "FAMILY")]
    [InlineData("downgrade to basic please", "BASIC")]
    [InlineData("升级gold", "GOLD")]
    [InlineData("passer au forfait gold", "GOLD")]
    [InlineData("changer d'offre pour silver", "SILVER")]
    [InlineData("ارتقا به gold", "GOLD")]
    public void AVerbOfMovingWithAPlanIsAPlanChange(string text, string plan) =>
        Assert.Equal(plan, Assert.IsType<Command.PlanChange>(Understand(text).Command).PlanCode);

    [Theory]
    [InlineData("go to school")]
    [InlineData("switch to whatsapp")]
    [InlineData("upgrade")]
    [InlineData("go to god")]          // a real word is not a slip of GOLD
    public void AVerbOfMovingWithoutAPlanIsNothingAndSuggestsNothing(string text)
    {
        var u = Understand(text);
        Assert.IsType<Command.Unknown>(u.Command);
        Assert.Empty(u.Suggestions);
    }

    [Theory]
    [InlineData("change plan")]
    [InlineData("i want to upgrade my plan")]
    [InlineData("换套餐")]
    public void AskingToChangePlanWithoutNamingOneAsksWhich(string text) =>
        Assert.Null(Assert.IsType<Command.PlanChange>(Understand(text).Command).PlanCode);

    [Theory]
    [InlineData("hi", "greeting")]
    [InlineData("good morning!", "greeting")]
    [InlineData("hello there", "greeting")]
    [InlineData("你好", "greeting")]
    [InlineData("Bonjour !", "greeting")]
    [InlineData("سلام", "greeting")]
    [InlineData("thanks", "thanks")]
    [InlineData("hi, thanks a lot", "thanks")]
    [InlineData("謝謝你", "thanks")]
    [InlineData("merci beaucoup", "thanks")]
    [InlineData("ممنون", "thanks")]
    [InlineData("hi what's my balance", "balance")]
    [InlineData("bonjour, mon solde svp merci", "balance")]
    public void GreetingsAndThanksAreAnsweredAloneAndIgnoredAroundACommand(string text, string command) =>
        Assert.Equal(command, Understand(text).Command.Name);

    [Theory]
    [InlineData("hi john")]
    [InlineData("thanks for the lovely dinner")]
    [InlineData("سلام خوبی؟")]
    public void AGreetingWithOtherWordsIsNotUnderstood(string text) => Assert.IsType<Command.Unknown>(Understand(text).Command);

    [Theory]
    [InlineData("my phone was stolen", "stolen")]
    [InlineData("I lost my phone", "stolen")]
    [InlineData("我的手机丢了", "stolen")]
    [InlineData("on m'a volé mon téléphone", "stolen")]
    [InlineData("گوشیم دزدیده شد", "stolen")]
    [InlineData("data roaming abroad", "roaming")]
    [InlineData("漫游", "roaming")]
    [InlineData("PUK code please", "puk")]
    [InlineData("customer care", "care")]
    [InlineData("service client svp", "care")]
    [InlineData("客服", "care")]
    [InlineData("شماره پشتیبانی", "care")]
    public void OperatorAnswersAreFoundByTheirKeywords(string text, string topic) =>
        Assert.Equal(topic, Assert.IsType<Command.Answer>(Understand(text).Command).Topic);

    [Theory]
    [InlineData("complaint: no signal at home since monday", "no signal at home since monday")]
    [InlineData("I have a complaint: the bill is wrong, no refund yet", "the bill is wrong no refund yet")]
    [InlineData("hi! complaint stop charging me for data", "stop charging me for data")]
    [InlineData("投诉 网速太慢", "网速太慢")]
    [InlineData("réclamation : pas de réseau, non merci", "pas de reseau non merci")]
    [InlineData("شکایت دارم اینترنت قطع است", "اینترنت قطع است")]
    public void AComplaintTakesTheRestOfTheMessageWhateverItsWords(string text, string complaint) =>
        Assert.Equal(complaint, Assert.IsType<Command.Feedback>(Understand(text).Command).Text);

    [Theory]
    [InlineData("complaint")]
    [InlineData("我要投诉")]
    public void ABareComplaintHasNoText(string text) =>
        Assert.Equal("", Assert.IsType<Command.Feedback>(Understand(text).Command).Text);

    [Theory]
    [InlineData("my internet is slow, balance bill complaint")]
    [InlineData("no complaint, call me back")]
    public void AComplaintKeywordAfterOtherRequestsTakesNoFreeText(string text) =>
        Assert.IsNotType<Command.Feedback>(Understand(text).Command);

    [Theory]
    [InlineData("talk to a human")]
    [InlineData("call me back")]
    [InlineData("人工服务")]
    [InlineData("conseiller")]
    [InlineData("اپراتور")]
    public void ACallbackRequestIsAgent(string text) => Assert.IsType<Command.Agent>(Understand(text).Command);

    [Theory]
    [InlineData("when is my bill due")]
    [InlineData("how much do I owe")]
    [InlineData("how do I pay my bill")]
    [InlineData("quand dois-je payer ma facture ?")]
    [InlineData("我欠费多少")]
    [InlineData("بدهی من چقدره")]
    public void QuestionsAboutTheBillAreBill(string text) => Assert.Equal("bill", Understand(text).Command.Name);

    [Theory]
    [InlineData("facture d'août", "2026-08")]
    [InlineData("facture aout", "2026-08")]
    [InlineData("relevé de février", "2026-02")]
    [InlineData("facture de décembre", "2025-12")]
    public void FrenchElisionsAndAccentsDoNotHideTheMonth(string text, string period) =>
        Assert.Equal(period, Assert.IsType<Command.Bill>(Understand(text).Command).Period?.ToString());

    [Theory]
    [InlineData("plans")]
    [InlineData("list plans")]
    [InlineData("all available plans")]
    [InlineData("liste des forfaits")]
    [InlineData("所有套餐")]
    [InlineData("لیست طرح ها")]
    public void APluralOrListingOfPlanShowsThePlans(string text) => Assert.Null(Assert.IsType<Command.Plan>(Understand(text).Command).Asked);

    [Theory]
    [InlineData("lang on")]      // "on" names no language
    [InlineData("langue xyz")]
    public void LangMustNameALanguage(string text) => Assert.IsType<Command.Unknown>(Understand(text).Command);

    [Theory]
    [InlineData("topup this is a long sentence")]
    [InlineData("recharge abcdefgh12")]
    public void AVoucherHasAVouchersShape(string text) => Assert.IsType<Command.Unknown>(Understand(text).Command);

    [Theory]
    [InlineData("Go until jurong point")]
    [InlineData("sorry ill call later")]
    [InlineData("yup")]
    [InlineData("stpo")]
    public void DidYouMeanOnlyWhenClose(string text) => Assert.Empty(Understand(text).Suggestions);
}
