using SmsHall.Core.Catalogue;
using SmsHall.Core.Ports;
using SmsHall.Core.Replies;

namespace SmsHall.Core.Campaigns;

/// <summary>
/// An offer as a subscriber receives it: the operator's text in their language (else in the
/// catalogue's default language), then how to refuse offers (<c>offer.refuse</c>) in their language.
/// </summary>
public static class Offers
{
    public const int MinRate = 1;
    public const int MaxRate = 600;
    public const int MaxNameLength = 80;

    public static RenderedReply Render(IReadOnlyDictionary<string, string> messages, string language, CommandCatalogue catalogue, HallOptions options)
    {
        // The default language's text was required when the campaign was drawn up; should the catalogue's
        // default have changed since, any text it has is better than none.
        var text = messages.GetValueOrDefault(language) ?? messages.GetValueOrDefault(catalogue.DefaultLanguage) ?? messages.Values.First();
        var refuse = ReplyRenderer.Render(Reply.Of("offer.refuse"), language, catalogue, options);
        var sendable = GsmLookAlikes.ForSending($"{text.Trim()} {refuse.Text}");
        var (encoding, segments) = SmsSegments.Count(sendable);
        return new RenderedReply("offer", refuse.Language, sendable, encoding, segments);
    }

    /// <summary>What is wrong with a campaign as drawn up, in the operator's words; none when it may be stored.</summary>
    public static IReadOnlyList<string> Problems(CampaignDraft draft, CommandCatalogue catalogue, HallOptions options)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(draft.Name)) problems.Add("Give the campaign a name.");
        else if (draft.Name.Length > MaxNameLength) problems.Add($"The name is longer than {MaxNameLength} characters.");
        if (draft.RatePerMinute is < MinRate or > MaxRate) problems.Add($"The send rate must be {MinRate} to {MaxRate} messages a minute.");
        foreach (var language in draft.Messages.Keys.Where(l => !catalogue.Languages.Contains(l)))
            problems.Add($"The catalogue has no language {language}.");
        foreach (var language in draft.Messages.Where(m => string.IsNullOrWhiteSpace(m.Value) && m.Key != catalogue.DefaultLanguage).Select(m => m.Key))
            problems.Add($"The offer in {language} is empty: leave the language out to send the default text.");
        if (!draft.Messages.TryGetValue(catalogue.DefaultLanguage, out var fallback) || string.IsNullOrWhiteSpace(fallback))
        {
            problems.Add($"Write the offer in {catalogue.DefaultLanguage}, the catalogue's default language: subscribers of a language without a text of its own get that one.");
            return problems;
        }
        // Every language's subscribers get some text with their own refusal line: each must fit.
        foreach (var language in catalogue.Languages)
        {
            var offer = Render(draft.Messages, language, catalogue, options);
            if (offer.Segments > catalogue.SegmentBudget)
                problems.Add($"The offer for {language} subscribers needs {offer.Segments} SMS segments with its refusal line; the budget is {catalogue.SegmentBudget}.");
        }
        return problems;
    }
}
