using System.Collections.Frozen;
using System.Globalization;
using SmsHall.Core.Accounts;
using SmsHall.Core.Replies;
using SmsHall.Core.Text;

namespace SmsHall.Core.Grammar
{
    public abstract partial record Command
    {
        /// <summary>Itemised records of a month (null: this month so far), of one kind (calls, sms, data) or all (null).</summary>
        public sealed record History(string? Kind, YearMonth? Period) : Command
        {
            public override string Name => "history";
            public override IReadOnlyDictionary<string, object?> Args =>
                new Dictionary<string, object?> { ["kind"] = Kind, ["period"] = Period?.ToString() };
        }
    }
}

namespace SmsHall.Core.Commands.History
{
    using SmsHall.Core.Commands.Usage;
    using SmsHall.Core.Grammar;

    /// <summary>
    /// HISTORY [calls|sms|data] [month]: itemised records of a month, newest first, as many as fit the
    /// segment budget, with the month's totals; MORE shows the rest.
    /// </summary>
    public sealed class HistoryCommand : CommandDefinition<Command.History>, IPaged
    {
        private static readonly FrozenDictionary<string, string> KindWords = new Dictionary<string, string[]>
        {
            [RecordKinds.Calls] = ["call", "calls", "voice", "appel", "appels", "通话", "电话", "语音", "مکالمه", "مکالمات", "تماس"],
            [RecordKinds.Sms] = ["sms", "text", "texts", "message", "messages", "短信", "پیامک"],
            [RecordKinds.Data] = ["data", "internet", "donnees", "流量", "上网", "数据", "دیتا", "داده"],
        }.SelectMany(k => k.Value.Select(w => (Word: TextNormaliser.Normalise(w), Kind: k.Key)))
            .ToFrozenDictionary(w => w.Word, w => w.Kind, StringComparer.Ordinal);

        public override string Name => "history";
        public override CommandKind Kind => CommandKind.Reads;

        // Its words are everyday words ("more", "history", "points", "services", "buy"): chatter holding them gets no "Did you mean".
        public override bool Suggested => false;

        // "data history", "流量详单": the word for data is also USAGE's keyword; beside HISTORY it names the kind.
        public override IReadOnlyCollection<string> Absorbs { get; } = ["usage"];

        public override IEnumerable<string> HanWords => KindWords.Keys.Where(w => w.All(TextNormaliser.IsHan));

        public override IReadOnlyDictionary<string, string[]> Replies { get; } = new Dictionary<string, string[]>
        {
            ["history"] = ["period", "records", "call_minutes", "texts", "size", "charges", "more"],
            ["history.calls"] = ["period", "records", "call_minutes", "charges", "more"],
            ["history.sms"] = ["period", "records", "texts", "charges", "more"],
            ["history.data"] = ["period", "records", "size", "charges", "more"],
            ["history.none"] = ["period"],
            // One record of the list.
            ["history.item.call"] = ["when", "number", "duration"],
            ["history.item.sms"] = ["when", "number"],
            ["history.item.data"] = ["when", "size"],
        };

        public override (Command? Command, int Distance) Read(Arguments arguments)
        {
            string? kind = null;
            var month = new List<string>();
            foreach (var word in arguments.Words.Concat(arguments.Absorbed))
            {
                if (KindWords.TryGetValue(word, out var named))
                {
                    if (kind is not null && kind != named) return Exactly(null); // "calls and data": one kind or all
                    kind = named;
                }
                else if (arguments.Absorbed.Contains(word)) continue; // "usage history": all kinds
                else month.Add(word);
            }
            // "this month", "call history": no month named is this month so far.
            if (month.All(MonthGrammar.OnlySaysMonth)) return Exactly(new Command.History(kind, null));
            return Exactly(MonthGrammar.TryResolve(month, arguments.Today, out var period) ? new Command.History(kind, period) : null);
        }

        protected override Task<Outcome> HandleAsync(Command.History command, HandlerContext ctx, CancellationToken ct) =>
            PageAsync(command, 0, ctx, ct);

        public Task<Outcome> PageAsync(string args, int skip, HandlerContext ctx, CancellationToken ct)
        {
            var parts = args.Split(' ');
            var kind = parts[0].Length == 0 ? null : parts[0];
            return PageAsync(new Command.History(kind, YearMonth.Parse(parts[1])), skip, ctx, ct);
        }

        private async Task<Outcome> PageAsync(Command.History command, int skip, HandlerContext ctx, CancellationToken ct)
        {
            var period = command.Period ?? YearMonth.Of(ctx.Today);
            var records = await ctx.Accounts.RecordsAsync(ctx.Subscriber.Number, ctx.Options.StartOf(period), ctx.Options.StartOf(period.AddMonths(1)), command.Kind, ct);
            if (records.Count == 0) return Outcome.Say("history.none", ("period", period)).With(new AccountChange.ForgetList());

            var items = records.Select(r => Item(r, ctx)).ToList();
            var page = new ListPage(Name, $"{command.Kind} {period}", 0);
            var minutes = ("call_minutes", (object)records.Where(r => r.Kind == RecordKinds.Calls).Sum(r => Minutes(r.Quantity)));
            var texts = ("texts", (object)records.Count(r => r.Kind == RecordKinds.Sms));
            var size = ("size", (object)UsageCommand.Data((int)records.Where(r => r.Kind == RecordKinds.Data).Sum(r => r.Quantity)));
            var charges = ("charges", (object)new Money(records.Sum(r => r.CostCents)));
            return command.Kind switch
            {
                RecordKinds.Calls => Lists.Fit("history.calls", "records", items, skip, page, ctx, ("period", period), minutes, charges),
                RecordKinds.Sms => Lists.Fit("history.sms", "records", items, skip, page, ctx, ("period", period), texts, charges),
                RecordKinds.Data => Lists.Fit("history.data", "records", items, skip, page, ctx, ("period", period), size, charges),
                _ => Lists.Fit("history", "records", items, skip, page, ctx, ("period", period), minutes, texts, size, charges),
            };
        }

        private static Reply Item(UsageRecord r, HandlerContext ctx)
        {
            var when = TimeZoneInfo.ConvertTime(r.At, ctx.Options.TimeZoneInfo).ToString("MM-dd HH:mm", CultureInfo.InvariantCulture);
            return r.Kind switch
            {
                RecordKinds.Calls => Reply.Of("history.item.call", ("when", when), ("number", r.Counterpart ?? "-"),
                    ("duration", $"{r.Quantity / 60}:{r.Quantity % 60:D2}")),
                RecordKinds.Sms => Reply.Of("history.item.sms", ("when", when), ("number", r.Counterpart ?? "-")),
                _ => Reply.Of("history.item.data", ("when", when), ("size", UsageCommand.Data((int)r.Quantity))),
            };
        }

        // Calls are counted in started minutes, as allowances count them.
        public static int Minutes(long seconds) => (int)((seconds + 59) / 60);
    }
}
