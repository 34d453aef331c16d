using SmsHall.Core.Accounts;
using SmsHall.Core.Catalogue;
using SmsHall.Core.Commands;
using SmsHall.Core.Diagnostics;
using SmsHall.Core.Grammar;
using SmsHall.Core.Replies;

namespace SmsHall.Core;

/// <summary>
/// One message from start to finish: record it, understand it, hand it to its handler, render the
/// reply and commit the reply with any account change. The webhook, the CLI and replay all come here.
/// </summary>
public sealed class MessageHall(
    IAccounts accounts,
    IMessageLog log,
    LiveCatalogue catalogue,
    TimeProvider clock,
    HallOptions options)
{
    // Two messages of one subscriber racing for the same offer: the loser is handled again on the
    // fresh account. On one node a number's messages take turns, so one round is lost at most; with
    // several nodes a message loses a round to each message of its number another node commits
    // meanwhile (a burst of wrong voucher codes split over two nodes lost four). Past this many
    // something is wrong, not busy.
    private const int Attempts = 10;

    // Plan, extra, pack and reward names feed the grammar ("plan gld" is GOLD, "取消彩铃"). They change
    // rarely, so they are read again only after this long rather than for every message.
    private static readonly TimeSpan NamesFor = TimeSpan.FromMinutes(1);

    private readonly NumberLocks _numbers = new();

    // Replaced whole, never changed, so concurrent messages always see a consistent pair.
    private sealed record Names(KnownNames Known, DateTimeOffset ReadAt);

    private Names? _names;

    /// <summary>The answer that stands, with its <see cref="Answer.Outcome"/> for metrics and logs.</summary>
    public async Task<Answer> HandleAsync(InboundMessage message, CancellationToken ct = default)
    {
        using var span = HallTracing.Start("message");
        span?.SetTag("messaging.message.id", message.Sid);
        Answer? earlier;
        using (HallTracing.Start("record"))
            earlier = await log.RecordInboundAsync(message, ct);
        if (earlier is not null) return Described(span, earlier with { Outcome = MessageOutcome.Duplicate });

        using var turn = await _numbers.TakeAsync(message.From, ct);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var handled = await HandleOnceAsync(message, ct);
                Answer answer;
                using (HallTracing.Start("commit"))
                    answer = await log.CommitAsync(handled, ct);
                return Described(span, answer with { Outcome = MessageOutcome.Of(handled, answer) });
            }
            catch (StaleAccountException) when (attempt < Attempts)
            {
            }
        }
    }

    private static Answer Described(System.Diagnostics.Activity? span, Answer answer)
    {
        HallTracing.Describe(span, answer.Outcome!);
        return answer;
    }

    /// <summary>The reply for when the gateway itself failed: the subscriber still hears something.</summary>
    public string Apology()
    {
        var current = catalogue.Catalogue;
        return ReplyRenderer.Render(Reply.Of("error"), current.DefaultLanguage, current, options).Text;
    }

    private async Task<HandledMessage> HandleOnceAsync(InboundMessage message, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var today = options.Today(now);
        var current = catalogue.Catalogue; // one catalogue for the whole message, even if a reload lands meanwhile
        Understanding understanding;
        using (HallTracing.Start("understand"))
        {
            understanding = message.MediaOnly
                ? new Understanding(message.Body, "", new Command.Media(), MatchKind.None, null, [])
                : CommandGrammar.Understand(message.Body, current, await NamesAsync(ct), today);
        }
        using var handling = HallTracing.Start("handle");
        var since = message.ReceivedAt - TimeSpan.FromSeconds(options.RateLimitSeconds);
        var (subscriber, handledSince) = await accounts.FindSenderAsync(message.From, since, ct);

        if (subscriber is null)
        {
            var language = ReplyLanguage(understanding, current.DefaultLanguage, current);
            var unregistered = RateLimitFor(since, understanding, language, current);
            return OverLimit(message, understanding, unregistered, handledSince, now)
                ?? new HandledMessage(message, understanding, [], ReplyRenderer.Render(Reply.Of("unregistered", ("care", options.CareNumber)), language, current, options), ReplyStatus.Replied, now, unregistered);
        }

        // An opted-out number hears nothing until it opts back in; HELP always answers.
        if (subscriber.OptedOut && understanding.Command is not (Command.Start or Command.Help))
            return new HandledMessage(message, understanding, [], null, ReplyStatus.Suppressed, now);

        var stored = current.Languages.Contains(subscriber.Language) ? subscriber.Language : current.DefaultLanguage;
        var replyLanguage = ReplyLanguage(understanding, stored, current);
        var limit = RateLimitFor(since, understanding, replyLanguage, current);
        if (OverLimit(message, understanding, limit, handledSince, now) is { } limited) return limited;

        // A reply to an operator's answer joins its ticket, unless it is clearly a command: only
        // messages that are not look a ticket up, so commands pay nothing for this.
        if (options.TicketReplyHours > 0 && !ClearlyACommand(understanding, message)
            && await accounts.AnsweredTicketAsync(message.From, message.ReceivedAt - options.TicketReplyWindow, ct) is { } ticket)
        {
            understanding = understanding with { Command = new Command.TicketReply(ticket) };
        }

        var context = new HandlerContext(message, understanding.Match, subscriber, now, today, accounts, current, replyLanguage, options);

        if (understanding.Command is Command.Several several)
        {
            var answers = new List<(string, RenderedReply)>();
            foreach (var part in several.Parts)
            {
                var partOutcome = await CommandSet.For(part).HandleAsync(part, context, ct);
                answers.Add((part.Name, ReplyRenderer.Render(partOutcome.Reply, replyLanguage, current, options)));
            }
            var combined = ReplyRenderer.Combine(answers, replyLanguage, current, options);
            return new HandledMessage(message, understanding, [], combined, ReplyStatus.Replied, now, limit);
        }

        var outcome = await CommandSet.For(understanding.Command).HandleAsync(understanding.Command, context, ct);
        var reply = ReplyRenderer.Render(outcome.Reply, outcome.Language ?? replyLanguage, current, options);
        return new HandledMessage(message, understanding, outcome.Changes, reply, ReplyStatus.Replied, now, limit);
    }

    /// <summary>
    /// Understood exactly (a keyword or an alias as written, not read from a typo), or media with no
    /// text to add to a ticket. STOP and START are always exact.
    /// </summary>
    private static bool ClearlyACommand(Understanding understanding, InboundMessage message) =>
        message.MediaOnly || understanding.Command is not Command.Unknown && understanding.Match is MatchKind.Exact or MatchKind.Alias;

    /// <summary>
    /// A number sending faster than the rate limit gets one notice, then silence until it slows
    /// down. Opting out and back in always work, however fast a number sends.
    /// </summary>
    private RateLimit? RateLimitFor(DateTimeOffset since, Understanding understanding, string language, CommandCatalogue current) =>
        understanding.Command is Command.Stop or Command.Start or Command.Cancel { OrOptOut: true }
            ? null
            : new RateLimit(
                since,
                options.RateLimitMessages,
                ReplyRenderer.Render(Reply.Of("limited"), language, current, options));

    /// <summary>
    /// A number already past its limit (<paramref name="handledSince"/> read with the subscriber) is
    /// not handled at all; the commit then gives it the notice or silence. (A message that passes
    /// here is counted again when committed.)
    /// </summary>
    private static HandledMessage? OverLimit(
        InboundMessage message, Understanding understanding, RateLimit? limit, int handledSince, DateTimeOffset now)
    {
        if (limit is null || handledSince < limit.Messages) return null;
        return new HandledMessage(message, understanding, [], limit.Notice, ReplyStatus.Replied, now, limit);
    }

    /// <summary>
    /// A reply is in the language the message was written in: that of the keyword it matched (of a
    /// keyword of several languages, the one its other words tell), else
    /// the one its script or its words tell (a question not understood, thanks, a greeting); only
    /// when nothing tells (codes, aliases, numbers) the subscriber's own.
    /// </summary>
    private static string ReplyLanguage(Understanding understanding, string stored, CommandCatalogue current)
    {
        var written = understanding.Languages.Where(current.Languages.Contains).ToList();
        if (written.Count == 1) return written[0];
        var told = current.Lexicon.LanguageOf(understanding.Normalised, current.Languages);
        // A keyword of several languages ("points", "credit") is in the one the other words tell ("mes points").
        if (written.Count > 1) return told is not null && written.Contains(told) ? told : written.Contains(stored) ? stored : written[0];
        return told ?? stored;
    }

    private async Task<KnownNames> NamesAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_names is { } cached && now - cached.ReadAt < NamesFor) return cached.Known;
        var known = await KnownNames.ReadAsync(accounts, ct);
        _names = new Names(known, now);
        return known;
    }
}
