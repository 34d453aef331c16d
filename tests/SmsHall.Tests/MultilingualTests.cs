using Dapper;

namespace SmsHall.Tests;

/// <summary>The forgiving, multilingual grammar as subscribers meet it: through the real webhook.</summary>
public sealed class MultilingualTests : IAsyncLifetime
{
    private const string Alice = "+15550000001"; // prepaid, SILVER, $12.50, English
    private TestGateway _gw = null!;

    public async Task InitializeAsync() => _gw = await TestGateway.StartAsync();

    public async Task DisposeAsync() => await _gw.DisposeAsync();

    [Theory]
    [InlineData("solde", "Votre solde est de $12.50, valable jusqu'au 2026-12-22. Forfait SILVER.")]
    [InlineData("quel est mon solde ?", "Votre solde est de $12.50, valable jusqu'au 2026-12-22. Forfait SILVER.")]
    [InlineData("请查询余额", "您的余额为$12.50，有效期至2026-12-22。套餐：SILVER。")]
    [InlineData("餘額", "您的余额为$12.50，有效期至2026-12-22。套餐：SILVER。")]
    [InlineData("موجودی من چقدره", "موجودی شما $12.50 است و تا 2026-12-22 اعتبار دارد. طرح: SILVER.")]
    [InlineData("what's my balance?", "Your balance is $12.50, valid until 2026-12-22. Plan SILVER.")]
    public async Task AMessageIsAnsweredInTheLanguageOfItsKeywords(string text, string reply)
    {
        Assert.Equal(reply, await _gw.TextAsync(Alice, text));
    }

    [Theory]
    [InlineData("我的猫丢了", "抱歉，没有看懂。")]
    [InlineData("این پیام چیه", "متاسفیم، متوجه نشدیم.")]
    [InlineData("je ne comprends pas votre message", "Désolé, nous n'avons pas compris.")]
    public async Task AMessageNotUnderstoodIsAnsweredInTheLanguageItWasWrittenIn(string text, string start)
    {
        // Alice's own language is English; what she wrote tells another.
        Assert.StartsWith(start, await _gw.TextAsync(Alice, text));
    }

    [Fact]
    public async Task ADidYouMeanNamesTheKeywordInTheLanguageOfTheMessage()
    {
        Assert.Equal("Désolé, nous n'avons pas compris. Vouliez-vous dire FACTURE ?", await _gw.TextAsync(Alice, "ma factur truc svp"));
        Assert.Equal("متاسفیم، متوجه نشدیم. منظورتان «قبض» بود؟", await _gw.TextAsync(Alice, "قبض فردا"));
        Assert.Equal("抱歉，没有看懂。您是想发送“账单”吗？", await _gw.TextAsync(Alice, "账单猫"));
    }

    [Fact]
    public async Task AnUnregisteredNumberIsAnsweredInTheLanguageItWroteIn()
    {
        Assert.Equal("该号码未在本公司登记，请致电客服611。", await _gw.TextAsync("+15559999999", "我的手机丢了"));
        Assert.StartsWith("این شماره نزد ما ثبت نشده است.", await _gw.TextAsync("+15559999998", "شکایت دارم"));
    }

    [Fact]
    public async Task TheRateLimitNoticeIsInTheLanguageOfTheMessageThatCrossedIt()
    {
        await using var gw = await TestGateway.StartAsync("--Hall:RateLimitMessages=1");
        Assert.StartsWith("Your balance is", await gw.TextAsync(Alice, "bal"));
        Assert.Equal("پیام‌ها را خیلی سریع می‌فرستید. لطفا یک دقیقه صبر کنید و دوباره امتحان کنید.", await gw.TextAsync(Alice, "شکایت دارم"));
    }

    [Fact]
    public async Task CodesAndNumbersAloneAreStillAnsweredInTheSubscribersOwnLanguage()
    {
        Assert.StartsWith("Sorry, we did not understand.", await _gw.TextAsync(Alice, "12345"));
        Assert.StartsWith("Your balance is", await _gw.TextAsync(Alice, "CXYE 👍"));
    }

    [Fact]
    public async Task AliasesAreAnsweredInTheSubscribersOwnLanguageWhichLangChanges()
    {
        Assert.StartsWith("Your balance is", await _gw.TextAsync(Alice, "CXYE"));
        Assert.Equal("Les réponses seront désormais en francais.", await _gw.TextAsync(Alice, "LANGUE FRANCAIS"));
        Assert.StartsWith("Votre solde est de", await _gw.TextAsync(Alice, "CXYE"));
        Assert.StartsWith("Votre solde est de", await _gw.TextAsync(Alice, "bal"));
        Assert.StartsWith("Your balance is", await _gw.TextAsync(Alice, "balance"));
        Assert.Equal("今后将用简体中文回复您。", await _gw.TextAsync(Alice, "语言 中文"));
        Assert.StartsWith("您的余额为", await _gw.TextAsync(Alice, "cxye"));
    }

