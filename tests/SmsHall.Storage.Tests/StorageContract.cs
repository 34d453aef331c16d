using SmsHall.Core;
using SmsHall.Core.Accounts;
using SmsHall.Core.Ports;
using static SmsHall.Storage.Tests.Messages;

namespace SmsHall.Storage.Tests;

/// <summary>
/// What every storage provider promises, run on each (<see cref="SqliteContract"/>,
/// <see cref="PostgresContract"/>): each test has a database of its own, migrated and seeded with the
/// demo data, and as many nodes on it as it asks for.
/// </summary>
public abstract partial class StorageContract : IDisposable
{
    private readonly List<Node> _nodes = [];
    private readonly Func<Node> _newNode;

    protected StorageContract(Func<Node> newNode)
    {
        _newNode = newNode;
        A = NewNode();
        A.Admin.Migrate();
        A.Seeding.SeedDemo(Today);
        B = NewNode();
    }

    /// <summary>Two nodes on the test's database.</summary>
    protected Node A { get; }
    protected Node B { get; }

    protected Node NewNode()
    {
        var node = _newNode();
        _nodes.Add(node);
        return node;
    }

    public virtual void Dispose()
    {
        foreach (var node in _nodes) node.Dispose();
    }

    [Fact]
    public void MigratingAndSeedingAgainChangeNothing()
    {
        Assert.Equal(0, A.Admin.Migrate());
        Assert.Equal(0, A.Seeding.SeedDemo(Today));
        Assert.False(A.Seeding.IsEmpty());
        Assert.True(A.Admin.Exists());
    }

    [Fact]
    public async Task SeveralNodesMigratingAnEmptyDatabaseAtOnceApplyEachMigrationOnce()
    {
        using var fresh = FreshDatabase();
        var nodes = Enumerable.Range(0, 4).Select(_ => fresh.NewNode()).ToList();
        var applied = await Task.WhenAll(nodes.Select(n => Task.Run(n.Admin.Migrate)));

        Assert.Single(applied, a => a > 0); // one migrated, the others waited and found nothing to do
        Assert.True(nodes[0].Seeding.IsEmpty());
        Assert.Equal(5, nodes[1].Seeding.SeedDemo(Today));
    }

    [Fact]
    public async Task TheSenderIsReadWithItsMessagesHandledSinceAnInstantRegisteredOrNot()
    {
        const string stranger = "+15559999999";
        foreach (var (number, i) in new[] { (Alice, 0), (Alice, 1), (stranger, 2) })
            await A.HandleAsync(Handled(Inbound($"SM-SENDER-{i}", number, at: Now.AddSeconds(-30 + i)), "ok"));

        var alice = await A.Accounts.FindSenderAsync(Alice, Now.AddMinutes(-1));
        Assert.Equal((await A.Accounts.FindSubscriberAsync(Alice), 2), (alice.Subscriber, alice.HandledSince));
        Assert.Equal(1, (await A.Accounts.FindSenderAsync(Alice, Now.AddSeconds(-30))).HandledSince);
        Assert.Equal(new SenderAccount(null, 1), await B.Accounts.FindSenderAsync(stranger, Now.AddMinutes(-1)));
        Assert.Equal(new SenderAccount(null, 0), await B.Accounts.FindSenderAsync("+15558888888", Now.AddMinutes(-1)));
    }

    [Fact]
    public async Task AMessageWhoseRecordWasLostIsRecordedWithItsReplyAndCountedOnce()
    {
        // Committed without a record first (the record's write was lost): the commit records it, handled, with its reply.
        var limit = new RateLimit(Now.AddMinutes(-1), 1, Reply("Too fast", "limited"));
        Assert.Equal("Balance", (await A.Log.CommitAsync(Handled(Inbound("SM-LOST-1", Alice), "Balance", limit: limit))).Text);

        var (inbound, reply) = (await B.Queries.MessageAsync("SM-LOST-1"))!.Value;
        Assert.Equal(("handled", "Balance"), (inbound.Status, reply!.Body));
        Assert.Equal(1, (await B.Accounts.FindSenderAsync(Alice, Now.AddMinutes(-1))).HandledSince);
        // The next message of the number sees it counted.
        Assert.Equal("Too fast", (await B.HandleAsync(Handled(Inbound("SM-LOST-2", Alice), "Balance", limit: limit))).Text);
    }

    [Fact]
    public async Task AccountsReadBackAsSeeded()
    {
        var alice = await A.Accounts.FindSubscriberAsync(Alice);
        Assert.Equal(new Subscriber(Alice, "Alice Martin", "en", "SILVER", false, 1250, Today.AddDays(30), false), alice);
        Assert.Null(await A.Accounts.FindSubscriberAsync("+15559999999"));
        Assert.Equal(["BASIC", "SILVER", "GOLD", "FAMILY"], (await A.Accounts.PlansAsync()).Select(p => p.Code));
        Assert.Equal(new Usage(new DateOnly(2026, 11, 1), 2150, 87, 40), await A.Accounts.UsageAsync(Alice));

        var periods = await A.Accounts.BillPeriodsAsync(Bob);
        Assert.Equal(6, periods.Count);
        Assert.Equal(new YearMonth(2026, 10), periods[0]);
        var october = (await A.Accounts.BillAsync(Bob, new YearMonth(2026, 10)))!;
        Assert.Equal(4500, october.TotalCents);
        Assert.Null(october.PaidOn);
        Assert.Equal(new DateOnly(2026, 11, 20), october.Due);
        var september = (await A.Accounts.BillAsync(Bob, new YearMonth(2026, 9)))!;
        Assert.Equal([new BillLine("Plan GOLD", 4500), new BillLine("Roaming", 320)], september.Lines);
        Assert.Null(await A.Accounts.BillAsync(Bob, new YearMonth(2020, 1)));
        Assert.Null(await A.Accounts.BillAsync(Alice, new YearMonth(2026, 10)));
        Assert.Equal(4500, await A.Accounts.UnpaidCentsAsync(Bob));
        Assert.Equal(new Voucher("111122223333", 1000, null), await A.Accounts.VoucherAsync("111122223333"));
    }

