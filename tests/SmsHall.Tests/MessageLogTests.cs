using Dapper;
using Microsoft.Data.Sqlite;
using SmsHall.Core;
using SmsHall.Core.Accounts;
using SmsHall.Core.Grammar;
using SmsHall.Storage.Sqlite;

namespace SmsHall.Tests;

/// <summary>The message log's commit on a real SQLite file: all of a message's writes, or none.</summary>
public sealed class MessageLogTests : IDisposable
{
    private const string Alice = "+15550000001";
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private readonly Database _db = new(TestGateway.NewDatabasePath());
    private readonly LogWriter _writer;
    private readonly SqliteMessageLog _log;

    public MessageLogTests()
    {
        _db.Migrate();
        new SqliteSeeding(_db).SeedDemo(DateOnly.FromDateTime(Now.UtcDateTime));
        _writer = new LogWriter(_db);
        _log = new SqliteMessageLog(_writer);
    }

    private static HandledMessage Handled(InboundMessage m, params AccountChange[] changes) =>
        new(m, new Understanding(m.Body, m.Body, new Command.Confirm(), MatchKind.Exact, "yes", ["en"]), changes, null, ReplyStatus.Replied, Now);

    [Fact]
    public async Task TakingAnOfferThatIsGoneWritesNothingAndAsksForAnotherTry()
    {
        var offer = new PendingAction("SM-OFFER", "plan.change", "GOLD", Now, Now.AddMinutes(10));
        var offering = new InboundMessage("SM-OFFER", Alice, "SMSHALL", "PLAN GOLD", Now);
        await _log.RecordInboundAsync(offering);
        await _log.CommitAsync(Handled(offering, new AccountChange.Offer(offer)));

        // A YES that read an older offer than the one now pending.
        var yes = new InboundMessage("SM-YES", Alice, "SMSHALL", "YES", Now);
        await _log.RecordInboundAsync(yes);
        await Assert.ThrowsAsync<StaleAccountException>(() =>
            _log.CommitAsync(Handled(yes, new AccountChange.TakeOffer("SM-OLDER"), new AccountChange.ChangePlan("GOLD"))));

        using var c = _db.Open();
        Assert.Equal("SILVER", c.ExecuteScalar<string>("SELECT plan_code FROM subscribers WHERE number = @Alice", new { Alice }));
        Assert.Equal("SM-OFFER", c.ExecuteScalar<string>("SELECT offered_by_sid FROM pending_actions WHERE number = @Alice", new { Alice }));
        Assert.Equal("received", c.ExecuteScalar<string>("SELECT status FROM inbound_messages WHERE sid = 'SM-YES'"));
        Assert.Equal(0, c.ExecuteScalar<long>("SELECT COUNT(*) FROM outbound_messages WHERE inbound_sid = 'SM-YES'"));

        // Taking the offer that is pending works.
        await _log.CommitAsync(Handled(yes, new AccountChange.TakeOffer("SM-OFFER"), new AccountChange.ChangePlan("GOLD")));
        Assert.Equal("GOLD", c.ExecuteScalar<string>("SELECT plan_code FROM subscribers WHERE number = @Alice", new { Alice }));
        Assert.Equal(0, c.ExecuteScalar<long>("SELECT COUNT(*) FROM pending_actions"));
    }

    [Fact]
    public async Task MigratingTwiceAppliesNothingTheSecondTime()
    {
        Assert.Equal(0, _db.Migrate());
        using var c = _db.Open();
        Assert.Equal("wal", c.ExecuteScalar<string>("PRAGMA journal_mode"));
        Assert.Equal(1, c.ExecuteScalar<long>("PRAGMA foreign_keys"));
    }

    public void Dispose()
    {
        _writer.Dispose();
        TestGateway.DeleteDatabase(_db.Path);
    }
}
