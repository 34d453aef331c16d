using SmsHall.Core.Accounts;
using SmsHall.Core.Replies;

namespace SmsHall.Core.Commands;

/// <summary>A command whose list can be longer than one reply: MORE asks it for the next page of the last one shown.</summary>
public interface IPaged
{
    /// <summary>The list again, from item <paramref name="skip"/>, for the arguments it remembered (<see cref="ListPage.Args"/>).</summary>
    Task<Outcome> PageAsync(string args, int skip, HandlerContext ctx, CancellationToken ct);
}

/// <summary>
/// Lists cut honestly: as many items as fit the segment budget, with "Text MORE for the other N"
/// when some are left, which MORE then shows (<see cref="ReplyKeys.Fitted"/>).
/// </summary>
public static class Lists
{
    /// <summary>
    /// The reply <paramref name="key"/> with the items from <paramref name="skip"/> that fit in
    /// <paramref name="placeholder"/>, <c>{more}</c> saying how many are left, and the list remembered
    /// for MORE (or forgotten when it was shown to its end).
    /// </summary>
    public static Outcome Fit(
        string key, string placeholder, IReadOnlyList<Reply> items, int skip, ListPage page, HandlerContext ctx,
        params (string Name, object Value)[] values)
    {
        var texts = items.Skip(skip).Select(item => ReplyRenderer.Render(item, ctx.Language, ctx.Catalogue, ctx.Options).Text).ToList();
        string Joined(int take) => string.Join("; ", texts.Take(take));
        Reply With(int take)
        {
            var left = texts.Count - take;
            object more = left > 0 ? Reply.Of("more.rest", ("count", left)) : "";
            return Reply.Of(key, [.. values, (placeholder, Joined(take)), ("more", more)]);
        }
        bool Fits(int take) => ReplyRenderer.Render(With(take), ctx.Language, ctx.Catalogue, ctx.Options).Segments <= ctx.Catalogue.SegmentBudget;

        // One item always goes: a list that shows nothing helps no one, and the catalogue check holds
        // every list reply with one item to the budget.
        var fit = Math.Min(1, texts.Count);
        while (fit < texts.Count && Fits(fit + 1)) fit++;
        var shown = skip + fit;
        var outcome = new Outcome(With(fit), []);
        return shown < items.Count
            ? outcome.With(new AccountChange.RememberList(page with { Shown = shown }))
            : outcome.With(new AccountChange.ForgetList());
    }

    /// <summary>Items written in the reply's language and joined, for a short list inside one reply (the services an offer names).</summary>
    public static string Join(IEnumerable<Reply> items, HandlerContext ctx) =>
        string.Join(", ", items.Select(item => ReplyRenderer.Render(item, ctx.Language, ctx.Catalogue, ctx.Options).Text));
}
