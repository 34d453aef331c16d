using System.Net;
using Dapper;

namespace SmsHall.Tests;

/// <summary>Each command end to end: signed Twilio form in, TwiML out, real SQLite file behind.</summary>
public class WebhookTests : IAsyncLifetime
{
    private const string Alice = "+15550000001"; // prepaid, SILVER, $12.50
    private const string Bob = "+15550000002";   // postpaid, GOLD, six months of bills
    private TestGateway _gw = null!;

    public async Task InitializeAsync() => _gw = await TestGateway.StartAsync();
    public async Task DisposeAsync() => await _gw.DisposeAsync();

    [Fact]
    public async Task BalanceNamesTheAmountAndValidity()
    {
        Assert.Equal("Your balance is $12.50, valid until 2026-12-22. Plan SILVER.", await _gw.TextAsync(Alice, "BAL"));
        Assert.Equal("Your balance is $12.50, valid until 2026-12-22. Plan SILVER.", await _gw.TextAsync(Alice, " balance! "));
    }

    [Fact]
    public async Task BalanceOfAPostpaidAccountNamesWhatIsOwed()
    {
        Assert.Equal("Plan GOLD is postpaid. Unpaid bills: $45.00. Text BILL for your latest bill.", await _gw.TextAsync(Bob, "bal"));
    }

    [Fact]
    public async Task UsageComparesWithThePlansAllowance()
    {
        Assert.Equal("Since 2026-11-01: data 2.1 GB of 5 GB, 87 of 300 min, 40 of 300 SMS (SILVER).", await _gw.TextAsync(Alice, "usage"));
    }

    [Fact]
    public async Task BillWithoutAMonthIsTheLatestBill()
    {
        Assert.Equal("Bill 2026-10: $45.00 (Plan GOLD $45.00) was due 2026-11-20: 2 days overdue. Pay by card in our app, by bank transfer or in any shop.", await _gw.TextAsync(Bob, "BILL"));
    }

    [Theory]
    [InlineData("BILL 9")]
    [InlineData("bill sep")]
    [InlineData("Bill September")]
    [InlineData("BILL 2026-09")]
    [InlineData("bill 09/2026")]
    public async Task BillOfAMonthNamesTotalLinesAndPayment(string text)
    {
        Assert.Equal("Bill 2026-09: $48.20 (Plan GOLD $45.00, Roaming $3.20). Paid on 2026-10-15, thank you.", await _gw.TextAsync(Bob, text));
    }

    [Fact]
    public async Task BillLastIsLastMonth()
    {
        Assert.StartsWith("Bill 2026-10: $45.00", await _gw.TextAsync(Bob, "BILL LAST"));
    }

    [Fact]
    public async Task AMonthWithoutABillNamesTheMonthsThatHaveOne()
    {
        // In November 2026, DEC is December 2025: before the first bill.
        Assert.Equal("No bill for 2025-12. Bills: 2026-10, 2026-09, 2026-08, 2026-07, 2026-06, 2026-05.", await _gw.TextAsync(Bob, "BILL DEC"));
    }

    [Fact]
    public async Task APrepaidSubscriberHasNoBills()
    {
        Assert.Equal("You have no bills: prepaid accounts are not billed. Text BAL for your balance.", await _gw.TextAsync(Alice, "bill"));
    }

    [Fact]
    public async Task PlanShowsTheCurrentPlanAndTheOthers()
    {
        Assert.Equal(
            "Your plan: SILVER $20.00/month (5 GB, 300 min, 300 SMS). Others: BASIC $10.00, GOLD $45.00, FAMILY $60.00. Text PLAN <name> to change.",
            await _gw.TextAsync(Alice, "PLAN"));
    }

