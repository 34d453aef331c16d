using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using SmsHall.Core.Accounts;

namespace SmsHall.Tests;

public class FailureTests
{
    /// <summary>Accounts that cannot be read, as when the database is locked or broken.</summary>
    private sealed class BrokenAccounts : IAccounts
    {
        private static Task<T> Fail<T>() => Task.FromException<T>(new IOException("disk I/O error"));
        public Task<Subscriber?> FindSubscriberAsync(string number, CancellationToken ct = default) => Fail<Subscriber?>();
        public Task<SenderAccount> FindSenderAsync(string number, DateTimeOffset handledSince, CancellationToken ct = default) => Fail<SenderAccount>();
        public Task<IReadOnlyList<Plan>> PlansAsync(CancellationToken ct = default) => Fail<IReadOnlyList<Plan>>();
        public Task<Usage?> UsageAsync(string number, CancellationToken ct = default) => Fail<Usage?>();
        public Task<IReadOnlyList<YearMonth>> BillPeriodsAsync(string number, CancellationToken ct = default) => Fail<IReadOnlyList<YearMonth>>();
        public Task<Bill?> BillAsync(string number, YearMonth period, CancellationToken ct = default) => Fail<Bill?>();
        public Task<long> UnpaidCentsAsync(string number, CancellationToken ct = default) => Fail<long>();
        public Task<PendingAction?> PendingAsync(string number, CancellationToken ct = default) => Fail<PendingAction?>();
        public Task<Voucher?> VoucherAsync(string code, CancellationToken ct = default) => Fail<Voucher?>();
        public Task<IReadOnlyList<DateTimeOffset>> TopUpFailuresAsync(string number, DateTimeOffset since, CancellationToken ct = default) =>
            Fail<IReadOnlyList<DateTimeOffset>>();
        public Task<IReadOnlyList<PointLot>> PointsAsync(string number, DateOnly today, CancellationToken ct = default) => Fail<IReadOnlyList<PointLot>>();
        public Task<IReadOnlyList<Reward>> RewardsAsync(CancellationToken ct = default) => Fail<IReadOnlyList<Reward>>();
        public Task<IReadOnlyList<Payment>> PaymentsAsync(string number, CancellationToken ct = default) => Fail<IReadOnlyList<Payment>>();
        public Task<IReadOnlyList<UsageRecord>> RecordsAsync(string number, DateTimeOffset from, DateTimeOffset until, string? kind, CancellationToken ct = default) =>
            Fail<IReadOnlyList<UsageRecord>>();
        public Task<IReadOnlyList<Subscription>> SubscriptionsAsync(string number, CancellationToken ct = default) => Fail<IReadOnlyList<Subscription>>();
        public Task<IReadOnlyList<Extra>> ExtrasAsync(CancellationToken ct = default) => Fail<IReadOnlyList<Extra>>();
        public Task<IReadOnlyList<DataPack>> DataPacksAsync(CancellationToken ct = default) => Fail<IReadOnlyList<DataPack>>();
        public Task<ListPage?> LastListAsync(string number, CancellationToken ct = default) => Fail<ListPage?>();
        public Task<int> DataAddedMbAsync(string number, DateOnly today, CancellationToken ct = default) => Fail<int>();
        public Task<long> ReserveTicketAsync(CancellationToken ct = default) => Fail<long>();
        public Task<long?> AnsweredTicketAsync(string number, DateTimeOffset since, CancellationToken ct = default) => Fail<long?>();
        public Task<long?> WaitingTicketAsync(string number, string kind, CancellationToken ct = default) => Fail<long?>();
    }

    [Fact]
    public async Task WhenTheGatewayFailsTheSubscriberIsToldToTryAgainAndTheMessageIsKept()
    {
        await using var gw = await TestGateway.StartAsync(services => services.AddSingleton<IAccounts, BrokenAccounts>());
        using var response = await gw.PostSmsAsync("+15550000001", "BAL", "SM0000000000000000000000000000FAIL");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Sorry, something went wrong on our side. Please try again in a few minutes.",
            TestGateway.MessageIn(await response.Content.ReadAsStringAsync()));
        using var db = gw.OpenDatabase();
        Assert.Equal("received", db.ExecuteScalar<string>("SELECT status FROM inbound_messages WHERE sid = 'SM0000000000000000000000000000FAIL'"));
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM outbound_messages"));
    }
}