    [Fact]
    public async Task TwoQuestionsInOneMessageGetBothAnswersInOneReply()
    {
        var reply = await _gw.TextAsync("+15550000002", "BAL BILL");
        Assert.Equal(
            "Plan GOLD is postpaid. Unpaid bills: $45.00. Text BILL for your latest bill.\nBill 2026-10: $45.00 (Plan GOLD $45.00) was due 2026-11-20: 2 days overdue. Pay by card in our app, by bank transfer or in any shop.",
            reply);
        using var db = _gw.OpenDatabase();
        var row = db.QuerySingle("SELECT reply_key, segments, encoding FROM outbound_messages ORDER BY id DESC LIMIT 1");
        Assert.Equal("balance.postpaid+bill.overdue", (string)row.reply_key);
        Assert.Equal(2L, (long)row.segments); // the bill says how to pay
        Assert.Equal("gsm7", (string)row.encoding);
    }

    [Theory]
    [InlineData("bil", "Sorry, we did not understand. Did you mean BILL?")]
    [InlineData("stop please", "Sorry, we did not understand. Try: BAL, USAGE, BILL [month], PLAN [name], LANG xx, TOPUP code, POINTS, SERVICES. Care: 611.")]
    [InlineData("账", "抱歉，没有看懂。可以试试：余额, 流量, 账单 [月份], 套餐 [名称], 语言 xx, 充值 充值码, 积分, 业务。客服电话：611。")]
    public async Task WhatIsNotClearGetsAQuestionOrAShortHelpInTheSubscribersLanguage(string text, string reply)
    {
        if (text == "账") await _gw.TextAsync(Alice, "LANG ZH");
        Assert.Equal(reply, await _gw.TextAsync(Alice, text));
    }

    [Fact]
    public async Task AMistypedPlanChangeIsOfferedByItsExactNameAndWaitsForYes()
    {
        var offer = await _gw.TextAsync(Alice, "plan gld");
        Assert.StartsWith("Change plan SILVER to GOLD at $45.00/month", offer);
        Assert.Equal("SILVER", _gw.PlanOf(Alice));
        Assert.StartsWith("Done: your plan is now GOLD", await _gw.TextAsync(Alice, "yes please"));
        Assert.Equal("GOLD", _gw.PlanOf(Alice));
    }

    [Theory]
    [InlineData("是", "办理成功")]
    [InlineData("oui", "C'est fait")]
    [InlineData("بله", "انجام شد")]
    public async Task YesInEveryLanguageConfirmsInThatLanguage(string yes, string done)
    {
        await _gw.TextAsync(Alice, "PLAN GOLD");
        Assert.StartsWith(done, await _gw.TextAsync(Alice, yes));
        Assert.Equal("GOLD", _gw.PlanOf(Alice));
    }

    [Theory]
    [InlineData("取消")]
    [InlineData("non")]
    [InlineData("خیر")]
    public async Task NoInEveryLanguageCancels(string no)
    {
        await _gw.TextAsync(Alice, "PLAN GOLD");
        await _gw.TextAsync(Alice, no);
        Assert.Equal("SILVER", _gw.PlanOf(Alice));
        Assert.DoesNotContain("GOLD", await _gw.TextAsync(Alice, "yes"));
    }

    [Fact]
    public async Task TheLogRecordsHowATypoWasUnderstood()
    {
        await _gw.TextAsync(Alice, "Blance!", "SM000000000000000000000000000TYPO");
        await _gw.TextAsync(Alice, "bil", "SM000000000000000000000000000NEAR");
        using var db = _gw.OpenDatabase();
        var typo = db.QuerySingle("SELECT normalised, command, match, keyword, distance, language FROM inbound_messages WHERE sid = 'SM000000000000000000000000000TYPO'");
        Assert.Equal(("blance", "balance", "fuzzy", "balance", 1L, "en"),
            ((string)typo.normalised, (string)typo.command, (string)typo.match, (string)typo.keyword, (long)typo.distance, (string)typo.language));
        var near = db.QuerySingle("SELECT command, suggestions FROM inbound_messages WHERE sid = 'SM000000000000000000000000000NEAR'");
        Assert.Equal(("unknown", """["bill"]"""), ((string)near.command, (string)near.suggestions));
    }

    [Fact]
    public async Task EnglishAndFrenchRepliesStayInGsm7()
    {
        await _gw.TextAsync(Alice, "facture");
        await _gw.TextAsync(Alice, "LANGUE FR");
        await _gw.TextAsync(Alice, "aide");
        using var db = _gw.OpenDatabase();
        var encodings = db.Query<string>("SELECT DISTINCT encoding FROM outbound_messages WHERE language IN ('en', 'fr')").ToList();
        Assert.Equal(["gsm7"], encodings);
        Assert.Equal(1L, db.ExecuteScalar<long>("SELECT segments FROM outbound_messages WHERE reply_key = 'help'"));
    }
}