    [Fact]
    public async Task APlanChangeHappensOnlyAfterYes()
    {
        Assert.Equal(
            "Change plan SILVER to GOLD at $45.00/month (20 GB, 1000 min, 1000 SMS) from 2026-11-22? Reply YES within 10 min to confirm, NO to cancel.",
            await _gw.TextAsync(Alice, "PLAN GOLD"));
        Assert.Equal("SILVER", _gw.PlanOf(Alice));

        _gw.Clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal("Done: your plan is now GOLD, from 2026-11-22.", await _gw.TextAsync(Alice, "yes"));
        Assert.Equal("GOLD", _gw.PlanOf(Alice));
        Assert.StartsWith("Your plan: GOLD", await _gw.TextAsync(Alice, "plan"));

        // The offer is used up: a second YES changes nothing.
        Assert.Equal("There is nothing to confirm. Text HELP for the commands.", await _gw.TextAsync(Alice, "YES"));
        using var db = _gw.OpenDatabase();
        Assert.Equal(1, db.ExecuteScalar<long>("SELECT COUNT(*) FROM plan_changes WHERE number = @Alice AND from_plan = 'SILVER' AND to_plan = 'GOLD'", new { Alice }));
    }

    [Fact]
    public async Task ChangePlanToIsTheSameOffer()
    {
        Assert.StartsWith("Change plan SILVER to FAMILY at $60.00/month", await _gw.TextAsync(Alice, "change plan to family"));
        Assert.Equal("Done: your plan is now FAMILY, from 2026-11-22.", await _gw.TextAsync(Alice, "Y"));
    }

    [Fact]
    public async Task NoCancelsTheOffer()
    {
        await _gw.TextAsync(Alice, "PLAN GOLD");
        Assert.Equal("Cancelled. Your plan stays SILVER.", await _gw.TextAsync(Alice, "NO"));
        Assert.Equal("There is nothing to confirm. Text HELP for the commands.", await _gw.TextAsync(Alice, "YES"));
        Assert.Equal("SILVER", _gw.PlanOf(Alice));
    }

    [Fact]
    public async Task AnExpiredOfferIsExplainedAndNotApplied()
    {
        await _gw.TextAsync(Alice, "PLAN GOLD");
        _gw.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal("That offer has expired and nothing was changed. Text PLAN GOLD to ask again.", await _gw.TextAsync(Alice, "YES"));
        Assert.Equal("SILVER", _gw.PlanOf(Alice));
        Assert.Equal("There is nothing to confirm. Text HELP for the commands.", await _gw.TextAsync(Alice, "YES"));
    }

    [Fact]
    public async Task NoWithoutAnOfferSaysSo()
    {
        Assert.Equal("There is nothing to cancel.", await _gw.TextAsync(Alice, "no"));
    }

    [Fact]
    public async Task ANewOfferReplacesTheOldOne()
    {
        await _gw.TextAsync(Alice, "PLAN GOLD");
        await _gw.TextAsync(Alice, "PLAN BASIC");
        Assert.Equal("Done: your plan is now BASIC, from 2026-11-22.", await _gw.TextAsync(Alice, "YES"));
    }

    [Fact]
    public async Task AnUnknownPlanListsTheRealOnes()
    {
        Assert.Equal("There is no plan PLATINUM. Plans: BASIC, SILVER, GOLD, FAMILY. Text PLAN for prices.", await _gw.TextAsync(Alice, "change plan to platinum"));
        Assert.Equal("You are already on plan SILVER.", await _gw.TextAsync(Alice, "plan silver"));
    }

    [Theory]
    [InlineData("HELP")]
    [InlineData("?")]
    [InlineData("help!")]
    public async Task HelpListsTheCommandsInOneSms(string text)
    {
        var help = await _gw.TextAsync(Alice, text);
        Assert.Equal("BAL, USAGE, BILL [month], PLAN [name], LANG xx, TOPUP code, POINTS, SERVICES. YES/NO to confirm. STOP to opt out.", help);
    }

