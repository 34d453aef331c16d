using Dapper;

namespace SmsHall.Tests;

/// <summary>
/// The self-service hall through the webhook, on the demo data (today 2026-11-22): points and
/// rewards, payments, itemised records and MORE, paid extras and their cancellation, data packs,
/// plan advice and the bill's due date, in the four languages, with every way an offer can end.
/// </summary>
public class SelfServiceTests : IAsyncLifetime
{
    private const string Alice = "+15550000001";   // prepaid SILVER, $12.50, 1220 points, extras NEWS and RBT
    private const string Bob = "+15550000002";     // postpaid GOLD, 2500 points, extra GAMES
    private const string Chen = "+15550000003";    // prepaid BASIC, $3.75, 150 points, data outgrew BASIC
    private const string Claire = "+15550000004";  // prepaid FAMILY, fits GOLD, four extras
    private const string Dariush = "+15550000005"; // prepaid BASIC, no history at all
    private TestGateway _gw = null!;

    public async Task InitializeAsync() => _gw = await TestGateway.StartAsync();
    public async Task DisposeAsync() => await _gw.DisposeAsync();

    private long Scalar(string sql, object? args = null)
    {
        using var db = _gw.OpenDatabase();
        return db.ExecuteScalar<long>(sql, args);
    }

    // --- points

    [Theory]
    [InlineData("points", "You have 1220 points; 320 of them lapse within 60 days, from 2026-12-12. Text REDEEM to see the rewards.")]
    [InlineData("CXJF", "You have 1220 points; 320 of them lapse within 60 days, from 2026-12-12. Text REDEEM to see the rewards.")]
    [InlineData("积分查询", "您有1220积分，其中320分将在60天内到期（最早2026-12-12）。发送“兑换”查看可兑换的礼品。")]
    [InlineData("mes points", "Vous avez 1220 points ; 320 expirent dans les 60 jours, dès le 2026-12-12. Envoyez CADEAUX pour voir les cadeaux.")]
    [InlineData("امتیاز من", "شما 1220 امتیاز دارید؛ 320 امتیاز از 2026-12-12 و ظرف ۶۰ روز منقضی می‌شود. برای دیدن جوایز «جوایز» را بفرستید.")]
    public async Task PointsNameTheBalanceWhatLapsesSoonAndHowToRedeem(string message, string reply) =>
        Assert.Equal(reply, await _gw.TextAsync(Alice, message));

    [Fact]
    public async Task SomebodyWithoutPointsOrWithNoneLapsingSoonIsToldSo()
    {
        Assert.Equal("You have no points yet. Every payment and top-up earns some.", await _gw.TextAsync(Dariush, "my points"));
        Assert.Equal("You have 2500 points, none lapsing within 60 days. Text REDEEM to see the rewards.", await _gw.TextAsync(Bob, "points"));
    }

    [Fact]
    public async Task RedeemAloneListsTheRewardsInTheLanguageAsked()
    {
        Assert.Equal("You have 1220 points. Rewards: R500M 500 MB of data 300 pts; R1G 1 GB of data 500 pts; C5 $5.00 credit 800 pts. Text REDEEM and a code, e.g. REDEEM R1G.",
            await _gw.TextAsync(Alice, "redeem"));
        Assert.StartsWith("您有1220积分。可兑换：R500M 500 MB流量 300分;", await _gw.TextAsync(Alice, "积分兑换"));
    }

    [Fact]
    public async Task YesToARewardSpendsThePointsLapsingFirstAndAddsTheData()
    {
        Assert.Equal("Redeem 500 of your 1220 points for 1 GB of data (R1G)? Reply YES within 10 min to confirm, NO to cancel.",
            await _gw.TextAsync(Alice, "redeem 1GB"));
        Assert.Equal(1220, Scalar("SELECT SUM(points_left) FROM point_lots WHERE number = @Alice", new { Alice })); // nothing before YES

        Assert.Equal("Done: 1 GB of data added. You have 720 points left.", await _gw.TextAsync(Alice, "yes"));
        // The 320 lapsing in December went first, then 180 of the 900.
        using var db = _gw.OpenDatabase();
        Assert.Equal([0L, 720L], db.Query<long>("SELECT points_left FROM point_lots WHERE number = @Alice ORDER BY expires_on", new { Alice }));
        Assert.Equal((1024L, "R1G", "2026-12-22"), db.QuerySingle<(long, string, string)>("SELECT data_mb, code, valid_until FROM data_added WHERE number = @Alice", new { Alice }));
    }

