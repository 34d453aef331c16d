using System.Globalization;
using SmsHall.Core.Accounts;
using SmsHall.Core.Replies;
using Sprache;

namespace SmsHall.Core.Grammar
{
    public abstract partial record Command
    {
        /// <summary>A voucher top-up; no voucher when the subscriber only asked how to top up.</summary>
        public sealed record TopUp(string? Voucher) : Command
        {
            public override string Name => "topup";
            public override IReadOnlyDictionary<string, object?> Args => new Dictionary<string, object?> { ["voucher"] = Voucher };
        }
    }
}

namespace SmsHall.Core.Commands.TopUp
{
    using SmsHall.Core.Grammar;

    /// <summary>
    /// TOPUP &lt;voucher&gt;: credits the balance from a single-use voucher. A command read from a typo
    /// ("topu 1234…") is asked about first, since it spends the voucher. Wrong codes count towards a
    /// lockout, so vouchers cannot be guessed by trying them one after another.
    /// </summary>
    public sealed class TopUpCommand : CommandDefinition<Command.TopUp>, IOffering
    {
        public const string Action = "topup";

        string IOffering.Action => Action;

        public Task<Outcome> ConfirmAsync(PendingAction offer, HandlerContext ctx, CancellationToken ct) => RedeemAsync(offer.Argument, ctx, ct);

        public Reply Expired(PendingAction offer) => Reply.Of("confirm.expired.topup", ("voucher", offer.Argument));

        public Reply Cancelled(PendingAction offer, HandlerContext ctx) => Reply.Of("cancel.topup");

        public Reply Waiting(PendingAction offer) => Reply.Of("unknown.waiting.topup", ("voucher", offer.Argument));

        /// <summary>
        /// A voucher code, written in one piece or in groups ("1234-5678-9012", "1234 5678 9012"): 4 to
        /// 32 letters and digits, at least as many digits as letters, so that words are never a code.
        /// </summary>
        private static readonly Parser<string> Voucher =
            Parse.LetterOrDigit.Or(Parse.Chars('-', ' ')).AtLeastOnce().Text()
                .Select(v => new string(v.Where(char.IsLetterOrDigit).ToArray()).ToUpperInvariant())
                .Where(v => v.Length is >= 4 and <= 32 && v.Count(char.IsAsciiDigit) * 2 >= v.Length).End();

        public override string Name => "topup";
        public override CommandKind Kind => CommandKind.Changes;

        public override IReadOnlyDictionary<string, string[]> Replies { get; } = new Dictionary<string, string[]>
        {
            ["topup"] = ["amount", "balance"],
            ["topup.how"] = [],
            ["topup.postpaid"] = [],
            ["topup.confirm"] = ["voucher", "minutes"],
            ["topup.invalid"] = ["tries"],
            ["topup.used"] = ["tries"],
            ["topup.locked"] = ["time"],
        };

        public override (Command? Command, int Distance) Read(Arguments arguments)
        {
            if (arguments.None) return Exactly(new Command.TopUp(null));
            var voucher = Voucher.TryParse(string.Join(' ', arguments.Words));
            return Exactly(voucher.WasSuccessful ? new Command.TopUp(voucher.Value) : null);
        }

        protected override async Task<Outcome> HandleAsync(Command.TopUp command, HandlerContext ctx, CancellationToken ct)
        {
            if (command.Voucher is null) return Outcome.Say("topup.how");
            if (ctx.Subscriber.Postpaid) return Outcome.Say("topup.postpaid");
            if (ctx.Match != MatchKind.Fuzzy) return await RedeemAsync(command.Voucher, ctx, ct);

            // Read from a typo: asked about first, unless top-up is locked anyway.
            if (await LockedUntilAsync(ctx, ct) is { } until) return Locked(until, ctx);
            var window = TimeSpan.FromMinutes(ctx.Options.ConfirmationMinutes);
            var offer = new PendingAction(ctx.Message.Sid, Action, command.Voucher, ctx.Now, ctx.Now + window);
            return Outcome.Say("topup.confirm", ("voucher", command.Voucher), ("minutes", ctx.Options.ConfirmationMinutes))
                .With(new AccountChange.Offer(offer));
        }

        /// <summary>Redeems a voucher now: after an exact TOPUP, or after YES to a top-up that was asked about.</summary>
        public static async Task<Outcome> RedeemAsync(string code, HandlerContext ctx, CancellationToken ct)
        {
            var failures = await FailuresAsync(ctx, ct);
            if (LockedUntil(failures, ctx) is { } lockedUntil) return Locked(lockedUntil, ctx);
            var seen = new TopUpFailuresSeen(Since(ctx), failures.Count);

            var voucher = await ctx.Accounts.VoucherAsync(code, ct);
            if (voucher is null || voucher.RedeemedAt is not null)
            {
                var left = ctx.Options.TopUpMaxFailures - failures.Count(f => f > ctx.Now - Lockout(ctx)) - 1;
                var outcome = left <= 0
                    ? Locked(ctx.Now + Lockout(ctx), ctx)
                    : Outcome.Say(voucher is null ? "topup.invalid" : "topup.used", ("tries", left));
                return outcome.With(new AccountChange.RecordTopUpFailure(seen));
            }

            var balance = ctx.Subscriber.BalanceCents;
            return Outcome.Say("topup", ("amount", new Money(voucher.AmountCents)), ("balance", new Money(balance + voucher.AmountCents)))
                .With(new AccountChange.RedeemVoucher(voucher.Code, voucher.AmountCents, balance, seen));
        }

        private static async Task<DateTimeOffset?> LockedUntilAsync(HandlerContext ctx, CancellationToken ct) =>
            LockedUntil(await FailuresAsync(ctx, ct), ctx);

        // Locked for a full window after the wrong code that made the maximum within one window. Codes
        // sent while locked are not even looked at, so they neither count nor stretch the lock.
        private static DateTimeOffset? LockedUntil(IReadOnlyList<DateTimeOffset> failures, HandlerContext ctx)
        {
            var window = Lockout(ctx);
            var max = ctx.Options.TopUpMaxFailures;
            for (var last = failures.Count - 1; last >= max - 1 && failures[last] > ctx.Now - window; last--)
            {
                if (failures[last] - failures[last - max + 1] < window) return failures[last] + window;
            }
            return null;
        }

        // Two windows back: enough to tell whether a lock that started within the last window still holds.
        private static DateTimeOffset Since(HandlerContext ctx) => ctx.Now - Lockout(ctx) - Lockout(ctx);

        private static Task<IReadOnlyList<DateTimeOffset>> FailuresAsync(HandlerContext ctx, CancellationToken ct) =>
            ctx.Accounts.TopUpFailuresAsync(ctx.Subscriber.Number, Since(ctx), ct);

        private static TimeSpan Lockout(HandlerContext ctx) => TimeSpan.FromMinutes(ctx.Options.TopUpLockoutMinutes);

        private static Outcome Locked(DateTimeOffset until, HandlerContext ctx)
        {
            var local = TimeZoneInfo.ConvertTime(until, ctx.Options.TimeZoneInfo);
            return Outcome.Say("topup.locked", ("time", local.ToString("HH:mm", CultureInfo.InvariantCulture)));
        }
    }
}
