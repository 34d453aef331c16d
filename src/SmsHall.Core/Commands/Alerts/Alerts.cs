using System.Collections.Frozen;
using SmsHall.Core.Accounts;
using SmsHall.Core.Ports;
using SmsHall.Core.Replies;
using SmsHall.Core.Text;

namespace SmsHall.Core.Grammar
{
    public abstract partial record Command
    {
        /// <summary>
        /// ALERTS OFF [kind] / ALERTS ON [kind]: refuses (or has again) notices of one category, or of
        /// all (<see cref="Category"/> null). <see cref="On"/> null: ALERTS alone, which says how.
        /// </summary>
        public sealed record Alerts(bool? On, string? Category) : Command
        {
            public override string Name => "alerts";
            public override IReadOnlyDictionary<string, object?> Args =>
                new Dictionary<string, object?> { ["on"] = On, ["category"] = Category };
        }
    }
}

namespace SmsHall.Core.Commands.Alerts
{
    using SmsHall.Core.Grammar;

    /// <summary>
    /// ALERTS OFF, ALERTS ON BILL, STOP OFFERS, 关闭提醒, PAS DE PUB: which notices and offers a
    /// subscriber gets. Some keywords carry their meaning in their own words ("stop offers", "pas de
    /// pub"); the words after a keyword must all be on/off or a kind, else the message is not
    /// understood (and may be asked about): a slip never changes what a subscriber receives.
    /// </summary>
    public sealed class AlertsCommand : CommandDefinition<Command.Alerts>
    {
        private const string Off = "off";
        private const string On = "on";

        // What the words say, in every catalogue language, normalised as the grammar reads them.
        private static readonly FrozenDictionary<string, string> Meanings = new Dictionary<string, string[]>
        {
            [Off] = ["off", "stop", "no", "disable", "unsubscribe", "desactiver", "desactive", "arret", "arreter", "pas", "plus",
                     "关闭", "取消", "停止", "退订", "不要", "拒收", "不再", "خاموش", "غیرفعال", "نفرستید", "نفرست", "لغو", "توقف", "قطع"],
            [On] = ["on", "enable", "activer", "active", "reactiver", "开启", "打开", "开通", "روشن", "فعال"],
            [AlertCategories.Bill] = ["bill", "bills", "billing", "invoice", "invoices", "facture", "factures", "账单", "قبض", "صورتحساب"],
            [AlertCategories.Balance] = ["balance", "credit", "solde", "余额", "موجودی"],
            [AlertCategories.Data] = ["data", "internet", "donnees", "流量", "مصرف", "دیتا"],
            [AlertCategories.Points] = ["points", "point", "loyalty", "积分", "امتیاز"],
            [AlertCategories.Offers] = ["offers", "offer", "promotions", "promotion", "promos", "promo", "ads", "marketing", "pub", "pubs",
                                        "publicite", "publicites", "offres", "广告", "营销", "推广", "تبلیغات", "تبلیغاتی", "تبلیغ"],
            // Words that only name what is turned off or on ("turn bill alerts off", "短信提醒").
            [""] = ["alerts", "alert", "notifications", "notification", "notices", "notice", "messages", "texts", "sms", "turn",
                    "alertes", "alerte", "提醒", "通知", "短信", "هشدار", "هشدارها", "پیامک", "اطلاع", "رسانی"],
        }.SelectMany(m => m.Value.Select(w => (Word: TextNormaliser.Normalise(w), Meaning: m.Key)))
            .ToFrozenDictionary(w => w.Word, w => w.Meaning, StringComparer.Ordinal);

        public override string Name => "alerts";
        public override CommandKind Kind => CommandKind.Changes;

        // Its words are everyday words ("通知", "提醒", "هشدار", "alert"): chatter holding them gets no "Did you mean".
        public override bool Suggested => false;