    [Fact]
    public async Task ACreditRewardGoesOnThePrepaidBalanceOrOffThePostpaidBill()
    {
        await _gw.TextAsync(Alice, "redeem C5");
        Assert.Equal("Done: $5.00 credit added. You have 420 points left.", await _gw.TextAsync(Alice, "yes"));
        Assert.Equal(1750, _gw.BalanceOf(Alice));

        await _gw.TextAsync(Bob, "redeem c5");
        Assert.Equal("Done: $5.00 credit added. You have 1700 points left.", await _gw.TextAsync(Bob, "yes"));
        Assert.Equal(-500, Scalar("SELECT amount_cents FROM next_bill_charges WHERE number = @Bob", new { Bob }));
    }

    [Fact]
    public async Task TooFewPointsOrARewardThereIsNotAreExplained()
    {
        Assert.Equal("1 GB of data needs 500 points; you have 150. Text POINTS for when yours lapse.", await _gw.TextAsync(Chen, "redeem 1GB"));
        Assert.Equal("There is no reward 7GB. Text REDEEM for the rewards.", await _gw.TextAsync(Chen, "redeem 7GB"));
        Assert.Equal(0, Scalar("SELECT COUNT(*) FROM pending_actions"));
    }

    // --- payments and itemised records

    [Fact]
    public async Task PaymentsAreListedNewestFirstWithHowTheyWereMade()
    {
        Assert.Equal("Payments: 2026-11-19 $10.00 voucher; 2026-11-04 $20.00 card; 2026-10-20 $10.00 shop; 2026-10-06 $5.00 by SMS; 2026-09-19 $20.00 voucher; 2026-09-03 $10.00 card; 2026-08-19 $5.00 shop.",
            await _gw.TextAsync(Alice, "payments"));
        Assert.StartsWith("缴费记录：2026-11-19 $10.00 充值卡; 2026-11-04 $20.00 银行卡;", await _gw.TextAsync(Alice, "缴费记录"));
        Assert.Equal("No payments or top-ups on record yet.", await _gw.TextAsync(Dariush, "payments"));
        // A voucher redeemed here is a payment too.
        await _gw.TextAsync(Dariush, "TOPUP 1111-2222-3333");
        Assert.Equal("Payments: 2026-11-22 $10.00 voucher.", await _gw.TextAsync(Dariush, "my payments"));
    }

    [Fact]
    public async Task HistoryPagesThroughEveryRecordOnceWithMore()
    {
        var records = Scalar("SELECT COUNT(*) FROM usage_records WHERE number = @Alice AND at >= '2026-11-01' AND at < '2026-12-01'", new { Alice });
        var first = (await _gw.TextAsync(Alice, "history"))!;
        Assert.StartsWith("2026-11, newest first: 11-21 ", first);
        Assert.Matches(@"\. Totals: \d+ min, \d+ SMS, [0-9.]+ GB, charged \$0\.45\.$", first);

        var shown = new List<string>();
        var reply = first;
        for (var page = 0; page < 20; page++)
        {
            var items = reply.Split(": ", 2)[1].Split(". Tot")[0];
            var left = items.Contains("... and ") ? items[..items.IndexOf("... and ", StringComparison.Ordinal)] : items;
            shown.AddRange(left.Split("; "));
            Assert.True(SmsSegmentsOf(reply) <= 3, reply);
            if (!items.Contains("text MORE")) break;
            reply = (await _gw.TextAsync(Alice, "more"))!;
        }
        Assert.Equal(records, shown.Count);
        Assert.Equal(shown.Count, shown.Distinct().Count());
        Assert.Equal("There is nothing more to show.", await _gw.TextAsync(Alice, "more"));
    }

