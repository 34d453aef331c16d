using Sprache;

namespace SmsHall.Core.Catalogue;

/// <summary>A reply template: literal text with named <c>{placeholders}</c>, parsed once at load.</summary>
public sealed record Template(string Key, string Language, string Text, IReadOnlyList<Template.Part> Parts, int Line)
{
    public abstract record Part
    {
        public sealed record Literal(string Text) : Part;
        public sealed record Placeholder(string Name) : Part;
    }

    private static readonly Parser<Part> LiteralPart =
        Parse.CharExcept('{').AtLeastOnce().Text().Select(t => (Part)new Part.Literal(t));

    private static readonly Parser<Part> PlaceholderPart =
        from open in Parse.Char('{')
        from name in Parse.Chars("abcdefghijklmnopqrstuvwxyz_").AtLeastOnce().Text().Named("a placeholder name")
        from close in Parse.Char('}').Named("'}'")
        select (Part)new Part.Placeholder(name);

    private static readonly Parser<IEnumerable<Part>> TemplateText = LiteralPart.Or(PlaceholderPart).Many().End();

    public IEnumerable<string> Placeholders => Parts.OfType<Part.Placeholder>().Select(p => p.Name);

    /// <summary>The template with each placeholder replaced by its value.</summary>
    public string Fill(IReadOnlyDictionary<string, string> values) =>
        string.Concat(Parts.Select(part => part switch
        {
            Part.Literal l => l.Text,
            Part.Placeholder p => values.TryGetValue(p.Name, out var value)
                ? value
                : throw new InvalidOperationException($"Reply '{Key}' was given no value for {{{p.Name}}}."),
            _ => "",
        }));

    /// <summary>Parses template text, or says what is wrong with it.</summary>
    public static bool TryParse(string text, out IReadOnlyList<Part> parts, out string error)
    {
        var result = TemplateText.TryParse(text);
        parts = result.WasSuccessful ? result.Value.ToList() : [];
        error = result.WasSuccessful ? "" : $"a '{{' must open a placeholder like {{balance}} (column {result.Remainder.Column})";
        return result.WasSuccessful;
    }
}
