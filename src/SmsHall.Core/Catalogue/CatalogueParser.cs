using Sprache;

namespace SmsHall.Core.Catalogue;

/// <summary>One meaningful line of commands.md.</summary>
internal abstract record CatalogueLine(int Number)
{
    /// <summary><c>## name</c>: starts the section of a command or reply group.</summary>
    public sealed record Section(int Number, string Name) : CatalogueLine(Number);

    /// <summary><c>- en reply missing: text</c>: one entry of the current section.</summary>
    public sealed record Entry(int Number, string Language, string Field, string? Variant, string Text) : CatalogueLine(Number);
}

/// <summary>
/// The line grammar of commands.md. Only two kinds of line mean anything: a section heading made of
/// a lower-case command name (<c>## bill</c>) and, inside such a section, a bullet entry
/// (<c>- en keywords: BILL, INVOICE</c>). Everything else is prose for the operators, and fenced
/// code blocks are skipped, so the file can document itself.
/// </summary>
internal static class CatalogueParser
{
    private static readonly Parser<char> Blank = Parse.Chars(' ', '\t');

    // Digits may follow the first letter ("notice.data-80"): a heading of prose ("## 2026") stays prose.
    private static readonly Parser<string> Name =
        (from first in Parse.Chars("abcdefghijklmnopqrstuvwxyz")
         from rest in Parse.Chars("abcdefghijklmnopqrstuvwxyz0123456789.-_").Many().Text()
         select first + rest).Named("a lower-case name");

    private static readonly Parser<string> SectionName =
        from hashes in Parse.String("##").Then(_ => Blank.AtLeastOnce())
        from name in Name
        from topic in Blank.AtLeastOnce().Then(_ => Name).Optional() // "## answer stolen"
        from trailing in Blank.Many()
        from end in Parse.LineEnd.Or(Parse.Return<string>("").End())
        select topic.IsDefined ? $"{name} {topic.Get()}" : name;

    private static readonly Parser<string> Language =
        Parse.Lower.Repeat(2).Text().Named("a two-letter language code");

    private static readonly Parser<string> Field =
        Parse.String("keywords").Or(Parse.String("aliases")).Or(Parse.String("verbs")).Or(Parse.String("usage"))
            .Or(Parse.String("reply")).Or(Parse.String("words")).Or(Parse.String("polite")).Or(Parse.String("rule")).Text()
            .Named("keywords, aliases, verbs, usage, reply, words, polite or rule");

    private static readonly Parser<(string Language, string Field, string? Variant, string Text)> EntryLine =
        from dash in Parse.Char('-').Then(_ => Blank.AtLeastOnce())
        from language in Language.Then(l => Blank.AtLeastOnce().Return(l)).Optional()
        from field in Field
        from variant in Blank.AtLeastOnce().Then(_ => Name).Optional()
        from colon in Blank.Many().Then(_ => Parse.Char(':')).Named("':'")
        from text in Parse.AnyChar.Many().Text()
        select (language.GetOrElse(""), field, variant.GetOrDefault(), text.Trim());

    private static readonly System.Text.RegularExpressions.Regex MissingSpace =
        new(@"^-(?=\S)\s*([a-z]{2})\s+(keywords|aliases|verbs|usage|reply|words|polite)\b", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>Reads the catalogue's lines; a malformed entry is reported with its line number.</summary>
    public static (List<CatalogueLine> Lines, List<CatalogueProblem> Problems) Read(string path, string text)
    {
        var lines = new List<CatalogueLine>();
        var problems = new List<CatalogueProblem>();
        var inFence = false;
        var inSection = false;
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.TrimEnd('\r');
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }
            if (inFence) continue;

            if (line.StartsWith("#", StringComparison.Ordinal))
            {
                var section = SectionName.TryParse(line);
                inSection = section.WasSuccessful;
                if (section.WasSuccessful) lines.Add(new CatalogueLine.Section(number, section.Value));
                else if (line.StartsWith("## answer ", StringComparison.Ordinal))
                    problems.Add(new CatalogueProblem(path, number, "an answer's topic is one lower-case word after 'answer', as in '## answer roaming'"));
                continue;
            }
            if (!inSection) continue;
            if (MissingSpace.Match(line) is { Success: true } slip)
            {
                // "-en aliases: MB" looks like prose to the line grammar; an operator meant an entry.
                problems.Add(new CatalogueProblem(path, number,
                    $"an entry needs a space after its dash: write '- {slip.Groups[1].Value} {slip.Groups[2].Value}: …'"));
                continue;
            }
            if (!line.StartsWith("- ", StringComparison.Ordinal)) continue;

            var entry = EntryLine.End().TryParse(line);
            // A rule belongs to no language ("- rule waiting: cancel, stop"); everything else to one.
            if (entry.WasSuccessful && (entry.Value.Field == "rule") != (entry.Value.Language.Length == 0))
            {
                problems.Add(new CatalogueProblem(path, number, entry.Value.Field == "rule"
                    ? "a rule has no language: write '- rule <name>: <command>, <command>'"
                    : $"expected '- <language> {entry.Value.Field}: …' (a two-letter language code first)"));
            }
            else if (entry.WasSuccessful)
            {
                var (language, field, variant, value) = entry.Value;
                lines.Add(new CatalogueLine.Entry(number, language, field, variant, value));
            }
            else
            {
                problems.Add(new CatalogueProblem(path, number,
                    $"expected '- <language> <keywords|aliases|verbs|usage|reply|words|polite> [variant]: <text>' or '- rule <name>: <commands>' ({Describe(entry)})"));
            }
        }
        return (lines, problems);
    }

    private static string Describe<T>(IResult<T> result) =>
        result.Expectations.Any()
            ? $"expected {string.Join(" or ", result.Expectations)} at column {result.Remainder.Column}"
            : $"unexpected text at column {result.Remainder.Column}";
}