        // "bill alerts off", "stop alerts", "取消提醒", "no more alerts": the other commands' words only say which kind, or off.
        public override IReadOnlyCollection<string> Absorbs { get; } =
            ["bill", "balance", "usage", "points", "stop", "cancel", "more"];

        public override IEnumerable<string> HanWords => Meanings.Keys.Where(w => w.All(TextNormaliser.IsHan));

        public override IReadOnlyDictionary<string, string[]> Replies { get; } = new Dictionary<string, string[]>
        {
            ["alerts"] = [],
            ["alerts.off"] = ["kinds"],
            ["alerts.on"] = ["kinds"],
            ["alerts.ask"] = ["command"],
            ["alerts.kind.all"] = [],
            ["alerts.kind.bill"] = [],
            ["alerts.kind.balance"] = [],
            ["alerts.kind.data"] = [],
            ["alerts.kind.points"] = [],
            ["alerts.kind.offers"] = [],
        };

        public override IReadOnlyDictionary<string, int> Widths { get; } = new Dictionary<string, int>
        {
            ["kinds"] = 60,
            ["command"] = 20,
        };

        public override (Command? Command, int Distance) Read(Arguments arguments)
        {
            string? on = null;
            string? category = null;
            // What a keyword's own words say ("stop offers"); its other words ("no more") say nothing.
            var said = arguments.Keyword.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(w => Meanings.GetValueOrDefault(w)).Where(m => m is not null)
                // Another command's keyword beside ALERTS names a kind ("bill") or says off ("stop").
                .Concat(arguments.Absorbed.Select(a => Absorbed(a, arguments.Lexicon)))
                // Every other word must say something: "alerts offf" is not understood.
                .Concat(arguments.Words.Select(w => Meanings.GetValueOrDefault(w)));
            foreach (var meaning in said)
            {
                switch (meaning)
                {
                    case null:
                        return Exactly(null);
                    case "":
                        break;
                    case Off or On:
                        if (on is not null && on != meaning) return Exactly(null); // "on off"
                        on = meaning;
                        break;
                    default:
                        if (category is not null && category != meaning) return Exactly(null); // one kind, or all
                        category = meaning;
                        break;
                }
            }
            // An everyday word alone ("通知", "已通知") is no request; ALERTS alone, or ALERTS OFFERS, asks how.
            if (on is null) return Exactly(arguments.NeedsArgument ? null : new Command.Alerts(null, null));
            return Exactly(new Command.Alerts(on == On, category));
        }

        private static string? Absorbed(string phrase, Catalogue.Lexicon lexicon) =>
            !lexicon.TryKeyword(phrase, out var keyword) ? null
            : keyword.Command switch
            {
                "bill" => AlertCategories.Bill,
                "balance" => AlertCategories.Balance,
                "usage" => AlertCategories.Data,
                "points" => AlertCategories.Points,
                "stop" or "cancel" => Off,
                "more" => "", // "no more alerts"
                _ => null,
            };

        protected override Task<Outcome> HandleAsync(Command.Alerts command, HandlerContext ctx, CancellationToken ct)
        {
            if (command.On is not { } on) return Task.FromResult(Outcome.Say("alerts"));
            var kinds = Reply.Of("alerts.kind." + (command.Category ?? "all"));
            // Read from a typo ("alrets off"): asked, never done.
            if (ctx.Match == MatchKind.Fuzzy)
                return Task.FromResult(Outcome.Say("alerts.ask", ("command", Canonical(command))));
            var categories = command.Category is { } one ? [one] : AlertCategories.All;
            return Task.FromResult(Outcome.Say(on ? "alerts.on" : "alerts.off", ("kinds", kinds)).With(new AccountChange.SetAlerts(categories, on)));
        }

        /// <summary>The exact words that do it: ALERTS OFF BILL (understood in every language).</summary>
        public static string Canonical(Command.Alerts command) =>
            $"ALERTS {(command.On == true ? "ON" : "OFF")}{(command.Category is { } c ? " " + c.ToUpperInvariant() : "")}";
    }
}