    [Fact]
    public async Task MorePagesTheLastListShownNotAnEarlierOne()
    {
        Assert.Contains("text MORE", await _gw.TextAsync(Alice, "history"));
        await _gw.TextAsync(Alice, "0000"); // shown whole
        Assert.Equal("There is nothing more to show.", await _gw.TextAsync(Alice, "more"));
    }

    [Theory]
    [InlineData("history calls oct", "Calls 2026-10: 10-26 12:35 call ")]
    [InlineData("call history october", "Calls 2026-10: 10-26 12:35 call ")]
    [InlineData("十月通话详单", "2026-10通话详单：10-26 12:35 通话 ")]
    [InlineData("détail appels octobre", "Appels 2026-10 : 10-26 12:35 appel ")]
    [InlineData("ریز مکالمات اکتبر", "ریز مکالمات 2026-10: 10-26 12:35 تماس ")]
    public async Task HistoryOfOneKindInAMonthInEachLanguage(string message, string start)
    {
        var reply = await _gw.TextAsync(Alice, message);
        Assert.StartsWith(start, reply);
        Assert.Contains("90", reply); // a whole month of calls: 90 minutes
    }

    [Fact]
    public async Task AMonthWithoutRecordsSaysSo() =>
        Assert.Equal("No records for 2026-01.", await _gw.TextAsync(Alice, "history jan"));

    // --- paid extras

    [Fact]
    public async Task ServicesAreNumberedWithTheirPriceAndHowToCancel()
    {
        Assert.Equal("Your services: 1 NEWS News alerts $1.50; 2 RBT Ringback tone $2.00. Total $3.50/month. To cancel one, text CANCEL and its number.",
            await _gw.TextAsync(Alice, "0000"));
        Assert.Equal("您已订业务：1 新闻早晚报（NEWS）$1.50; 2 彩铃（RBT）$2.00。合计$3.50/月。退订请发送“取消”加序号，如：取消1。", await _gw.TextAsync(Alice, "我订了哪些业务"));
        Assert.StartsWith("Vos services : 1 NEWS Alertes infos $1.50;", await _gw.TextAsync(Alice, "mes abonnements"));
        Assert.StartsWith("سرویس‌های شما: 1 اخبار (NEWS) $1.50;", await _gw.TextAsync(Alice, "سرویس های من"));
        Assert.Equal("You have no paid services.", await _gw.TextAsync(Dariush, "my subscriptions"));
    }

    [Fact]
    public async Task CancelAndTheNumberOffersThenYesCancelsAtTheEndOfTheCycle()
    {
        Assert.Equal("Cancel RBT Ringback tone $2.00? You save $2.00/month; it stops on 2026-11-30. Reply YES within 10 min to confirm, NO to keep it.",
            await _gw.TextAsync(Alice, "cancel 2"));
        Assert.Equal("Done: RBT Ringback tone $2.00 cancelled, in effect until 2026-11-30.", await _gw.TextAsync(Alice, "yes"));
        using var db = _gw.OpenDatabase();
        Assert.Equal(("2026-11-22", "2026-11-30"), db.QuerySingle<(string, string)>(
            "SELECT cancelled_on, ends_on FROM subscriptions WHERE number = @Alice AND extra_code = 'RBT'", new { Alice }));
        Assert.Equal("Your services: 1 NEWS News alerts $1.50. Total $1.50/month. To cancel one, text CANCEL and its number.", await _gw.TextAsync(Alice, "services"));
    }

    [Fact]
    public async Task AnOperatorMayHaveExtrasStopAtOnce()
    {
        await using var gw = await TestGateway.StartAsync("--Hall:CancelExtrasAt=now");
        Assert.EndsWith("it stops on 2026-11-22. Reply YES within 10 min to confirm, NO to keep it.", await gw.TextAsync(Alice, "cancel 1"));
    }

