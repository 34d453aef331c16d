using SmsHall.Core.Accounts;
using SmsHall.Core.Catalogue;
using SmsHall.Core.Grammar;
using SmsHall.Core.Handlers;
using SmsHall.Core.Replies;

namespace SmsHall.Core;

/// <summary>
/// One message from start to finish: record it, understand it, hand it to its handler, render the
/// reply and commit the reply with any account change. The webhook, the CLI and replay all come here.
/// </summary>
public sealed class MessageHall(
    IAccounts accounts,
    IMessageLog log,
    CommandCatalogue catalogue,
    TimeProvider clock,
    HallOptions options)
{
    // Two messages of one subscriber racing for the same offer: the loser is handled again on the
    // fresh account. More than a few rounds would mean something is wrong, not busy.
    private const int Attempts = 3;

    private readonly Dispatcher _dispatcher = new();

    public async Task<Answer> HandleAsync(InboundMessage message, CancellationToken ct = default)
    {
        if (await log.RecordInboundAsync(message, ct) is { } earlier) return earlier;

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await log.CommitAsync(await HandleOnceAsync(message, ct), ct);
            }
            catch (StaleAccountException) when (attempt < Attempts)
            {
            }
        }
    }

    /// <summary>The reply for when the gateway itself failed: the subscriber still hears something.</summary>
    public string Apology() =>
        ReplyRenderer.Render(Reply.Of("error"), catalogue.DefaultLanguage, catalogue, options).Text;

    /// <summary>What the grammar alone makes of a text on a given day, as <c>smshall parse</c> shows it.</summary>
    public Understanding Understand(string text, DateOnly today) => CommandGrammar.Understand(text, catalogue, today);

    public DateOnly Today() => options.Today(clock.GetUtcNow());

    private async Task<HandledMessage> HandleOnceAsync(InboundMessage message, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var today = options.Today(now);
        var understanding = CommandGrammar.Understand(message.Body, catalogue, today);
        var subscriber = await accounts.FindSubscriberAsync(message.From, ct);

        if (subscriber is null)
        {
            var notRegistered = ReplyRenderer.Render(Reply.Of("unregistered"), catalogue.DefaultLanguage, catalogue, options);
            return new HandledMessage(message, understanding, [], notRegistered, ReplyStatus.Replied, now);
        }

        // An opted-out number hears nothing until it opts back in; HELP always answers.
        if (subscriber.OptedOut && understanding.Command is not (Command.Start or Command.Help))
            return new HandledMessage(message, understanding, [], null, ReplyStatus.Suppressed, now);

        var language = catalogue.Languages.Contains(subscriber.Language) ? subscriber.Language : catalogue.DefaultLanguage;
        var context = new HandlerContext(message, subscriber, now, today, accounts, catalogue, language, options);
        var outcome = await _dispatcher.HandleAsync(understanding.Command, context, ct);
        var reply = ReplyRenderer.Render(outcome.Reply, language, catalogue, options);
        return new HandledMessage(message, understanding, outcome.Changes, reply, ReplyStatus.Replied, now);
    }
}