    [Fact]
    public async Task AMessageIsAnsweredOnceAndARedeliveryGetsTheSameAnswer()
    {
        var m = Inbound("SM1", Alice, "TOPUP 1111-2222-3333");
        var redeem = new AccountChange.RedeemVoucher("111122223333", 1000, 1250, new TopUpFailuresSeen(Now.AddHours(-1), 0));
        Assert.Equal("Topped up", (await A.HandleAsync(Handled(m, "Topped up", [redeem]))).Text);

        // Twilio retries on the other node: the work is not done again.
        Assert.Equal("Topped up", (await B.HandleAsync(Handled(m, "Again?", [redeem]))).Text);
        Assert.Equal(2250, (await A.Accounts.FindSubscriberAsync(Alice))!.BalanceCents);
        Assert.NotNull((await B.Accounts.VoucherAsync("111122223333"))!.RedeemedAt);
    }

    [Fact]
    public async Task TheSameSidFromAnotherNumberIsRefused()
    {
        await A.HandleAsync(Handled(Inbound("SM1", Alice), "hi"));
        await Assert.ThrowsAsync<SidConflictException>(() => B.Log.RecordInboundAsync(Inbound("SM1", Chen)));
    }

    [Fact]
    public async Task TheSameSidAtTwoNodesAtOnceDoesTheWorkOnceAndBothAnswerTheSame()
    {
        for (var round = 0; round < 10; round++)
        {
            var m = Inbound($"SM-SAME-{round}", Alice, "TOPUP");
            var balance = (await A.Accounts.FindSubscriberAsync(Alice))!.BalanceCents;
            var code = DemoData.Vouchers[round % DemoData.Vouchers.Count].Code;
            if ((await A.Accounts.VoucherAsync(code))!.RedeemedAt is not null) continue;
            var amount = DemoData.Vouchers[round % DemoData.Vouchers.Count].AmountCents;
            var redeem = new AccountChange.RedeemVoucher(code, amount, balance, new TopUpFailuresSeen(Now.AddHours(-1), 0));

            var answers = await Task.WhenAll(
                Task.Run(() => A.HandleAsync(Handled(m, "from A", [redeem]))),
                Task.Run(() => B.HandleAsync(Handled(m, "from B", [redeem]))));

            Assert.Equal(answers[0].Text, answers[1].Text);
            Assert.Equal(balance + amount, (await A.Accounts.FindSubscriberAsync(Alice))!.BalanceCents);
        }
    }

    [Fact]
    public async Task YesAndNoRacingOnTwoNodesExactlyOneWins()
    {
        for (var round = 0; round < 10; round++)
        {
            var offerSid = $"SM-OFFER-{round}";
            var offer = new PendingAction(offerSid, "plan.change", "GOLD", Now, Now.AddMinutes(10));
            await A.HandleAsync(Handled(Inbound(offerSid, Alice, "PLAN GOLD"), "Reply YES", [new AccountChange.Offer(offer)]));
            var planBefore = (await A.Accounts.FindSubscriberAsync(Alice))!.PlanCode;

            var yes = Handled(Inbound($"SM-YES-{round}", Alice, "YES"), "Done",
                [new AccountChange.TakeOffer(offerSid), new AccountChange.ChangePlan(planBefore == "GOLD" ? "SILVER" : "GOLD")], command: "confirm");
            var no = Handled(Inbound($"SM-NO-{round}", Alice, "NO"), "Cancelled", [new AccountChange.TakeOffer(offerSid)], command: "confirm");
            var outcomes = await Task.WhenAll(Outcome(A, yes), Outcome(B, no));

            Assert.Single(outcomes, won => won);
            var planAfter = (await B.Accounts.FindSubscriberAsync(Alice))!.PlanCode;
            Assert.Equal(outcomes[0], planAfter != planBefore); // the plan changed exactly when YES won
            Assert.Null(await A.Accounts.PendingAsync(Alice));
        }
    }