    [Theory]
    [InlineData("取消彩铃", "确认退订彩铃（RBT，$2.00）？每月节省$2.00，2026-11-30起停止。请在10分钟内回复“是”确认，回复“否”保留。", "否", "已取消退订RBT，未做任何更改。")]
    [InlineData("annuler 2", "Résilier RBT Sonnerie $2.00 ? Vous économisez $2.00/mois ; arret le 2026-11-30. Répondez OUI sous 10 min pour confirmer, NON pour garder.", "non", "Annulé : la résiliation de RBT. Rien n'a été changé.")]
    [InlineData("لغو آهنگ پیشواز", "لغو آهنگ پیشواز (RBT، $2.00)؟ ماهانه $2.00 کمتر می‌پردازید؛ از 2026-11-30 قطع می‌شود. تا 10 دقیقه «بله» یا «نه» بفرستید.", "نه", "لغو شد: لغو RBT. چیزی تغییر نکرد.")]
    [InlineData("cancel my ringtone subscription", "Cancel RBT Ringback tone $2.00? You save $2.00/month; it stops on 2026-11-30. Reply YES within 10 min to confirm, NO to keep it.", "no", "OK: cancelling RBT is called off. Nothing was changed.")]
    public async Task ACancellationAskedInAnyLanguageIsKeptOnNo(string ask, string offer, string no, string kept)
    {
        Assert.Equal(offer, await _gw.TextAsync(Alice, ask));
        Assert.Equal(kept, await _gw.TextAsync(Alice, no));
        Assert.Equal(0, Scalar("SELECT COUNT(*) FROM subscriptions WHERE cancelled_on IS NOT NULL"));
    }

    [Fact]
    public async Task TdOrQxWithACodeCancelsThatExtraAndSeveralCanGoAtOnce()
    {
        Assert.StartsWith("Cancel RBT Ringback tone $2.00?", await _gw.TextAsync(Alice, "TD RBT"));
        Assert.StartsWith("Cancel TRAVEL Travel pass $5.00, GAMES Games club $3.00? You save $8.00/month;", await _gw.TextAsync(Claire, "cancel 1 games"));
        Assert.StartsWith("Done: TRAVEL Travel pass $5.00, GAMES Games club $3.00 cancelled", await _gw.TextAsync(Claire, "ok"));
        Assert.StartsWith("Cancel RBT Ringback tone $2.00?", await _gw.TextAsync(Claire, "QXRBT"));
    }

    [Fact]
    public async Task BareCancelOrTdWithNothingWaitingStillOptsOutAndCancelWithAnOfferWaitingIsNo()
    {
        await _gw.TextAsync(Alice, "buy 1GB");
        Assert.Equal("OK: buying data pack P1G is called off. Nothing was changed.", await _gw.TextAsync(Alice, "CANCEL"));
        Assert.Equal("Your balance is $12.50, valid until 2026-12-22. Plan SILVER.", await _gw.TextAsync(Alice, "bal")); // still subscribed

        Assert.Equal("You have opted out and will get no more replies. Text START to come back.", await _gw.TextAsync(Alice, "CANCEL"));
        Assert.Equal("You have opted out and will get no more replies. Text START to come back.", await _gw.TextAsync(Chen, "TD")); // a code: the subscriber's language
        Assert.Equal(2, Scalar("SELECT COUNT(*) FROM subscribers WHERE opted_out = 1"));
        Assert.Equal(0, Scalar("SELECT COUNT(*) FROM subscriptions WHERE cancelled_on IS NOT NULL"));
    }

    [Fact]
    public async Task AnItemThatIsNotOneOfTheirsIsNamedBack()
    {
        Assert.Equal("You have no service 9. Text 0000 for your services and their numbers.", await _gw.TextAsync(Alice, "cancel 9"));
        Assert.Equal("You have no service games. Text 0000 for your services and their numbers.", await _gw.TextAsync(Alice, "cancel games"));
        Assert.Equal("To cancel a service, text CANCEL and its number; text 0000 for the list.", await _gw.TextAsync(Alice, "cancel service"));
    }

