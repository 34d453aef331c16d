using System.Text;
using SmsHall.Core.Catalogue;

namespace SmsHall.Core.Replies;

/// <summary>Fills a reply's template in the subscriber's language and counts its SMS segments.</summary>
public static class ReplyRenderer
{
    public static RenderedReply Render(Reply reply, string language, CommandCatalogue catalogue, HallOptions options)
    {
        var template = catalogue.FindTemplate(reply.Key, language);
        var text = new StringBuilder();
        foreach (var part in template.Parts)
        {
            text.Append(part switch
            {
                Template.Part.Literal l => l.Text,
                Template.Part.Placeholder p => reply.Values.TryGetValue(p.Name, out var value)
                    ? Format.Value(value, options)
                    : throw new InvalidOperationException($"Reply '{reply.Key}' was given no value for {{{p.Name}}}."),
                _ => "",
            });
        }
        var rendered = text.ToString();
        var (encoding, segments) = SmsSegments.Count(rendered);
        return new RenderedReply(reply.Key, template.Language, rendered, encoding, segments);
    }
}
