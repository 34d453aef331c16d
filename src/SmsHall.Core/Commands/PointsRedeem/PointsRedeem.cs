using SmsHall.Core.Accounts;
using SmsHall.Core.Replies;

namespace SmsHall.Core.Grammar
{
    public abstract partial record Command
    {
        /// <summary>A reward to redeem points for: a size ("1GB") or a reward code; null asks for the list.</summary>
        public sealed record PointsRedeem(string? Reward) : Command
        {
            public override string Name => "points.redeem";
            public override IReadOnlyDictionary<string, object?> Args => new Dictionary<string, object?> { ["reward"] = Reward };
        }
    }
}

namespace SmsHall.Core.Commands.PointsRedeem
{
    using SmsHall.Core.Commands.Usage;
    using SmsHall.Core.Grammar;

    /// <summary>
    /// REDEEM 1GB: offers a reward for points, naming the reward and its cost; YES spends the points
    /// (those lapsing soonest first) and applies it: data added, or credit (on the balance, or off a
    /// postpaid bill). REDEEM alone lists the rewards. The offer remembers the cost, so YES never
    /// spends more points than it named.
    /// </summary>
    public sealed class PointsRedeemCommand : OfferingCommand<Command.PointsRedeem>, IPaged
    {
        /// <summary>Data from a reward lasts this long.</summary>
        public const int RewardDataDays = 30;

        public override string Name => "points.redeem";
        public override CommandKind Kind => CommandKind.Changes;

        // Its words are everyday words ("more", "history", "points", "services", "buy"): chatter holding them gets no "Did you mean".
        public override bool Suggested => false;
        public override string Action => "points.redeem";

        // "redeem my points for 1GB of data": the words for points and data only name what is redeemed.
        public override IReadOnlyCollection<string> Absorbs { get; } = ["points", "usage"];

        public override IReadOnlyDictionary<string, string[]> Replies { get; } = new Dictionary<string, string[]>
        {
            ["points.redeem"] = ["gift", "reward", "needed", "points", "minutes"],
            ["points.redeem.list"] = ["points", "rewards", "more"],
            ["points.redeem.short"] = ["gift", "needed", "points"],
            ["points.redeem.unknown"] = ["reward"],
            ["points.redeem.none"] = [],
            ["points.redeem.done"] = ["gift", "points"],
            ["points.redeem.what"] = ["reward", "needed"],
            // What a reward gives, and one reward of the list.
            ["points.redeem.data"] = ["size"],
            ["points.redeem.credit"] = ["amount"],
            ["points.redeem.item"] = ["code", "gift", "needed"],
        };

        public override (Command? Command, int Distance) Read(Arguments arguments)
        {
            if (arguments.None) return Exactly(arguments.NeedsArgument ? null : new Command.PointsRedeem(null));
            return Exactly(ProductArguments.Read(arguments, arguments.Names.Rewards) is { } reward ? new Command.PointsRedeem(reward) : null);
        }

        protected override async Task<Outcome> HandleAsync(Command.PointsRedeem command, HandlerContext ctx, CancellationToken ct)
        {
            if (command.Reward is null) return await PageAsync("", 0, ctx, ct);
            var rewards = await ctx.Accounts.RewardsAsync(ct);
            var matching = rewards.Where(r => r.Code.Equals(command.Reward, StringComparison.OrdinalIgnoreCase)
                || r.Kind == RewardKind.Data && DataSizes.Name((int)r.Amount) == command.Reward).ToList();
            if (matching.Count == 0) return Outcome.Say("points.redeem.unknown", ("reward", command.Reward));
            // Two rewards of that size: the list to choose from, never a guess.
            if (matching.Count > 1) return await PageAsync("", 0, ctx, ct);

            var reward = matching[0];
            var points = await PointsAsync(ctx, ct);
            if (points < reward.Points)
                return Outcome.Say("points.redeem.short", ("gift", Gift(reward)), ("needed", reward.Points), ("points", points));
            return Outcome.Say("points.redeem", ("gift", Gift(reward)), ("reward", reward.Code), ("needed", reward.Points), ("points", points),
                    ("minutes", ctx.Options.ConfirmationMinutes))
                .With(new AccountChange.Offer(Offer(ProductArguments.Offer(reward.Code, reward.Points), ctx)));
        }

        public async Task<Outcome> PageAsync(string args, int skip, HandlerContext ctx, CancellationToken ct)
        {
            var rewards = await ctx.Accounts.RewardsAsync(ct);
            var items = rewards.Select(r => Reply.Of("points.redeem.item", ("code", r.Code), ("gift", Gift(r)), ("needed", r.Points))).ToList();
            if (items.Count == 0) return Outcome.Say("points.redeem.none").With(new AccountChange.ForgetList());
            return Lists.Fit("points.redeem.list", "rewards", items, skip, new ListPage(Name, "", 0), ctx, ("points", await PointsAsync(ctx, ct)));
        }

        public override async Task<Outcome> ConfirmAsync(PendingAction offer, HandlerContext ctx, CancellationToken ct)
        {
            var (code, cost) = ProductArguments.Of(offer);
            var reward = (await ctx.Accounts.RewardsAsync(ct)).FirstOrDefault(r => r.Code == code);
            // Withdrawn or its cost changed since the offer: YES would not get what was named.
            if (reward is null || reward.Points != cost) return new Outcome(Expired(offer), []);

            var points = await PointsAsync(ctx, ct);
            // Points may have lapsed or gone meanwhile: checked again now, and guarded at commit.
            if (points < cost) return Outcome.Say("points.redeem.short", ("gift", Gift(reward)), ("needed", cost), ("points", points));

            var s = ctx.Subscriber;
            AccountChange applied = reward.Kind switch
            {
                RewardKind.Data => new AccountChange.AddData("reward", reward.Code, (int)reward.Amount, ctx.Today.AddDays(RewardDataDays)),
                _ when s.Postpaid => new AccountChange.AddToNextBill($"Reward {reward.Code}", -reward.Amount),
                _ => new AccountChange.MoveBalance(reward.Amount, s.BalanceCents),
            };
            return Outcome.Say("points.redeem.done", ("gift", Gift(reward)), ("points", points - cost))
                .With(new AccountChange.SpendPoints(reward.Code, reward.Points, points, ctx.Today), applied);
        }

        protected override Reply What(PendingAction offer) =>
            Reply.Of("points.redeem.what", ("reward", ProductArguments.Of(offer).Code), ("needed", ProductArguments.Of(offer).Amount));

        private static async Task<int> PointsAsync(HandlerContext ctx, CancellationToken ct) =>
            (await ctx.Accounts.PointsAsync(ctx.Subscriber.Number, ctx.Today, ct)).Sum(l => l.Points);

        private static Reply Gift(Reward reward) => reward.Kind == RewardKind.Data
            ? Reply.Of("points.redeem.data", ("size", UsageCommand.Data((int)reward.Amount)))
            : Reply.Of("points.redeem.credit", ("amount", new Money(reward.Amount)));
    }
}