    [Fact]
    public async Task AServiceCancelledMeanwhileMakesTheOfferVoidAndNothingHappens()
    {
        await _gw.TextAsync(Alice, "cancel 1 2");
        using (var db = _gw.OpenDatabase()) db.Execute("UPDATE subscriptions SET cancelled_on = '2026-11-22' WHERE number = @Alice AND extra_code = 'NEWS'", new { Alice });
        Assert.Equal("That offer (cancelling NEWS, RBT) has expired or changed, and nothing was done. Ask again if you still want it.", await _gw.TextAsync(Alice, "yes"));
        Assert.Equal(1, Scalar("SELECT COUNT(*) FROM subscriptions WHERE number = @Alice AND cancelled_on IS NULL", new { Alice }));
    }

    // --- data packs

    [Theory]
    [InlineData("data packs", "Data packs: P500M 500 MB 7 days $2.00; P1G 1 GB 30 days $5.00; P5G 5 GB 30 days $15.00; P20G 20 GB 30 days $35.00. Text BUY and the size, e.g. BUY 1GB.")]
    [InlineData("流量包", "可订流量包：P500M 500 MB 7天 $2.00; P1G 1 GB 30天 $5.00; P5G 5 GB 30天 $15.00; P20G 20 GB 30天 $35.00。订购请发送“订流量包”加大小，如：订流量包1G。")]
    [InlineData("pass data", "Pass data : P500M 500 MB 7 j $2.00; P1G 1 GB 30 j $5.00; P5G 5 GB 30 j $15.00; P20G 20 GB 30 j $35.00. Envoyez ACHETER et la taille, ex. ACHETER 1 GO.")]
    [InlineData("بسته اینترنت", "بسته‌های اینترنت: P500M 500 MB 7 روزه $2.00; P1G 1 GB 30 روزه $5.00; P5G 5 GB 30 روزه $15.00; P20G 20 GB 30 روزه $35.00. برای خرید «خرید» و حجم را بفرستید، مثلا: خرید 1 گیگ")]
    public async Task DataPacksAreListedWithSizeValidityAndPrice(string message, string reply) =>
        Assert.Equal(reply, await _gw.TextAsync(Alice, message));

    [Theory]
    [InlineData("buy 1GB data", "Buy data pack P1G (1 GB, 30 days) for $5.00 from your balance of $12.50? Reply YES within 10 min to confirm, NO to cancel.", "YES",
        "Done: pack P1G added, 1 GB until 2026-12-22. Your balance is now $7.50.")]
    [InlineData("订流量包1G", "确认用余额$12.50购买流量包P1G（1 GB，30天）$5.00？请在10分钟内回复“是”确认，回复“否”取消。", "是",
        "订购成功：流量包P1G已生效，1 GB有效期至2026-12-22。当前余额$7.50。")]
    [InlineData("acheter 1 Go", "Acheter le pass P1G (1 GB, 30 jours) à $5.00 sur votre solde de $12.50 ? Répondez OUI sous 10 min pour confirmer, NON pour annuler.", "oui",
        "C'est fait : pass P1G ajouté, 1 GB jusqu'au 2026-12-22. Votre solde est de $7.50.")]
    [InlineData("بسته اینترنت یک گیگ", "خرید بسته P1G (1 GB، 30 روزه) به قیمت $5.00 از موجودی $12.50؟ تا 10 دقیقه «بله» برای تایید یا «نه» برای لغو بفرستید.", "بله",
        "انجام شد: بسته P1G فعال شد، 1 GB تا 2026-12-22. موجودی شما اکنون $7.50 است.")]
    public async Task APackIsOfferedWithItsPriceAndYesBuysItFromTheBalance(string ask, string offer, string yes, string done)
    {
        Assert.Equal(offer, await _gw.TextAsync(Alice, ask));
        Assert.Equal(1250, _gw.BalanceOf(Alice));
        Assert.Equal(done, await _gw.TextAsync(Alice, yes));
        Assert.Equal(750, _gw.BalanceOf(Alice));
        Assert.Equal(1, Scalar("SELECT COUNT(*) FROM data_added WHERE number = @Alice AND code = 'P1G' AND source = 'pack'", new { Alice }));
    }

