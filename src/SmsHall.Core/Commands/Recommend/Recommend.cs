using SmsHall.Core.Accounts;
using SmsHall.Core.Replies;

namespace SmsHall.Core.Grammar
{
    public abstract partial record Command
    {
        public sealed record Recommend : Command { public override string Name => "recommend"; }
    }
}

namespace SmsHall.Core.Commands.Recommend
{
    using SmsHall.Core.Grammar;

    /// <summary>
    /// RECOMMEND: the cheapest plan whose allowances cover each of the last three months' usage, with
    /// the monthly difference; none when the current plan is already that plan.
    /// </summary>
    public sealed class RecommendCommand : BareCommand<Command.Recommend>
    {
        public override string Name => "recommend";
        public override CommandKind Kind => CommandKind.Reads;

        // Its words are everyday words ("more", "history", "points", "services", "buy"): chatter holding them gets no "Did you mean".
        public override bool Suggested => false;

        // "recommend me a plan", "推荐一下套餐": the word for plans only names what is recommended.
        public override IReadOnlyCollection<string> Absorbs { get; } = ["plan"];

        public override IReadOnlyDictionary<string, string[]> Replies { get; } = new Dictionary<string, string[]>
        {
            ["recommend.cheaper"] = ["plan", "price", "current", "saving"],
            ["recommend.upgrade"] = ["plan", "price", "current", "extra"],
            ["recommend.best"] = ["plan"],
            ["recommend.none"] = ["plan"],
            ["recommend.unknown"] = [],
        };

        protected override async Task<Outcome> HandleAsync(Command.Recommend command, HandlerContext ctx, CancellationToken ct)
        {
            var advice = await PlanAdvice.ForAsync(ctx, ct);
            var current = ctx.Subscriber.PlanCode;
            return advice switch
            {
                { Months: 0 } => Outcome.Say("recommend.unknown"),
                { Best: null } => Outcome.Say("recommend.none", ("plan", current)),
                { Best: var best } when best.Code == current => Outcome.Say("recommend.best", ("plan", current)),
                { RecommendsCheaper: true, Best: var best, Current: { } now } =>
                    Outcome.Say("recommend.cheaper", ("plan", best.Code), ("price", new Money(best.MonthlyFeeCents)), ("current", current),
                        ("saving", new Money(now.MonthlyFeeCents - best.MonthlyFeeCents))),
                { Best: var best, Current: var now } =>
                    Outcome.Say("recommend.upgrade", ("plan", best.Code), ("price", new Money(best.MonthlyFeeCents)), ("current", current),
                        ("extra", new Money(best.MonthlyFeeCents - (now?.MonthlyFeeCents ?? 0)))),
            };
        }
    }

    /// <summary>What the last three months of usage say about a subscriber's plan.</summary>
    /// <param name="Best">The cheapest plan covering every one of those months, or null when none does.</param>
    /// <param name="Months">How many of those months have records; none means there is nothing to go on.</param>
    public sealed record PlanAdvice(Accounts.Plan? Best, Accounts.Plan? Current, int Months)
    {
        /// <summary>The closed months looked at: the three before this one.</summary>
        public const int MonthsLookedAt = 3;

        /// <summary>Whether moving to <see cref="Best"/> would cost less than the current plan.</summary>
        public bool WouldSave => Best is not null && Current is not null && Best.MonthlyFeeCents < Current.MonthlyFeeCents;

        /// <summary>Whether RECOMMEND would tell of a cheaper plan: there are months to go on and the best plan costs less.</summary>
        public bool RecommendsCheaper => Months > 0 && WouldSave;

        public static async Task<PlanAdvice> ForAsync(HandlerContext ctx, CancellationToken ct) =>
            await ForAsync(ctx.Accounts, await ctx.Accounts.PlansAsync(ct), ctx.Subscriber.Number, ctx.Subscriber.PlanCode, ctx.Today, ctx.Options, ct);

        /// <summary>The advice for a subscriber on <paramref name="today"/> (campaigns ask it of many, with the plans read once).</summary>
        public static async Task<PlanAdvice> ForAsync(
            IAccounts accounts, IReadOnlyList<Accounts.Plan> plans, string number, string planCode, DateOnly today, HallOptions options, CancellationToken ct)
        {
            var thisMonth = YearMonth.Of(today);
            var first = thisMonth.AddMonths(-MonthsLookedAt);
            var records = await accounts.RecordsAsync(number, options.StartOf(first), options.StartOf(thisMonth), null, ct);
            return For(plans, planCode, UsageByMonth(records, options));
        }

        /// <summary>Records added up per month of the operator's calendar: data in MB, calls in started minutes, SMS.</summary>
        public static IReadOnlyList<MonthUsage> UsageByMonth(IEnumerable<UsageRecord> records, HallOptions options) =>
            records.GroupBy(r => YearMonth.Of(options.Today(r.At)))
                .Select(m => new MonthUsage(
                    m.Key,
                    (int)m.Where(r => r.Kind == RecordKinds.Data).Sum(r => r.Quantity),
                    m.Where(r => r.Kind == RecordKinds.Calls).Sum(r => History.HistoryCommand.Minutes(r.Quantity)),
                    (int)m.Where(r => r.Kind == RecordKinds.Sms).Sum(r => r.Quantity)))
                .OrderBy(m => m.Period.Year).ThenBy(m => m.Period.Month).ToList();

        /// <summary>
        /// The cheapest plan (then the first by code) whose data, minutes and SMS each cover every
        /// month; a month without records used nothing, so it is covered by any plan.
        /// </summary>
        public static PlanAdvice For(IReadOnlyList<Accounts.Plan> plans, string currentPlan, IReadOnlyList<MonthUsage> months)
        {
            var best = plans
                .Where(p => Covers(p, months))
                .OrderBy(p => p.MonthlyFeeCents).ThenBy(p => p.Code, StringComparer.Ordinal)
                .FirstOrDefault();
            // The current plan at the same price as the cheapest is as good: never a move for nothing.
            var current = plans.FirstOrDefault(p => p.Code == currentPlan);
            if (best is not null && current is not null && current.MonthlyFeeCents == best.MonthlyFeeCents && Covers(current, months)) best = current;
            return new PlanAdvice(best, current, months.Count);
        }

        private static bool Covers(Accounts.Plan plan, IReadOnlyList<MonthUsage> months) =>
            months.All(m => m.DataMb <= plan.DataMb && m.Minutes <= plan.Minutes && m.Sms <= plan.Sms);
    }
}
