namespace SmsHall.Tests;

/// <summary>
/// Through the webhook: every kind of reply comes in the language the message was written in;
/// greetings, thanks and operator answers get their own replies; a puzzled message never answers an
/// offer, which keeps waiting; and an operator adds an answer by editing commands.md while the
/// gateway runs.
/// </summary>
public sealed class UnderstandingTests : IAsyncLifetime
{
    private const string Alice = "+15550000001"; // English, SILVER, prepaid
    private readonly string _catalogue = Path.Combine(Path.GetTempPath(), "smshall-tests", Guid.NewGuid().ToString("N"), "commands.md");
    private TestGateway _gw = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_catalogue)!);
        File.Copy(Repo.CommandsMd, _catalogue);
        _gw = await TestGateway.StartAsync($"--Catalogue:Path={_catalogue}", "--Hall:CareNumber=0800 123 456");
    }

    public async Task DisposeAsync()
    {
        await _gw.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(_catalogue)!, recursive: true);
    }

    [Theory]
    [InlineData("hi", "Hello Alice! Text BAL for your balance, BILL for your bill or HELP for more.")]
    [InlineData("good morning!", "Hello Alice! Text BAL for your balance, BILL for your bill or HELP for more.")]
    [InlineData("你好", "Alice您好！发送“余额”查余额，“账单”查账单，“帮助”查看更多。")]
    [InlineData("Bonjour !", "Bonjour Alice ! Envoyez SOLDE pour votre solde, FACTURE pour votre facture ou AIDE pour plus.")]
    [InlineData("سلام", "سلام Alice! برای موجودی «موجودی»، برای صورتحساب «قبض» و برای راهنما «راهنما» را بفرستید.")]
    [InlineData("thanks a lot", "You're welcome! Text HELP any time to see what we can do.")]
    [InlineData("谢谢", "不客气！随时发送“帮助”查看可用指令。")]
    [InlineData("merci beaucoup", "Avec plaisir ! Envoyez AIDE à tout moment pour voir ce que nous pouvons faire.")]
    [InlineData("ممنون", "خواهش می‌کنم! هر زمان «راهنما» را بفرستید تا ببینید چه کارهایی می‌توانیم انجام دهیم.")]
    public async Task GreetingsAndThanksGetAFriendlyReplyInTheirLanguage(string text, string reply)
    {
        Assert.Equal(reply, await _gw.TextAsync(Alice, text));
    }

    [Fact]
    public async Task AGreetingAroundACommandIsOnlyPoliteness()
    {
        Assert.StartsWith("Your balance is $12.50", await _gw.TextAsync(Alice, "hi, what is my balance please"));
        Assert.StartsWith("Votre solde est de $12.50", await _gw.TextAsync(Alice, "bonjour, mon solde svp merci"));
    }

    [Theory]
    [InlineData("my phone was stolen", "Sorry to hear that, Alice. Call 0800 123 456 now and we will block your SIM")]
    [InlineData("我的手机丢了", "Alice，很抱歉听到这个消息。请立即致电0800 123 456为您停机挂失")]
    [InlineData("customer care", "To talk to a person, call customer care on 0800 123 456")]
    [InlineData("service client", "Pour parler à un conseiller, appelez le service client au 0800 123 456")]
    [InlineData("شماره پشتیبانی", "برای صحبت با کارشناس با پشتیبانی به شماره 0800 123 456 تماس بگیرید")]
    [InlineData("roaming?", "Roaming is on for plan SILVER in over 60 countries")]
    [InlineData("PUK", "Your PUK is printed on the card your SIM came in.")]
    public async Task OperatorAnswersNameTheCareNumberInTheLanguageWritten(string text, string start)
    {
        Assert.StartsWith(start, await _gw.TextAsync(Alice, text));
    }

    [Theory]
    [InlineData("is the network down", "Sorry, we did not understand. Try: BAL, USAGE, BILL [month], PLAN [name], LANG xx, TOPUP code, POINTS, SERVICES. Care: 0800 123 456.")]
    [InlineData("c'est quoi ce truc", "Désolé, nous n'avons pas compris. Essayez : SOLDE, CONSO, FACTURE [mois], FORFAIT [nom], LANGUE xx, RECHARGE code, POINTS, SERVICES. Service client : 0800 123 456.")]
    [InlineData("aide", "SOLDE, CONSO, FACTURE [mois], FORFAIT [nom], LANGUE xx, RECHARGE code, POINTS, SERVICES. OUI/NON pour confirmer. STOP pour ne plus rien recevoir.")]
    [InlineData("quand dois-je payer ma facture ?", "Vous n'avez pas de facture : les comptes prépayés ne sont pas facturés. Envoyez SOLDE pour votre solde.")]
    [InlineData("how much do I owe", "You have no bills: prepaid accounts are not billed. Text BAL for your balance.")]
    public async Task EveryKindOfReplyIsInTheLanguageWritten(string text, string reply)
    {
        Assert.Equal(reply, await _gw.TextAsync(Alice, text));
    }

    [Theory]
    [InlineData("你是？", "更换为GOLD套餐的请求正在等待确认：回复“是”确认，回复“否”取消。")]
    [InlineData("Are u ok?", "Your plan change to GOLD is waiting: reply YES to confirm or NO to cancel.")]
    [InlineData("no what", "Your plan change to GOLD is waiting: reply YES to confirm or NO to cancel.")]
    [InlineData("ok?", "Your plan change to GOLD is waiting: reply YES to confirm or NO to cancel.")]
    [InlineData("بله؟", "تغییر به طرح GOLD منتظر پاسخ شماست: «بله» برای تایید یا «نه» برای لغو بفرستید.")]
    [InlineData("要钱不？", "更换为GOLD套餐的请求正在等待确认：回复“是”确认，回复“否”取消。")]
    [InlineData("c'est quoi ça", "Votre passage au forfait GOLD attend votre réponse : OUI pour confirmer, NON pour annuler.")]
    public async Task APuzzledMessageNeverAnswersAnOfferWhichKeepsWaiting(string puzzled, string reminder)
    {
        Assert.StartsWith("Change plan SILVER to GOLD", await _gw.TextAsync(Alice, "PLAN GOLD"));
        Assert.Equal(reminder, await _gw.TextAsync(Alice, puzzled));
        Assert.Equal("SILVER", _gw.PlanOf(Alice));

        Assert.StartsWith("Done: your plan is now GOLD", await _gw.TextAsync(Alice, "yes please"));
        Assert.Equal("GOLD", _gw.PlanOf(Alice));
    }

    [Theory]
    [InlineData("ok thanks")]
    [InlineData("好的")]
    [InlineData("بله ممنون")]
    [InlineData("oui merci")]
    [InlineData("Yes 👍")]
    public async Task AnAnswerWithPolitenessConfirms(string yes)
    {
        await _gw.TextAsync(Alice, "PLAN GOLD");
        Assert.DoesNotContain("waiting", await _gw.TextAsync(Alice, yes));
        Assert.Equal("GOLD", _gw.PlanOf(Alice));
    }

    [Fact]
    public async Task ATopUpAskedAboutIsRemindedOfByItsVoucher()
    {
        Assert.StartsWith("Top up with voucher 111122223333?", await _gw.TextAsync(Alice, "topu 1111-2222-3333"));
        Assert.Equal("Your top-up with voucher 111122223333 is waiting: reply YES to confirm or NO to cancel.", await _gw.TextAsync(Alice, "what?? who is this"));
        Assert.Equal(1250, _gw.BalanceOf(Alice));
        Assert.Equal("Cancelled. Your voucher was not used.", await _gw.TextAsync(Alice, "no thanks"));
    }

    [Fact]
    public async Task AnOperatorAddsAnAnswerByEditingTheCatalogueWhileTheGatewayRuns()
    {
        Assert.StartsWith("Sorry, we did not understand", await _gw.TextAsync(Alice, "wifi calling"));

        var text = File.ReadAllText(_catalogue).Replace("## unknown\n", """
            ## answer wifi

            - en keywords: WIFI CALLING, VOWIFI
            - en reply: Wi-Fi calling is free on plan {plan}: turn it on in your phone's settings. Questions: {care}.
            - zh keywords: WIFI通话
            - zh reply: {plan}套餐可免费使用WiFi通话，请在手机设置中开启。咨询：{care}。
            - fr keywords: APPELS WIFI
            - fr reply: Les appels Wi-Fi sont gratuits avec {plan} : activez-les dans les réglages. Questions : {care}.
            - fa keywords: تماس وای فای
            - fa reply: تماس وای‌فای در طرح {plan} رایگان است. سوالات: {care}.

            ## unknown

            """.Replace("            ", ""));
        await File.WriteAllTextAsync(_catalogue + ".tmp", text);
        File.Move(_catalogue + ".tmp", _catalogue, overwrite: true);

        await Eventually(async () => (await _gw.TextAsync(Alice, "wifi calling"))!.StartsWith("Wi-Fi calling is free on plan SILVER"));
        Assert.Equal("Les appels Wi-Fi sont gratuits avec SILVER : activez-les dans les réglages. Questions : 0800 123 456.", await _gw.TextAsync(Alice, "appels wifi ?"));
    }

    [Fact]
    public async Task AnAnswerMissingALanguageIsRejectedAndTheLastGoodCatalogueKeepsAnswering()
    {
        var text = File.ReadAllText(_catalogue).Replace("## unknown\n", "## answer wifi\n\n- en keywords: WIFI CALLING\n- en reply: Free.\n\n## unknown\n");
        await File.WriteAllTextAsync(_catalogue + ".tmp", text);
        File.Move(_catalogue + ".tmp", _catalogue, overwrite: true);

        await Eventually(async () => (await _gw.HealthAsync()).Json.GetProperty("status").GetString() == "degraded");
        Assert.StartsWith("Sorry, we did not understand", await _gw.TextAsync(Alice, "wifi calling"));
    }

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the condition did not hold within 30 s");
            await Task.Delay(100);
        }
    }
}