    [Fact]
    public async Task ABoughtPackCountsInTheDataAllowanceUntilItLapses()
    {
        var before = await _gw.TextAsync(Alice, "USAGE");
        Assert.Contains("data 2.1 GB of 5 GB", before);
        await _gw.TextAsync(Alice, "buy 1GB");
        await _gw.TextAsync(Alice, "YES");

        Assert.Contains("data 2.1 GB of 6 GB", await _gw.TextAsync(Alice, "USAGE"));
        _gw.Clock.Advance(TimeSpan.FromDays(31));
        Assert.Contains("of 5 GB", await _gw.TextAsync(Alice, "USAGE"));
    }

    [Fact]
    public async Task NotEnoughBalanceIsExplainedWithHowToTopUp()
    {
        Assert.Equal("Pack P5G costs $15.00 but your balance is $3.75. Top up first: text TOPUP and a voucher code.", await _gw.TextAsync(Chen, "buy 5GB"));
        Assert.Equal(0, Scalar("SELECT COUNT(*) FROM pending_actions"));
    }

    [Fact]
    public async Task MoneySpentBetweenTheOfferAndYesIsNotSpentAgain()
    {
        await _gw.TextAsync(Alice, "buy 1GB");
        using (var db = _gw.OpenDatabase()) db.Execute("UPDATE subscribers SET balance_cents = 200 WHERE number = @Alice", new { Alice });
        Assert.Equal("Pack P1G costs $5.00 but your balance is $2.00. Top up first: text TOPUP and a voucher code.", await _gw.TextAsync(Alice, "yes"));
        Assert.Equal(200, _gw.BalanceOf(Alice));
        Assert.Equal(0, Scalar("SELECT COUNT(*) FROM data_added"));
    }

    [Fact]
    public async Task APostpaidSubscriberPaysThePackWithTheNextBill()
    {
        Assert.Equal("Buy data pack P500M (500 MB, 7 days) for $2.00, added to your next bill? Reply YES within 10 min to confirm, NO to cancel.",
            await _gw.TextAsync(Bob, "buy 500mb"));
        Assert.Equal("Done: pack P500M added, 500 MB until 2026-11-29. $2.00 goes on your next bill.", await _gw.TextAsync(Bob, "yes"));
        using var db = _gw.OpenDatabase();
        Assert.Equal(("Data pack P500M", 200L), db.QuerySingle<(string, long)>("SELECT description, amount_cents FROM next_bill_charges WHERE number = @Bob", new { Bob }));
    }

    [Fact]
    public async Task AnExpiredPackOfferBuysNothing()
    {
        await _gw.TextAsync(Alice, "buy 1GB");
        _gw.Clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal("That offer (buying data pack P1G) has expired or changed, and nothing was done. Ask again if you still want it.", await _gw.TextAsync(Alice, "yes"));
        Assert.Equal(1250, _gw.BalanceOf(Alice));
    }

    [Fact]
    public async Task ARepricedPackIsNotBoughtAtTheNewPrice()
    {
        await _gw.TextAsync(Alice, "buy 1GB");
        using (var db = _gw.OpenDatabase()) db.Execute("UPDATE data_packs SET price_cents = 900 WHERE code = 'P1G'");
        Assert.StartsWith("That offer (buying data pack P1G) has expired or changed", await _gw.TextAsync(Alice, "yes"));
        Assert.Equal(1250, _gw.BalanceOf(Alice));
    }