    [Fact]
    public async Task WhatIsNotUnderstoodGetsHelpNotAnError()
    {
        Assert.Equal("Sorry, we did not understand. Try: BAL, USAGE, BILL [month], PLAN [name], LANG xx, TOPUP code, POINTS, SERVICES. Care: 611.", await _gw.TextAsync(Alice, "is the network down"));
        Assert.Equal("Sorry, we did not understand. Did you mean BILL?", await _gw.TextAsync(Alice, "bill 13"));
        Assert.Equal("Sorry, we did not understand. Try: BAL, USAGE, BILL [month], PLAN [name], LANG xx, TOPUP code, POINTS, SERVICES. Care: 611.", await _gw.TextAsync(Alice, ""));
    }

    [Fact]
    public async Task AnUnknownNumberIsPolitelyToldItIsNotRegistered()
    {
        Assert.Equal("This number is not registered with us. Please call customer care on 611.", await _gw.TextAsync("+15559999999", "BAL"));
    }

    [Fact]
    public async Task StopSilencesEverythingButHelpUntilStart()
    {
        Assert.Equal("You have opted out and will get no more replies. Text START to come back.", await _gw.TextAsync(Alice, "STOP"));
        Assert.Null(await _gw.TextAsync(Alice, "BAL"));
        Assert.StartsWith("BAL, USAGE", await _gw.TextAsync(Alice, "HELP"));
        Assert.Equal("Welcome back: replies are on again. Text HELP for the commands.", await _gw.TextAsync(Alice, "START"));
        Assert.StartsWith("Your balance is", await _gw.TextAsync(Alice, "BAL"));

        using var db = _gw.OpenDatabase();
        Assert.Equal(1, db.ExecuteScalar<long>("SELECT COUNT(*) FROM outbound_messages WHERE to_number = @Alice AND status = 'suppressed'", new { Alice }));
    }

    [Fact]
    public async Task LangChangesTheLanguageOnlyToOneTheCatalogueHas()
    {
        Assert.Equal("Language ES is not available. Available: EN, FA, FR, ZH.", await _gw.TextAsync(Alice, "LANG ES"));
        Assert.Equal("Replies will now be in English.", await _gw.TextAsync(Alice, "lang en"));
    }

    [Fact]
    public async Task EveryMessageAndReplyIsLoggedWithHowItWasUnderstood()
    {
        await _gw.TextAsync(Alice, "Bill Oct!", "SM0000000000000000000000000000LOG");
        using var db = _gw.OpenDatabase();
        var inbound = db.QuerySingle("SELECT * FROM inbound_messages WHERE sid = 'SM0000000000000000000000000000LOG'");
        Assert.Equal(Alice, (string)inbound.from_number);
        Assert.Equal("Bill Oct!", (string)inbound.body);
        Assert.Equal("handled", (string)inbound.status);
        Assert.Equal("bill oct", (string)inbound.normalised);
        Assert.Equal("bill", (string)inbound.command);
        Assert.Equal("""{"period":"2026-10"}""", (string)inbound.args);
        Assert.Equal("exact", (string)inbound.match);
        Assert.Equal("bill", (string)inbound.keyword);
        var outbound = db.QuerySingle("SELECT * FROM outbound_messages WHERE inbound_sid = 'SM0000000000000000000000000000LOG'");
        Assert.Equal(Alice, (string)outbound.to_number);
        Assert.Equal(TestGateway.ShortCode, (string)outbound.from_number);
        Assert.Equal("bill.none", (string)outbound.reply_key);
        Assert.Equal("gsm7", (string)outbound.encoding);
        Assert.Equal(1L, (long)outbound.segments);
        Assert.Equal("replied", (string)outbound.status);
    }

    [Fact]
    public async Task HealthSaysOk()
    {
        await using var gw = await TestGateway.StartAsync($"--Operator:ApiKey={TestGateway.OperatorKey}");
        var health = (await gw.HealthAsync(TestGateway.OperatorKey)).Json.GetRawText();
        Assert.Contains("\"status\":\"ok\"", health);
        Assert.Contains("\"languages\":[\"en\",\"fa\",\"fr\",\"zh\"]", health);
        Assert.Contains("\"rejected\":null", health);
    }
}
