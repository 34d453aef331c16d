using SmsHall.Core.Catalogue;

namespace SmsHall.Core.Replies;

/// <summary>
/// Fills a reply's template in the subscriber's language, keeps it in GSM-7 where look-alikes allow,
/// and counts its SMS segments.
/// </summary>
public static class ReplyRenderer
{
    public static RenderedReply Render(Reply reply, string language, CommandCatalogue catalogue, HallOptions options)
    {
        var template = catalogue.FindTemplate(reply.Key, language);
        var values = reply.Values.ToDictionary(v => v.Key, v => Clip(v.Key, ValueOf(v.Value, language, catalogue, options)), StringComparer.Ordinal);
        return Finish(reply.Key, template.Language, template.Fill(values));
    }

    // A reply inside a reply (an offer named in a reminder, "Text MORE for the other 4") is written
    // in the same language as the reply around it.
    private static string ValueOf(object value, string language, CommandCatalogue catalogue, HallOptions options) => value switch
    {
        Reply inner => Render(inner, language, catalogue, options).Text,
        _ => Format.Value(value, options),
    };

    /// <summary>
    /// Several answers in one reply, one a line, as many as fit the segment budget; the rest are
    /// named in a closing note ("Text BILL for the rest.").
    /// </summary>
    public static RenderedReply Combine(
        IReadOnlyList<(string Command, RenderedReply Reply)> answers, string language, CommandCatalogue catalogue, HallOptions options)
    {
        var key = string.Join('+', answers.Select(a => a.Reply.Key));
        var all = Finish(key, language, string.Join('\n', answers.Select(a => a.Reply.Text)));
        if (all.Segments <= catalogue.SegmentBudget) return all;

        for (var fit = answers.Count - 1; fit >= 1; fit--)
        {
            var rest = string.Join(", ", answers.Skip(fit).Select(a => catalogue.Suggestion(a.Command, language)));
            var more = Render(Reply.Of("several.more", ("commands", rest)), language, catalogue, options);
            var some = Finish(key, language, string.Join('\n', answers.Take(fit).Select(a => a.Reply.Text).Append(more.Text)));
            if (some.Segments <= catalogue.SegmentBudget || fit == 1) return some;
        }
        return all;
    }

    private static RenderedReply Finish(string key, string language, string text)
    {
        var sendable = GsmLookAlikes.ForSending(text);
        var (encoding, segments) = SmsSegments.Count(sendable);
        return new RenderedReply(key, language, sendable, encoding, segments);
    }

    // A value longer than its placeholder's width is cut, so no reply outgrows what the catalogue check promised.
    private static string Clip(string placeholder, string value)
    {
        if (!ReplyKeys.Widths.TryGetValue(placeholder, out var width) || value.Length <= width || ReplyKeys.Fitted.Contains(placeholder)) return value;
        var keep = Math.Max(width - 3, 0);
        if (keep > 0 && char.IsHighSurrogate(value[keep - 1])) keep--; // never half a character
        return value[..keep] + "...";
    }
}
