using System.Net;
using Dapper;

namespace SmsHall.Tests;

/// <summary>
/// The abuse limits hold when a number's messages arrive all at once, through the real HTTP
/// pipeline: the decisions are taken atomically with the records they count.
/// </summary>
public sealed class ConcurrentLimitTests
{
    private const string Alice = "+15550000001"; // prepaid, $12.50

    // Enough threads that the requests are really handled at the same time, not one after another
    // as two cores' worth of pool threads would.
    public ConcurrentLimitTests() => ThreadPool.SetMinThreads(64, 64);

    [Fact]
    public async Task FortyMessagesAtOnceGetTheLimitsAnswersAndExactlyOneNotice()
    {
        await using var gw = await TestGateway.StartAsync("--Hall:RateLimitMessages=10", "--Hall:RateLimitSeconds=60");
        var replies = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => gw.TextAsync(Alice, "BAL")));

        Assert.Equal(10, replies.Count(r => r?.StartsWith("Your balance is", StringComparison.Ordinal) == true));
        Assert.Equal(1, replies.Count(r => r?.StartsWith("You are sending messages too fast", StringComparison.Ordinal) == true));
        Assert.Equal(29, replies.Count(r => r is null));
        using var db = gw.OpenDatabase();
        Assert.Equal(40, db.ExecuteScalar<long>("SELECT COUNT(*) FROM inbound_messages WHERE from_number = @Alice AND status = 'handled'", new { Alice }));
        Assert.Equal(29, db.ExecuteScalar<long>("SELECT COUNT(*) FROM outbound_messages WHERE to_number = @Alice AND status = 'limited'", new { Alice }));
    }

    [Fact]
    public async Task AMessageOverTheLimitChangesNothing()
    {
        await using var gw = await TestGateway.StartAsync("--Hall:RateLimitMessages=2", "--Hall:RateLimitSeconds=60");
        string[] vouchers = ["1111-2222-3333", "2222-3333-4444", "3333-4444-5555", "4444-5555-6666", "5555-6666-7777", "6666-7777-8888"];
        var replies = await Task.WhenAll(vouchers.Select(v => gw.TextAsync(Alice, $"TOPUP {v}")));

        Assert.Equal(2, replies.Count(r => r?.StartsWith("Done:", StringComparison.Ordinal) == true));
        using var db = gw.OpenDatabase();
        Assert.Equal(2, db.ExecuteScalar<long>("SELECT COUNT(*) FROM vouchers WHERE redeemed_by = @Alice", new { Alice }));
        var credited = db.ExecuteScalar<long>("SELECT SUM(amount_cents) FROM vouchers WHERE redeemed_by = @Alice", new { Alice });
        Assert.Equal(1250 + credited, gw.BalanceOf(Alice));
    }

    [Fact]
    public async Task TenWrongVoucherCodesAtOnceAreNoMoreThanTheMaximumTried()
    {
        await using var gw = await TestGateway.StartAsync("--Hall:TopUpMaxFailures=5");
        var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => gw.TextAsync(Alice, $"TOPUP 9999-0000-{i:D4}")));

        using var db = gw.OpenDatabase();
        Assert.Equal(5, db.ExecuteScalar<long>("SELECT COUNT(*) FROM topup_failures WHERE number = @Alice", new { Alice }));
        // Each code tried hears how many tries are left after it, counted in the order they were tried.
        var triesLeft = replies.Where(r => r!.StartsWith("That voucher code is not valid", StringComparison.Ordinal)).Order().ToList();
        Assert.Equal(
            ["That voucher code is not valid. Please check it and try again (1 tries left).",
             "That voucher code is not valid. Please check it and try again (2 tries left).",
             "That voucher code is not valid. Please check it and try again (3 tries left).",
             "That voucher code is not valid. Please check it and try again (4 tries left)."],
            triesLeft);
        Assert.Equal(6, replies.Count(r => r!.StartsWith("Too many wrong voucher codes", StringComparison.Ordinal)));

        // Locked: even a good code is not looked at.
        Assert.StartsWith("Too many wrong voucher codes", await gw.TextAsync(Alice, "TOPUP 1111-2222-3333"));
        Assert.Equal(1250, gw.BalanceOf(Alice));
    }

    [Fact]
    public async Task TheSameSidFromAnotherNumberIsRefusedNotAnsweredWithTheOthersReply()
    {
        await using var gw = await TestGateway.StartAsync();
        var sid = gw.NextSid();
        Assert.StartsWith("Your balance is $12.50", await gw.TextAsync(Alice, "BAL", sid));

        using var otherSender = await gw.PostSmsAsync("+15550000002", "BAL", sid);
        Assert.Equal(HttpStatusCode.Conflict, otherSender.StatusCode);
        Assert.DoesNotContain("12.50", await otherSender.Content.ReadAsStringAsync());

        var form = TestGateway.Form(Alice, "BAL", sid);
        form[form.FindIndex(f => f.Key == "To")] = new("To", "+15005550099");
        using var otherShortCode = await gw.PostFormAsync(form);
        Assert.Equal(HttpStatusCode.Conflict, otherShortCode.StatusCode);

        // A true redelivery still gets the same reply.
        Assert.StartsWith("Your balance is $12.50", await gw.TextAsync(Alice, "BAL", sid));
        using var db = gw.OpenDatabase();
        Assert.Equal(1, db.ExecuteScalar<long>("SELECT COUNT(*) FROM inbound_messages WHERE sid = @sid", new { sid }));
        Assert.Equal(1, db.ExecuteScalar<long>("SELECT COUNT(*) FROM outbound_messages WHERE inbound_sid = @sid", new { sid }));
    }
}