    [Fact]
    public async Task TwoYesAtOnceBuyOnePack()
    {
        for (var round = 0; round < 5; round++)
        {
            var before = _gw.BalanceOf(Alice);
            await _gw.TextAsync(Alice, "buy 500MB");
            var replies = await Task.WhenAll(_gw.TextAsync(Alice, "yes"), _gw.TextAsync(Alice, "YES"));
            Assert.Single(replies, r => r!.StartsWith("Done: pack P500M added"));
            Assert.Single(replies, r => r == "There is nothing to confirm. Text HELP for the commands.");
            Assert.Equal(before - 200, _gw.BalanceOf(Alice));
        }
        Assert.Equal(5, Scalar("SELECT COUNT(*) FROM data_added"));
    }

    [Fact]
    public async Task TheSameYesDeliveredTwiceBuysOnce()
    {
        await _gw.TextAsync(Alice, "buy 1GB");
        var first = await _gw.TextAsync(Alice, "yes", "SM0000000000000000000000000000BUY1");
        Assert.Equal(first, await _gw.TextAsync(Alice, "yes", "SM0000000000000000000000000000BUY1"));
        Assert.Equal(750, _gw.BalanceOf(Alice));
    }

    [Fact]
    public async Task SomethingElseWhileAnOfferWaitsIsToldHowToAnswerIt()
    {
        await _gw.TextAsync(Alice, "buy 1GB");
        Assert.Equal("Your request (buying data pack P1G) is waiting: reply YES to confirm or NO to cancel.", await _gw.TextAsync(Alice, "hmm what"));
        Assert.Equal("您的请求（订购流量包P1G）正在等待确认：回复“是”确认，回复“否”取消。", await _gw.TextAsync(Alice, "什么意思"));
        Assert.StartsWith("Done: pack P1G added", await _gw.TextAsync(Alice, "yes"));
    }

    // --- plan advice

    [Theory]
    [InlineData(Claire, "which plan is best for me", "Your last 3 months fit plan GOLD at $45.00/month, $15.00/month less than FAMILY. Text PLAN GOLD to change.")]
    [InlineData(Chen, "recommend", "Your usage outgrew BASIC: plan SILVER at $20.00/month covers your last 3 months for $10.00 more a month. Text PLAN SILVER to change.")]
    [InlineData(Alice, "best plan", "Plan SILVER is already the cheapest that covers your last 3 months. Nothing to change.")]
    [InlineData(Dariush, "recommend", "We have no usage of yours from the last 3 months to go on yet.")]
    [InlineData(Claire, "推荐套餐", "近3个月用量GOLD套餐（$45.00/月）就够用，比FAMILY每月省$15.00。发送“套餐 GOLD”即可更换。")]
    [InlineData(Claire, "quel forfait me convient", "Vos 3 derniers mois tiennent dans le forfait GOLD à $45.00/mois, $15.00/mois de moins que FAMILY. Envoyez FORFAIT GOLD pour changer.")]
    [InlineData(Claire, "بهترین طرح", "مصرف ۳ ماه اخیر شما در طرح GOLD ماهانه $45.00 جا می‌شود؛ ماهانه $15.00 ارزان‌تر از FAMILY. برای تغییر «طرح GOLD» را بفرستید.")]
    public async Task RecommendNamesTheCheapestPlanCoveringTheLastThreeMonths(string number, string message, string reply) =>
        Assert.Equal(reply, await _gw.TextAsync(number, message));

