using SmsHall.Core.Accounts;
using SmsHall.Core.Catalogue;
using SmsHall.Core.Grammar;
using SmsHall.Core.Replies;

namespace SmsHall.Core.Commands;

/// <summary>
/// Everything a handler may look at while answering one message. <see cref="Match"/> says how the
/// command was read: a handler that spends something asks first when it was read from a typo.
/// </summary>
public sealed record HandlerContext(
    InboundMessage Message,
    MatchKind Match,
    Subscriber Subscriber,
    DateTimeOffset Now,
    DateOnly Today,
    IAccounts Accounts,
    CommandCatalogue Catalogue,
    string Language,
    HallOptions Options);

/// <summary>
/// A handler's answer: the reply, and the account changes to commit with it. <see cref="Language"/>
/// overrides the language the reply is written in (LANG answers in the language just chosen).
/// </summary>
public sealed record Outcome(Reply Reply, IReadOnlyList<AccountChange> Changes, string? Language = null)
{
    public static Outcome Say(string key, params (string, object)[] values) => new(Reply.Of(key, values), []);

    public Outcome With(params AccountChange[] changes) => this with { Changes = [.. Changes, .. changes] };

    public Outcome In(string language) => this with { Language = language };
}