    [Fact]
    public async Task AVoucherRedeemedFromTwoNumbersOnTwoNodesAtOnceIsCreditedOnce()
    {
        foreach (var (code, amount) in DemoData.Vouchers)
        {
            var before = await Balances();
            var alice = Handled(Inbound($"SM-A-{code}", Alice, $"TOPUP {code}"), "ok",
                [new AccountChange.RedeemVoucher(code, amount, before.Alice, new TopUpFailuresSeen(Now.AddHours(-1), 0))]);
            var chen = Handled(Inbound($"SM-C-{code}", Chen, $"TOPUP {code}"), "ok",
                [new AccountChange.RedeemVoucher(code, amount, before.Chen, new TopUpFailuresSeen(Now.AddHours(-1), 0))]);

            var outcomes = await Task.WhenAll(Outcome(A, alice), Outcome(B, chen));

            Assert.Single(outcomes, won => won);
            var after = await Balances();
            Assert.Equal(before.Alice + before.Chen + amount, after.Alice + after.Chen);
        }

        async Task<(long Alice, long Chen)> Balances() =>
            ((await A.Accounts.FindSubscriberAsync(Alice))!.BalanceCents, (await A.Accounts.FindSubscriberAsync(Chen))!.BalanceCents);
    }

    [Fact]
    public async Task TheRateLimitHoldsUnderConcurrentWritersOnTwoNodes()
    {
        var limit = new RateLimit(Now.AddMinutes(-1), 5, Reply("Too fast", "limited"));
        var answers = await Task.WhenAll(Enumerable.Range(0, 24).Select(i =>
        {
            var node = i % 2 == 0 ? A : B;
            return Task.Run(() => node.HandleAsync(Handled(Inbound($"SM-FLOOD-{i}", Alice, at: Now.AddSeconds(i % 3)), "Balance", limit: limit)));
        }));

        Assert.Equal(5, answers.Count(a => a.Text == "Balance"));
        Assert.Equal(1, answers.Count(a => a.Text == "Too fast"));
        Assert.Equal(18, answers.Count(a => a is { Text: null, Status: ReplyStatus.Limited }));
        Assert.Equal(24, (await A.Accounts.FindSenderAsync(Alice, Now.AddMinutes(-1))).HandledSince);
    }

