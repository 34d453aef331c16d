using SmsHall.Core.Accounts;
using SmsHall.Core.Ports;
using static SmsHall.Storage.Tests.Messages;

namespace SmsHall.Storage.Tests;

/// <summary>What the notice run reads from the accounts (the demo data as of <see cref="Messages.Today"/>), on every provider.</summary>
public abstract partial class StorageContract
{

    [Fact]
    public async Task OnlyTheLatestBillOfAPostpaidSubscriberIsReadAndOnlyWhileUnpaid()
    {
        // Bob has six months of bills; only the latest (October) is unpaid, due on the 20th.
        var bill = Assert.Single(await A.Notices.UnpaidBillsAsync());
        Assert.Equal(new UnpaidBill(Bob, "en", new YearMonth(2026, 10), 4500, new DateOnly(2026, 11, 20)), bill);

        await A.HandleAsync(Handled(Inbound("SM-NOBILL", Bob, "alerts off bill"), "ok", [new AccountChange.SetAlerts([AlertCategories.Bill], On: false)]));
        Assert.Empty(await B.Notices.UnpaidBillsAsync());
    }

    [Fact]
    public async Task LowBalancesArePrepaidOnesBelowTheThresholdWithTheirLatestTopUp()
    {
        Assert.Equal(
            [new LowBalance(Chen, "en", 375, Today.AddDays(-6)), new LowBalance(Dariush, "en", 0, null)],
            await A.Notices.LowBalancesAsync(500));
        Assert.Equal([Dariush], (await A.Notices.LowBalancesAsync(375)).Select(l => l.Number));

        // A voucher lifts Chen above it; a voucher redeemed today is the latest top-up of anyone who falls low again.
        await A.HandleAsync(Handled(Inbound("SM-TOPUP", Chen, "topup 111122223333"), "ok",
            [new AccountChange.RedeemVoucher("111122223333", 1000, 375, new TopUpFailuresSeen(Now.AddHours(-1), 0))]));
        Assert.DoesNotContain(Chen, (await B.Notices.LowBalancesAsync(500)).Select(l => l.Number));
        Assert.Equal(new LowBalance(Chen, "en", 1375, Today), Assert.Single(await B.Notices.LowBalancesAsync(2000), l => l.Number == Chen));
    }

    [Fact]
    public async Task DataUseCountsThePlanAndTheDataAddedThisCycle()
    {
        // Chen has used 900 MB of BASIC's 1 GB; nobody else is at 80 %.
        Assert.Equal([new DataUse(Chen, "en", new DateOnly(2026, 11, 1), 900, 1024)], await A.Notices.DataUseAsync(80));
        Assert.Empty(await A.Notices.DataUseAsync(100));

        await A.HandleAsync(Handled(Inbound("SM-PACK", Chen, "buy 500mb"), "ok", [new AccountChange.AddData("pack", "P500M", 500, Today.AddDays(7))]));
        Assert.Empty(await B.Notices.DataUseAsync(80));
        Assert.Equal(1524, Assert.Single(await B.Notices.DataUseAsync(50), d => d.Number == Chen).AllowanceMb);
    }

    [Fact]
    public async Task ExpiringPointsAreTheFirstDayPointsLapseWithinTheWindow()
    {
        // Chen's 150 points lapse in 10 days, Alice's 320 in 20 (her 900 in 200).
        Assert.Equal([new ExpiringPoints(Chen, "en", Today.AddDays(10), 150)], await A.Notices.ExpiringPointsAsync(Today, Today.AddDays(14)));
        Assert.Equal(
            [new ExpiringPoints(Alice, "en", Today.AddDays(20), 320), new ExpiringPoints(Chen, "en", Today.AddDays(10), 150)],
            await B.Notices.ExpiringPointsAsync(Today, Today.AddDays(30)));
    }

    [Fact]
    public async Task OptedOutNumbersAndRefusedKindsAreNotReadAndSentNoticesAreKnown()
    {
        await A.HandleAsync(Handled(Inbound("SM-STOP", Chen, "STOP"), "bye", [new AccountChange.SetOptedOut(true)]));
        await A.HandleAsync(Handled(Inbound("SM-OFF", Dariush, "alerts off"), "ok", [new AccountChange.SetAlerts(AlertCategories.All, On: false)]));
        Assert.Empty(await B.Notices.LowBalancesAsync(500));
        Assert.Empty(await B.Notices.DataUseAsync(80));
        Assert.Empty(await B.Notices.ExpiringPointsAsync(Today, Today.AddDays(14)));

        var cap = new DailyCap(3, Now.Date, Now.Date.AddDays(1));
        Assert.Equal(QueueResult.Queued, await A.Outgoing.QueueAsync(Notice(Bob, "bill-overdue 2026-10"), cap));
        Assert.Equal(QueueResult.Queued, await A.Outgoing.QueueAsync(Notice(Alice, "campaign 1", AlertCategories.Offers, purpose: Purpose.Offer), cap));
        Assert.Equal(new HashSet<(string, string)> { (Bob, "bill-overdue 2026-10") }, await B.Notices.NoticesSentAsync(Now.AddDays(-1)));
        Assert.Empty(await B.Notices.NoticesSentAsync(Now.AddMinutes(1)));
    }
}
