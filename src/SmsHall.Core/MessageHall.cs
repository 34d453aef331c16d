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
    CatalogueSource catalogues,
    TimeProvider clock,
    HallOptions options)
{
    private readonly Dispatcher _dispatcher = new();

    public async Task<Answer> HandleAsync(InboundMessage message, CancellationToken ct = default)
    {
        if (await log.RecordInboundAsync(message, ct) is { } earlier) return earlier;

        var catalogue = catalogues.Current;
        var now = clock.GetUtcNow();
        var today = options.Today(now);
        var understanding = CommandGrammar.Understand(message.Body, catalogue, today);
        var subscriber = await accounts.FindSubscriberAsync(message.From, ct);

        if (subscriber is null)
        {
            var notRegistered = ReplyRenderer.Render(Reply.Of("unregistered"), catalogue.DefaultLanguage, catalogue, options);
            return await log.CommitAsync(new HandledMessage(message, understanding, [], notRegistered, ReplyStatus.Replied, now), ct);
        }

        // An opted-out number hears nothing until it opts back in; HELP always answers.
        if (subscriber.OptedOut && understanding.Command is not (Command.Start or Command.Help))
            return await log.CommitAsync(new HandledMessage(message, understanding, [], null, ReplyStatus.Suppressed, now), ct);

        var language = catalogue.Languages.Contains(subscriber.Language) ? subscriber.Language : catalogue.DefaultLanguage;
        var context = new HandlerContext(subscriber, now, today, accounts, catalogue, language, options);
        var outcome = await _dispatcher.HandleAsync(understanding.Command, context, ct);
        var reply = ReplyRenderer.Render(outcome.Reply, language, catalogue, options);
        return await log.CommitAsync(new HandledMessage(message, understanding, outcome.Changes, reply, ReplyStatus.Replied, now), ct);
    }

    /// <summary>What the grammar alone makes of a text, as <c>smshall parse</c> shows it.</summary>
    public Understanding Understand(string text) =>
        CommandGrammar.Understand(text, catalogues.Current, options.Today(clock.GetUtcNow()));
}