    [Fact]
    public async Task WrongCodesAreCountedOnlyOnTheCountTheyWereJudgedByUnderConcurrentWriters()
    {
        var seen = new TopUpFailuresSeen(Now.AddHours(-1), 0);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            Outcome(i % 2 == 0 ? A : B, Handled(Inbound($"SM-WRONG-{i}", Alice, "TOPUP 9999"), "Wrong code", [new AccountChange.RecordTopUpFailure(seen)]))));

        // Every one judged "no wrong codes yet": only the first to commit may count; the others go round again.
        Assert.Single(outcomes, won => won);
        Assert.Single(await A.Accounts.TopUpFailuresAsync(Alice, Now.AddHours(-1)));
    }

    [Fact]
    public async Task ClaimsOnTwoNodesNeverTakeTheSameReply()
    {
        // 120 replies to 60 numbers, two each: a number's second waits for its first.
        for (var i = 0; i < 120; i++)
            await A.HandleAsync(Handled(Inbound($"SM-OUT-{i:D3}", $"+1555700{i % 60:D4}", by: ReplyBy.Outbox), $"reply {i}"));

        var claimed = new System.Collections.Concurrent.ConcurrentBag<(string Node, OutboxItem Item)>();
        async Task Sender(Node node, string name)
        {
            while (true)
            {
                var items = await node.Outbox.ClaimAsync(name, Now.AddSeconds(1), TimeSpan.FromMinutes(2), 7);
                if (items.Count == 0 && (await node.Outbox.StatsAsync(Now)).Pending == 0) return;
                foreach (var item in items)
                {
                    claimed.Add((name, item));
                    await node.Outbox.SentAsync(item.Id, $"SMTW{item.Id:D6}", "queued", Now.AddSeconds(1));
                }
            }
        }
        await Task.WhenAll(Sender(A, "a1"), Sender(A, "a2"), Sender(B, "b1"), Sender(B, "b2"));

        Assert.Equal(120, claimed.Count);
        Assert.Equal(120, claimed.Select(c => c.Item.Id).Distinct().Count());
        Assert.All(claimed, c => Assert.False(c.Item.InDoubt));
        var stats = await A.Outbox.StatsAsync(Now);
        Assert.Equal((0, 0), (stats.Pending, stats.Sending));
    }

    [Fact]
    public async Task ARepliesToOneNumberGoInOrderOneAtATime()
    {
        await A.HandleAsync(Handled(Inbound("SM-1", Alice, by: ReplyBy.Outbox), "first"));
        await A.HandleAsync(Handled(Inbound("SM-2", Alice, by: ReplyBy.Outbox), "second"));

        var first = Assert.Single(await A.Outbox.ClaimAsync("a", Now, TimeSpan.FromMinutes(2), 10));
        Assert.Equal("first", first.Body);
        Assert.Empty(await B.Outbox.ClaimAsync("b", Now, TimeSpan.FromMinutes(2), 10)); // the second waits for the first

        await A.Outbox.SentAsync(first.Id, "SMTW1", "queued", Now);
        Assert.Equal("second", Assert.Single(await B.Outbox.ClaimAsync("b", Now, TimeSpan.FromMinutes(2), 10)).Body);
    }

    [Fact]
    public async Task ARowANodeClaimedAndNeverFinishedIsTakenOverAfterTheLeaseInDoubt()
    {
        await A.HandleAsync(Handled(Inbound("SM-1", Alice, by: ReplyBy.Outbox), "hello"));
        var lease = TimeSpan.FromMinutes(2);
        var taken = Assert.Single(await A.Outbox.ClaimAsync("a", Now, lease, 10));
        Assert.False(taken.InDoubt);

        Assert.Empty(await B.Outbox.ClaimAsync("b", Now.AddMinutes(1), lease, 10)); // A still holds it
        var takenOver = Assert.Single(await B.Outbox.ClaimAsync("b", Now.AddMinutes(3), lease, 10));
        Assert.Equal(taken.Id, takenOver.Id);
        Assert.True(takenOver.InDoubt); // A may have reached Twilio: B looks before sending
        Assert.Equal(2, takenOver.Attempts);
        Assert.Equal(("balance", Alice, "hello"), (takenOver.ReplyKey, takenOver.To, takenOver.Body));

        // A node that restarts puts back what it was sending, in doubt.
        await A.HandleAsync(Handled(Inbound("SM-2", Chen, by: ReplyBy.Outbox), "hi Chen"));
        Assert.Single(await A.Outbox.ClaimAsync("a", Now.AddMinutes(3), lease, 10));
        Assert.Equal(1, await A.Outbox.RecoverAsync("a"));
        Assert.True(Assert.Single(await A.Outbox.ClaimAsync("a", Now.AddMinutes(3), lease, 10)).InDoubt);
    }

    [Fact]
    public async Task ARetriedReplyWaitsItsTurnAndAParkedOneWaitsForAnOperator()
    {
        await A.HandleAsync(Handled(Inbound("SM-1", Alice, by: ReplyBy.Outbox), "hello"));
        var item = Assert.Single(await A.Outbox.ClaimAsync("a", Now, TimeSpan.FromMinutes(2), 10));
        await A.Outbox.RetryLaterAsync(item.Id, Now.AddSeconds(30), inDoubt: true, "HTTP 503");
        Assert.Empty(await B.Outbox.ClaimAsync("b", Now.AddSeconds(10), TimeSpan.FromMinutes(2), 10));
        item = Assert.Single(await B.Outbox.ClaimAsync("b", Now.AddSeconds(30), TimeSpan.FromMinutes(2), 10));
        Assert.True(item.InDoubt);

        Assert.False(await B.Outbox.LookupFailedAsync(item.Id, Now.AddSeconds(31), 2, "lookup timed out"));
        item = Assert.Single(await B.Outbox.ClaimAsync("b", Now.AddSeconds(31), TimeSpan.FromMinutes(2), 10));
        Assert.True(await B.Outbox.LookupFailedAsync(item.Id, Now.AddSeconds(32), 2, "lookup timed out"));

        var held = Assert.Single(await A.Outbox.HeldAsync());
        Assert.Equal((item.Id, Alice, "hello", 2), (held.Id, held.To, held.Body, held.LookupFailures));
        Assert.Empty(await A.Outbox.ClaimAsync("a", Now.AddHours(1), TimeSpan.FromMinutes(2), 10));
        Assert.Equal(1, (await A.Outbox.StatsAsync(Now)).Held);

        Assert.True(await A.Outbox.ResendHeldAsync(item.Id, Now.AddHours(1)));
        Assert.False(await A.Outbox.DropHeldAsync(item.Id, Now.AddHours(1))); // no longer held
        var resent = Assert.Single(await A.Outbox.ClaimAsync("a", Now.AddHours(1), TimeSpan.FromMinutes(2), 10));
        Assert.False(resent.InDoubt);
    }

    [Fact]
    public async Task StatusCallbacksMoveAReplyOnAndNeverBack()
    {
        await A.HandleAsync(Handled(Inbound("SM-1", Alice, by: ReplyBy.Outbox), "hello"));
        var item = Assert.Single(await A.Outbox.ClaimAsync("a", Now, TimeSpan.FromMinutes(2), 10));

        await B.Outbox.RecordStatusAsync("SMTW1", "sent", null, Now); // before the sender stored the sid
        await A.Outbox.SentAsync(item.Id, "SMTW1", "queued", Now);
        Assert.Equal("sent", (await A.Queries.MessageAsync("SM-1"))!.Value.Reply!.Status);

        await B.Outbox.RecordStatusAsync("SMTW1", "delivered", null, Now);
        await B.Outbox.RecordStatusAsync("SMTW1", "sending", null, Now); // late and out of order: ignored
        Assert.Equal("delivered", (await A.Queries.MessageAsync("SM-1"))!.Value.Reply!.Status);
        Assert.Equal(["SMTW1"], await A.Outbox.KnownSidsAsync(Alice));
    }

    [Fact]
    public async Task ACallbackArrivingOnOneNodeWhileAnotherStoresTheSidIsNeverLost()
    {
        for (var i = 0; i < 40; i++)
            await A.HandleAsync(Handled(Inbound($"SM-{i:D2}", $"+1555700{i:D4}", by: ReplyBy.Outbox), $"reply {i}"));
        var items = await A.Outbox.ClaimAsync("a", Now, TimeSpan.FromMinutes(2), 40);
        Assert.Equal(40, items.Count);

        // Twilio's callback can beat the sender's own record of the sid, on another node, by a hair.
        await Task.WhenAll(items.SelectMany(item => new[]
        {
            Task.Run(() => A.Outbox.SentAsync(item.Id, $"SMTW{item.Id:D6}", "queued", Now)),
            Task.Run(() => B.Outbox.RecordStatusAsync($"SMTW{item.Id:D6}", "delivered", null, Now)),
        }));

        for (var i = 0; i < 40; i++) Assert.Equal("delivered", (await A.Queries.MessageAsync($"SM-{i:D2}"))!.Value.Reply!.Status);
    }

    [Fact]
    public async Task AReplyGivenUpOnRecordsWhyAndAnUnsubscribedNumberIsOptedOut()
    {
        await A.HandleAsync(Handled(Inbound("SM-1", Alice, by: ReplyBy.Outbox), "hello"));
        var item = Assert.Single(await A.Outbox.ClaimAsync("a", Now, TimeSpan.FromMinutes(2), 10));
        await A.Outbox.GiveUpAsync(item.Id, OutboundStatus.Failed, 21610, "unsubscribed", optOut: true, Now);

        var reply = (await B.Queries.MessageAsync("SM-1"))!.Value.Reply!;
        Assert.Equal((OutboundStatus.Failed, 21610L, "unsubscribed"), (reply.Status, reply.ErrorCode!.Value, reply.ErrorMessage));
        Assert.True((await B.Accounts.FindSubscriberAsync(Alice))!.OptedOut);
        Assert.Equal(0, (await B.Outbox.StatsAsync(Now)).Pending);
    }

    [Fact]
    public void CatalogueVersionsAreNumberedAndSharedByEveryNode()
    {
        Assert.Null(A.Catalogues.Latest());
        var first = A.Catalogues.Store("## balance", "file", Now);
        var second = B.Catalogues.Store("## balance\n- en reply: hi", "publish", Now.AddMinutes(1));

        Assert.True(second.Number > first.Number);
        Assert.Equal(second, B.Catalogues.Latest());
        Assert.Equal(second, A.Catalogues.Latest());
        Assert.Equal(first, A.Catalogues.LatestFrom("file"));
        Assert.Equal(CatalogueVersionHash("## balance"), first.Hash);

        static string CatalogueVersionHash(string text) => Core.Catalogue.CatalogueVersion.HashOf(text);
    }

    [Fact]
    public async Task NodesStartingAtOnceWithTheSameFileStoreItOnce()
    {
        var nodes = Enumerable.Range(0, 4).Select(_ => NewNode()).ToList();
        var stored = await Task.WhenAll(nodes.Select(n => Task.Run(() => n.Catalogues.Store("## balance", "file", Now))));

        Assert.Single(stored.Select(v => v.Number).Distinct());
        Assert.Single(A.History.History());
        // A different text, or the same text published by hand, is a new version.
        var edited = B.Catalogues.Store("## balance\n", "file", Now);
        var published = B.History.Publish("## balance", "publish", "ops", "again", Now);
        Assert.True(stored[0].Number < edited.Number && edited.Number < published.Number);
        Assert.Equal(3, A.History.History().Count);
    }

    [Fact]
    public async Task OperatorsSeeAMessageWithItsReplyAndWhatWasNotUnderstood()
    {
        await A.HandleAsync(Handled(Inbound("SM-1", Alice, "BAL"), "Your balance"));
        await A.HandleAsync(Handled(Inbound("SM-2", Alice, "wat", Now.AddMinutes(1)), "Sorry", command: "unknown"));
        await A.HandleAsync(Handled(Inbound("SM-3", Chen, "wat", Now.AddMinutes(2)), "Sorry", command: "unknown"));

        var (inbound, reply) = (await B.Queries.MessageAsync("SM-1"))!.Value;
        Assert.Equal(("SM-1", Alice, "BAL", "handled", "balance", Now), (inbound.Sid, inbound.From, inbound.Body, inbound.Status, inbound.Command, inbound.ReceivedAt));
        Assert.Equal(("Your balance", "replied", 1L), (reply!.Body, reply.Status, reply.Segments));
        Assert.Null(await B.Queries.MessageAsync("SM-404"));

        var unmatched = Assert.Single(await B.Queries.UnmatchedAsync(Now, 10));
        Assert.Equal(("wat", 2L, "wat", Now.AddMinutes(2)), (unmatched.Normalised, unmatched.Count, unmatched.Example, unmatched.LastSeen));
        Assert.Empty(await B.Queries.UnmatchedAsync(Now.AddMinutes(3), 10));
    }

    [Fact]
    public async Task TheLogExportsOldestFirstWithEachReplyWithinTheWindowAsked()
    {
        await A.HandleAsync(Handled(Inbound("SM-2", Alice, "BAL", Now.AddMinutes(2)), "second"));
        await A.HandleAsync(Handled(Inbound("SM-1", Chen, "BAL", Now.AddMinutes(1)), "first"));
        await A.Log.RecordInboundAsync(Inbound("SM-3", Alice, "never answered", Now.AddMinutes(3)));

        var all = B.Export.Read(null, null, null).ToList();
        Assert.Equal(["SM-1", "SM-2", "SM-3"], all.Select(m => m.Sid));
        Assert.Equal(("first", Now.AddMinutes(1)), (all[0].Reply!.Body, all[0].Reply!.At));
        Assert.Null(all[2].Reply);
        Assert.Equal("sms", all[0].Channel);

        Assert.Equal(["SM-2"], B.Export.Read(Now.AddMinutes(2), Now.AddMinutes(3), null).Select(m => m.Sid));
        Assert.Equal(["SM-2", "SM-3"], B.Export.Read(null, null, Alice).Select(m => m.Sid));
    }

    [Fact]
    public async Task ASnapshotIsAnSqliteFileWithEveryAccountAndTheMessagesOfItsWindow()
    {
        var redeem = new AccountChange.RedeemVoucher("111122223333", 1000, 1250, new TopUpFailuresSeen(Now.AddHours(-1), 0));
        await A.HandleAsync(Handled(Inbound("SM-1", Alice, "TOPUP 1111-2222-3333"), "Topped up", [redeem]));
        await A.HandleAsync(Handled(Inbound("SM-2", Chen, "BAL", Now.AddHours(1)), "Your balance"));
        A.Catalogues.Store("## balance", "file", Now);

        var path = Path.Combine(Path.GetTempPath(), $"smshall-snapshot-{Guid.NewGuid():N}.db");
        try
        {
            Sqlite.SqliteSnapshot.Write(path, B.Snapshot.Read(Now.AddMinutes(30), null));

            using var snapshot = new Sqlite.Database(path);
            var accounts = new Sqlite.SqliteAccounts(snapshot);
            Assert.Equal(2250, (await accounts.FindSubscriberAsync(Alice))!.BalanceCents);
            Assert.Equal(Today.AddDays(30), (await accounts.FindSubscriberAsync(Alice))!.ValidUntil);
            Assert.Equal(Now, (await accounts.VoucherAsync("111122223333"))!.RedeemedAt);
            Assert.Equal(6, (await accounts.BillPeriodsAsync(Bob)).Count);
            Assert.Equal("## balance", new Sqlite.SqliteCatalogueVersions(snapshot).Latest()!.Text);
            Assert.Equal(1220, (await accounts.PointsAsync(Alice, Today)).Sum(l => l.Points));
            Assert.Equal(["NEWS", "RBT"], (await accounts.SubscriptionsAsync(Alice)).Select(s => s.Extra.Code));
            Assert.Equal(DemoData.Packs, await accounts.DataPacksAsync());
            Assert.NotEmpty(await accounts.RecordsAsync(Alice, Now.AddMonths(-1), Now, null));
            var messages = new Sqlite.SqliteLogExport(snapshot).Read(null, null, null).ToList();
            Assert.Equal(["SM-2"], messages.Select(m => m.Sid)); // only the window's
            Assert.Equal(("Your balance", Now.AddHours(1)), (messages[0].Reply!.Body, messages[0].Reply!.At));
            snapshot.CloseConnections();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task TheSelfServiceDataReadsBackAsSeeded()
    {
        Assert.Equal([new PointLot(320, Today.AddDays(20)), new PointLot(900, Today.AddDays(200))], await A.Accounts.PointsAsync(Alice, Today));
        Assert.Equal([new PointLot(900, Today.AddDays(200))], await B.Accounts.PointsAsync(Alice, Today.AddDays(21))); // the first lot has lapsed
        Assert.Equal(DemoData.Rewards.OrderBy(r => r.Points).ToList(), await B.Accounts.RewardsAsync());
        Assert.Equal(DemoData.Packs, await B.Accounts.DataPacksAsync());

        var payments = await B.Accounts.PaymentsAsync(Alice);
        Assert.Equal(7, payments.Count);
        Assert.Equal(new Payment(Today.AddDays(-3), 1000, PaymentChannels.Voucher), payments[0]);
        Assert.True(payments.Zip(payments.Skip(1)).All(p => p.First.On >= p.Second.On));

        var october = await B.Accounts.RecordsAsync(Alice, At(2026, 10), At(2026, 11), null);
        Assert.True(october.Zip(october.Skip(1)).All(r => r.First.At >= r.Second.At)); // newest first
        Assert.Equal(2200, october.Where(r => r.Kind == RecordKinds.Data).Sum(r => r.Quantity));
        Assert.Equal(90 * 60, october.Where(r => r.Kind == RecordKinds.Calls).Sum(r => r.Quantity));
        Assert.All(await B.Accounts.RecordsAsync(Alice, At(2026, 10), At(2026, 11), RecordKinds.Sms), r => Assert.Equal(RecordKinds.Sms, r.Kind));
        Assert.Empty(await B.Accounts.RecordsAsync("+15550000005", At(2026, 10), At(2026, 11), null));

        var extras = await B.Accounts.SubscriptionsAsync(Alice);
        Assert.Equal(["NEWS", "RBT"], extras.Select(s => s.Extra.Code)); // oldest first: the order SERVICES numbers them
        Assert.Equal("彩铃", extras[1].Extra.NameIn("zh"));
        Assert.Equal(DemoData.Extras.Select(e => e.Code).Order(), (await A.Accounts.ExtrasAsync()).Select(e => e.Code));
        Assert.Null(await A.Accounts.LastListAsync(Alice));

        static DateTimeOffset At(int year, int month) => new(year, month, 1, 0, 0, 0, TimeSpan.Zero);
    }

    [Fact]
    public async Task TwoYesForOnePackOnTwoNodesBuyItOnce()
    {
        for (var round = 0; round < 6; round++) // $12.50 buys six packs of $2.00
        {
            var offerSid = $"SM-BUY-{round}";
            var offer = new PendingAction(offerSid, "datapack.buy", "P500M 200", Now, Now.AddMinutes(10));
            await A.HandleAsync(Handled(Inbound(offerSid, Alice, "BUY 500MB"), "Buy?", [new AccountChange.Offer(offer)]));
            var balance = (await A.Accounts.FindSubscriberAsync(Alice))!.BalanceCents;

            HandledMessage Yes(string sid) => Handled(Inbound(sid, Alice, "YES"), "Done",
                [new AccountChange.TakeOffer(offerSid), new AccountChange.MoveBalance(-200, balance), new AccountChange.AddData("pack", "P500M", 500, Today.AddDays(7))],
                command: "confirm");
            var outcomes = await Task.WhenAll(Outcome(A, Yes($"SM-Y1-{round}")), Outcome(B, Yes($"SM-Y2-{round}")));

            Assert.Single(outcomes, won => won);
            Assert.Equal(balance - 200, (await B.Accounts.FindSubscriberAsync(Alice))!.BalanceCents);
            Assert.Equal(500 * (round + 1), await B.Accounts.DataAddedMbAsync(Alice, Today));
        }
        // The packs count while they are valid, and not after.
        Assert.Equal(3000, await A.Accounts.DataAddedMbAsync(Alice, Today.AddDays(7)));
        Assert.Equal(0, await A.Accounts.DataAddedMbAsync(Alice, Today.AddDays(8)));
    }

    [Fact]
    public async Task MoneyAlreadySpentCannotBeSpentAgainNorGoBelowNothing()
    {
        // Two purchases that each read the balance as $12.50: the second finds it moved and goes round again.
        var spend = new AccountChange.MoveBalance(-1000, 1250);
        var outcomes = await Task.WhenAll(
            Outcome(A, Handled(Inbound("SM-S1", Alice, "YES"), "Done", [spend])),
            Outcome(B, Handled(Inbound("SM-S2", Alice, "YES"), "Done", [spend])));
        Assert.Single(outcomes, won => won);
        Assert.Equal(250, (await A.Accounts.FindSubscriberAsync(Alice))!.BalanceCents);

        // Read right, but more than there is: never below zero.
        Assert.False(await Outcome(A, Handled(Inbound("SM-S3", Alice, "YES"), "Done", [new AccountChange.MoveBalance(-1000, 250)])));
        Assert.Equal(250, (await B.Accounts.FindSubscriberAsync(Alice))!.BalanceCents);
    }

    [Fact]
    public async Task PointsAreSpentOnceSoonestToLapseFirstWhateverNodeCommits()
    {
        var spend = new AccountChange.SpendPoints("R1G", 500, 1220, Today);
        var outcomes = await Task.WhenAll(
            Outcome(A, Handled(Inbound("SM-P1", Alice, "YES"), "Done", [spend])),
            Outcome(B, Handled(Inbound("SM-P2", Alice, "YES"), "Done", [spend])));

        Assert.Single(outcomes, won => won);
        Assert.Equal([new PointLot(720, Today.AddDays(200))], await A.Accounts.PointsAsync(Alice, Today));
    }

    [Fact]
    public async Task ExtrasAreCancelledOnceAndAListIsRememberedUntilForgotten()
    {
        var cancel = new AccountChange.CancelExtras(["RBT", "NEWS"], Today, Today.AddDays(8));
        var outcomes = await Task.WhenAll(
            Outcome(A, Handled(Inbound("SM-C1", Alice, "YES"), "Done", [cancel])),
            Outcome(B, Handled(Inbound("SM-C2", Alice, "YES"), "Done", [cancel])));
        Assert.Single(outcomes, won => won);
        Assert.Empty(await B.Accounts.SubscriptionsAsync(Alice));

        await A.HandleAsync(Handled(Inbound("SM-L1", Alice, "HISTORY"), "page 1", [new AccountChange.RememberList(new ListPage("history", "calls 2026-10", 4))]));
        Assert.Equal(new ListPage("history", "calls 2026-10", 4), await B.Accounts.LastListAsync(Alice));
        await B.HandleAsync(Handled(Inbound("SM-L2", Alice, "MORE"), "page 2", [new AccountChange.RememberList(new ListPage("history", "calls 2026-10", 8))]));
        Assert.Equal(8, (await A.Accounts.LastListAsync(Alice))!.Shown);
        await A.HandleAsync(Handled(Inbound("SM-L3", Alice, "0000"), "services", [new AccountChange.ForgetList()]));
        Assert.Null(await B.Accounts.LastListAsync(Alice));
    }

    [Fact]
    public async Task OperatorsChangeRewardsExtrasAndPacksWholeOrNotAtAll()
    {
        Assert.True(A.Products.SavePack(new DataPack("P2G", 2048, 800, 30)));
        Assert.False(B.Products.SavePack(new DataPack("P2G", 2048, 900, 30))); // the same code changes it
        Assert.Equal(900, (await A.Accounts.DataPacksAsync()).Single(p => p.Code == "P2G").PriceCents);
        Assert.True(B.Products.RemovePack("P2G"));
        Assert.False(A.Products.RemovePack("P2G"));

        Assert.True(A.Products.SaveReward(new Reward("C10", 1500, RewardKind.Credit, 1000)));
        Assert.Contains(new Reward("C10", 1500, RewardKind.Credit, 1000), await B.Accounts.RewardsAsync());
        Assert.True(B.Products.RemoveReward("C10"));

        Assert.True(A.Products.SaveExtra(new Extra("NAV", 300, [new ExtraName("en", "Navigation"), new ExtraName("zh", "导航")])));
        Assert.False(B.Products.SaveExtra(new Extra("NAV", 250, [new ExtraName("fr", "GPS")]))); // names replaced, not added to
        Assert.Equal([new ExtraName("fr", "GPS")], (await A.Accounts.ExtrasAsync()).Single(e => e.Code == "NAV").Names);
        Assert.True(A.Products.RemoveExtra("NAV"));

        var inUse = Assert.Throws<ProductInUseException>(() => B.Products.RemoveExtra("RBT"));
        Assert.Contains("RBT is still subscribed by 3 number(s)", inUse.Message);
        Assert.Contains("RBT", (await A.Accounts.ExtrasAsync()).Select(e => e.Code));
    }

    [Fact]
    public void TheHealthProbeCanWriteAHealthyDatabase()
    {
        A.Admin.Probe("node-a", Now);
        B.Admin.Probe("node-a", Now.AddSeconds(5)); // again, from anywhere: one row a node
    }

    [Fact]
    public async Task EachOperatorHasOneDraftThatEveryNodeSees()
    {
        Assert.Null(await B.Drafts.FindDraftAsync("ed"));
        await A.Drafts.SaveDraftAsync("ed", "## balance\n- en aliases: BAL", 3, Now);
        // Saved again after version 4 was published: the draft still began from version 3.
        await A.Drafts.SaveDraftAsync("ed", "## balance\n- en aliases: BAL, CASH", 4, Now.AddMinutes(1));
        await A.Drafts.SaveDraftAsync("ann", "余额", null, Now);
        Assert.Equal(new CatalogueDraft("ed", "## balance\n- en aliases: BAL, CASH", Now.AddMinutes(1), 3), await B.Drafts.FindDraftAsync("ed"));
        Assert.Equal("余额", (await B.Drafts.FindDraftAsync("ann"))!.Text);

        await B.Drafts.DeleteDraftAsync("ed");
        Assert.Null(await A.Drafts.FindDraftAsync("ed"));
        Assert.NotNull(await A.Drafts.FindDraftAsync("ann"));
    }

    [Fact]
    public async Task AnOperatorRunsOnePreviewAtATimeAndItEndsOnce()
    {
        var id = (await A.Previews.StartPreviewAsync("ed", 7, Now))!.Value;
        Assert.Null(await B.Previews.StartPreviewAsync("ed", 3, Now)); // one running per operator, from any node
        Assert.NotNull(await B.Previews.StartPreviewAsync("ann", 3, Now));

        Assert.True(await B.Previews.ProgressPreviewAsync(id, 0.25, "replaying with the draft", Now.AddSeconds(5)));
        var running = (await A.Previews.LatestPreviewAsync("ed"))!;
        Assert.Equal((PreviewState.Running, 0.25, "replaying with the draft", 7), (running.State, running.Progress, running.Phase, running.Days));
        Assert.Equal(Now.AddSeconds(5), running.UpdatedAt);

        Assert.True(await A.Previews.FinishPreviewAsync(id, "{\"messages\":3}", Now.AddSeconds(9)));
        Assert.False(await B.Previews.FailPreviewAsync(id, "too late", Now.AddSeconds(10))); // it ended once
        Assert.False(await B.Previews.ProgressPreviewAsync(id, 0.5, "late", Now.AddSeconds(11))); // its runner hears it ended
        var done = (await B.Previews.LatestPreviewAsync("ed"))!;
        Assert.Equal((PreviewState.Done, 1.0, null, null, "{\"messages\":3}"), (done.State, done.Progress, done.Phase, done.Error, done.Result));

        var next = (await B.Previews.StartPreviewAsync("ed", 1, Now.AddMinutes(1)))!.Value;
        Assert.True(await A.Previews.FailPreviewAsync(next, "the snapshot could not be taken", Now.AddMinutes(2)));
        var failed = (await A.Previews.LatestPreviewAsync("ed"))!;
        Assert.Equal((next, PreviewState.Failed, "the snapshot could not be taken"), (failed.Id, failed.State, failed.Error));
        Assert.Null(await A.Previews.LatestPreviewAsync("nobody"));
    }

    /// <summary>A database of the same provider with nothing in it, and a way to open nodes on it.</summary>
    protected abstract FreshStore FreshDatabase();

    /// <summary>Commits a message; true when it stood, false when storage sent it round again (the account changed under it).</summary>
    private static async Task<bool> Outcome(Node node, HandledMessage handled)
    {
        await Task.Yield();
        try
        {
            await node.HandleAsync(handled);
            return true;
        }
        catch (StaleAccountException)
        {
            return false;
        }
    }
}

/// <summary>An empty database for a test that needs one, with its own nodes.</summary>
public sealed class FreshStore(Func<Node> newNode, Action? dispose = null) : IDisposable
{
    private readonly List<Node> _nodes = [];

    public Node NewNode()
    {
        var node = newNode();
        _nodes.Add(node);
        return node;
    }

    public void Dispose()
    {
        foreach (var node in _nodes) node.Dispose();
        dispose?.Invoke();
    }
}
