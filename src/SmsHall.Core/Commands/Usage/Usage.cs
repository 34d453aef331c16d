using System.Globalization;

namespace SmsHall.Core.Grammar
{
    public abstract partial record Command
    {
        public sealed record Usage : Command { public override string Name => "usage"; }
    }
}

namespace SmsHall.Core.Commands.Usage
{
    using SmsHall.Core.Grammar;

    /// <summary>USAGE: data, minutes and SMS used this cycle against the plan's allowance (its data with the packs and rewards still valid).</summary>
    public sealed class UsageCommand : BareCommand<Command.Usage>
    {
        public override string Name => "usage";
        public override CommandKind Kind => CommandKind.Reads;

        public override IReadOnlyDictionary<string, string[]> Replies { get; } = new Dictionary<string, string[]>
        {
            ["usage"] = ["cycle_start", "data_used", "data_allowance", "minutes_used", "minutes_allowance", "sms_used", "sms_allowance", "plan"],
            ["usage.none"] = ["plan"],
        };

        protected override async Task<Outcome> HandleAsync(Command.Usage command, HandlerContext ctx, CancellationToken ct)
        {
            var s = ctx.Subscriber;
            var usage = await ctx.Accounts.UsageAsync(s.Number, ct);
            var plan = (await ctx.Accounts.PlansAsync(ct)).FirstOrDefault(p => p.Code == s.PlanCode);
            if (usage is null || plan is null) return Outcome.Say("usage.none", ("plan", s.PlanCode));
            var added = await ctx.Accounts.DataAddedMbAsync(s.Number, ctx.Today, ct);
            return Outcome.Say("usage",
                ("plan", plan.Code),
                ("cycle_start", usage.CycleStart),
                ("data_used", Data(usage.DataMbUsed)),
                ("data_allowance", Data(plan.DataMb + added)),
                ("minutes_used", usage.MinutesUsed),
                ("minutes_allowance", plan.Minutes),
                ("sms_used", usage.SmsUsed),
                ("sms_allowance", plan.Sms));
        }

        /// <summary>Megabytes as a subscriber reads them: "850 MB", "1.5 GB".</summary>
        public static string Data(int megabytes) =>
            megabytes < 1024
                ? $"{megabytes} MB"
                : (megabytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " GB";
    }
}