    [Fact]
    public async Task CraftedHistoriesGetThePlanThatCoversEveryMonthOrNone()
    {
        // Dariush (BASIC): August needs GOLD's minutes, September SILVER's data, October little.
        using (var db = _gw.OpenDatabase())
        {
            Record(db, "2026-08-10T10:00:00Z", "calls", 900 * 60);
            Record(db, "2026-09-10T10:00:00Z", "data", 3000);
            Record(db, "2026-10-10T10:00:00Z", "sms", 1);
        }
        Assert.Equal("Your usage outgrew BASIC: plan GOLD at $45.00/month covers your last 3 months for $35.00 more a month. Text PLAN GOLD to change.",
            await _gw.TextAsync(Dariush, "recommend"));

        // More data than any plan has in one month: no plan covers it, so none is advised.
        using (var db = _gw.OpenDatabase()) Record(db, "2026-10-11T10:00:00Z", "data", 60 * 1024);
        Assert.Equal("No plan covers all of your last 3 months, so we recommend none; yours is BASIC. Call care for an offer that fits.",
            await _gw.TextAsync(Dariush, "recommend"));

        // This month's records and older ones do not count: only the three closed months before it.
        using (var db = _gw.OpenDatabase())
        {
            db.Execute("DELETE FROM usage_records WHERE number = @Dariush", new { Dariush });
            Record(db, "2026-07-31T10:00:00Z", "data", 40000);
            Record(db, "2026-11-02T10:00:00Z", "data", 40000);
            Record(db, "2026-09-02T10:00:00Z", "data", 900);
        }
        Assert.Equal("Plan BASIC is already the cheapest that covers your last 3 months. Nothing to change.", await _gw.TextAsync(Dariush, "recommend"));

        static void Record(Microsoft.Data.Sqlite.SqliteConnection db, string at, string kind, long quantity) =>
            db.Execute("INSERT INTO usage_records (number, at, kind, quantity) VALUES (@Dariush, @at, @kind, @quantity)",
                new { Dariush, at = at.Replace("Z", ".0000000Z"), kind, quantity });
    }

    [Fact]
    public async Task PlanMentionsACheaperPlanOnlyWhenItWouldSave()
    {
        Assert.Equal("Your plan: FAMILY $60.00/month (50 GB, 2000 min, 2000 SMS). Others: BASIC $10.00, SILVER $20.00, GOLD $45.00. GOLD would save you $15.00/month: text RECOMMEND.",
            await _gw.TextAsync(Claire, "plan"));
        Assert.Equal("Your plan: SILVER $20.00/month (5 GB, 300 min, 300 SMS). Others: BASIC $10.00, GOLD $45.00, FAMILY $60.00. Text PLAN <name> to change.",
            await _gw.TextAsync(Alice, "plan"));
    }

    // --- the bill's due date

    [Theory]
    [InlineData("when is my bill due")]
    [InlineData("how much do I owe")]
    [InlineData("how do I pay")]
    public async Task BillQuestionsAreAnsweredFromTheBillWithTheDaysOverdueAndHowToPay(string question) =>
        Assert.Equal("Bill 2026-10: $45.00 (Plan GOLD $45.00) was due 2026-11-20: 2 days overdue. Pay by card in our app, by bank transfer or in any shop.",
            await _gw.TextAsync(Bob, question));

    [Theory]
    [InlineData("如何缴费", "2026-10账单：$45.00（Plan GOLD $45.00），2026-11-20到期，已逾期2天。可用App银行卡、银行转账或到营业厅缴费。")]
    [InlineData("comment payer ma facture", "Facture 2026-10 : $45.00 (Plan GOLD $45.00), échue le 2026-11-20 : 2 jours de retard. Payez par carte dans l'appli, par virement ou en boutique.")]
    [InlineData("چطور پرداخت کنم", "صورتحساب 2026-10: $45.00 (Plan GOLD $45.00) از 2026-11-20 سررسید شده و 2 روز دیر است. پرداخت با کارت در اپ، کارت به کارت یا در دفاتر فروش.")]
    public async Task HowToPayIsAnsweredInEachLanguage(string question, string reply) => Assert.Equal(reply, await _gw.TextAsync(Bob, question));

    [Fact]
    public async Task ABillNotYetDueSaysWhenAndHowToPay()
    {
        _gw.Clock.Now = new DateTimeOffset(2026, 11, 19, 10, 0, 0, TimeSpan.Zero);
        Assert.Equal("Bill 2026-10: $45.00 (Plan GOLD $45.00). Due 2026-11-20, not paid yet. Pay by card in our app, by bank transfer or in any shop.",
            await _gw.TextAsync(Bob, "bill"));
    }

    private static int SmsSegmentsOf(string text) => Core.Replies.SmsSegments.Count(text).Segments;
}
