using Dapper;

namespace SmsHall.Tests;

/// <summary>TOPUP with a voucher: credited once, never twice, asked about when read from a typo, locked after wrong codes.</summary>
public class TopUpTests : IAsyncLifetime
{
    private const string Alice = "+15550000001"; // prepaid, $12.50
    private const string Chen = "+15550000003";  // prepaid, $3.75
    private const string Bob = "+15550000002";   // postpaid
    private TestGateway _gw = null!;

    public async Task InitializeAsync() => _gw = await TestGateway.StartAsync();
    public async Task DisposeAsync() => await _gw.DisposeAsync();

    [Fact]
    public async Task AVoucherCreditsTheBalanceOnceAndIsThenSpent()
    {
        Assert.Equal("Done: $10.00 added. Your balance is now $22.50.", await _gw.TextAsync(Alice, "TOPUP 1111-2222-3333"));
        Assert.Equal(2250, _gw.BalanceOf(Alice));

        Assert.Equal("That voucher has already been used. Please check the code (4 tries left).", await _gw.TextAsync(Chen, "topup 111122223333"));
        Assert.Equal(375, _gw.BalanceOf(Chen));
        using var db = _gw.OpenDatabase();
        Assert.Equal(Alice, db.ExecuteScalar<string>("SELECT redeemed_by FROM vouchers WHERE code = '111122223333'"));
    }

    [Fact]
    public async Task TheSameMessageDeliveredTwiceTopsUpOnce()
    {
        var first = await _gw.TextAsync(Alice, "recharge 2222 3333 4444", "SM000000000000000000000000000TOP1");
        var again = await _gw.TextAsync(Alice, "recharge 2222 3333 4444", "SM000000000000000000000000000TOP1");

        Assert.Equal(first, again);
        Assert.Equal("Done: $10.00 added. Your balance is now $22.50.", again);
        Assert.Equal(2250, _gw.BalanceOf(Alice));
    }

    [Fact]
    public async Task OneVoucherSentFromTwoNumbersAtOnceIsRedeemedOnce()
    {
        // The loser of each race is told the voucher was used; enough rounds would otherwise lock it out.
        await using var gw = await TestGateway.StartAsync("--Hall:TopUpMaxFailures=100");
        using (var db = gw.OpenDatabase())
        {
            for (var i = 0; i < 20; i++)
                db.Execute("INSERT INTO vouchers (code, amount_cents) VALUES (@code, 500)", new { code = $"RACE{i:D4}0000" });
        }
        for (var i = 0; i < 20; i++)
        {
            var replies = await Task.WhenAll(gw.TextAsync(Alice, $"TOPUP RACE{i:D4}0000"), gw.TextAsync(Chen, $"TOPUP RACE{i:D4}0000"));
            Assert.Single(replies, r => r!.StartsWith("Done: $5.00 added."));
            Assert.Single(replies, r => r!.StartsWith("That voucher has already been used."));
        }
        // Twenty vouchers of $5.00, each credited to exactly one of the two.
        Assert.Equal(1250 + 375 + 20 * 500, gw.BalanceOf(Alice) + gw.BalanceOf(Chen));
    }

    [Fact]
    public async Task ATopUpReadFromATypoWaitsForYes()
    {
        Assert.Equal("Top up with voucher 333344445555? Reply YES within 10 minutes, or NO.", await _gw.TextAsync(Alice, "topu 3333-4444-5555"));
        Assert.Equal(1250, _gw.BalanceOf(Alice));

        Assert.Equal("Done: $20.00 added. Your balance is now $32.50.", await _gw.TextAsync(Alice, "YES"));
        Assert.Equal(3250, _gw.BalanceOf(Alice));
    }

    [Fact]
    public async Task NoOrCancelToAToppingUpQuestionLeavesTheVoucherUnused()
    {
        await _gw.TextAsync(Alice, "topu 3333-4444-5555");
        Assert.Equal("Cancelled. Your voucher was not used.", await _gw.TextAsync(Alice, "CANCEL"));
        await _gw.TextAsync(Alice, "refil 3333-4444-5555");
        Assert.Equal("Cancelled. Your voucher was not used.", await _gw.TextAsync(Alice, "no"));

        Assert.Equal(1250, _gw.BalanceOf(Alice));
        Assert.Equal("Your balance is $12.50", (await _gw.TextAsync(Alice, "BAL"))![..22]); // still subscribed
    }

    [Fact]
    public async Task AnExpiredToppingUpQuestionIsNotApplied()
    {
        await _gw.TextAsync(Alice, "topu 3333-4444-5555");
        _gw.Clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal("That top-up request has expired and the voucher was not used. Text TOPUP 333344445555 to try again.",
            await _gw.TextAsync(Alice, "YES"));
        Assert.Equal(1250, _gw.BalanceOf(Alice));
    }

    [Fact]
    public async Task FiveWrongCodesInAnHourLockTopUpForAnHour()
    {
        for (var left = 4; left >= 1; left--)
        {
            Assert.Equal($"That voucher code is not valid. Please check it and try again ({left} tries left).",
                await _gw.TextAsync(Alice, $"TOPUP 9999-0000-000{left}"));
            _gw.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        // 10:04 UTC, the operator's time zone: locked until 11:04.
        Assert.Equal("Too many wrong voucher codes. Top-up is locked until 11:04.", await _gw.TextAsync(Alice, "TOPUP 9999-0000-0005"));

        // Even a good code waits out the lock.
        _gw.Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal("Too many wrong voucher codes. Top-up is locked until 11:04.", await _gw.TextAsync(Alice, "TOPUP 1111-2222-3333"));
        Assert.Equal(1250, _gw.BalanceOf(Alice));

        _gw.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("Done: $10.00 added. Your balance is now $22.50.", await _gw.TextAsync(Alice, "TOPUP 1111-2222-3333"));
    }

    [Fact]
    public async Task WrongCodesSpreadOverMoreThanAnHourDoNotLock()
    {
        for (var i = 0; i < 8; i++)
        {
            Assert.StartsWith("That voucher code is not valid.", await _gw.TextAsync(Alice, $"TOPUP 9999-0000-000{i}"));
            _gw.Clock.Advance(TimeSpan.FromMinutes(16)); // never more than four within an hour
        }
        Assert.StartsWith("Done: $10.00 added.", await _gw.TextAsync(Alice, "TOPUP 1111-2222-3333"));
    }

    [Fact]
    public async Task TopUpWithoutACodeExplainsHowAndAPostpaidAccountIsToldVouchersDoNotApply()
    {
        Assert.Equal("To top up, text TOPUP and the code on your voucher, e.g. TOPUP 1234-5678-9012.", await _gw.TextAsync(Alice, "top up"));
        Assert.Equal("Your account is postpaid, so vouchers cannot be used. Text BILL to see what you owe.", await _gw.TextAsync(Bob, "TOPUP 1111-2222-3333"));
        using var db = _gw.OpenDatabase();
        Assert.Null(db.ExecuteScalar<string>("SELECT redeemed_by FROM vouchers WHERE code = '111122223333'"));
    }

    [Fact]
    public async Task TopUpAnswersInTheLanguageItWasAskedIn()
    {
        Assert.Equal("充值成功：已充入$10.00，当前余额$22.50。", await _gw.TextAsync(Alice, "充值 1111 2222 3333"));
        Assert.Equal("C'est fait : $20.00 ajoutés. Votre solde est de $42.50.", await _gw.TextAsync(Alice, "recharger 3333-4444-5555"));
    }
}
