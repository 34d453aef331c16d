using SmsHall.Core.Grammar;
using SmsHall.Core.Replies;
using SmsHall.Core.Text;

namespace SmsHall.Core.Catalogue;

/// <summary>A keyword as the grammar finds it: which command, in which language, and whether it was an alias.</summary>
public sealed record KeywordEntry(string Phrase, string Command, string Language, MatchKind Match, int Line);

/// <summary>
/// The compiled, immutable form of commands.md: keyword lookups for the grammar, usage lines for
/// HELP, and reply templates per language. Built once per load; never changed afterwards.
/// </summary>
public sealed class CommandCatalogue
{
    private readonly Dictionary<string, KeywordEntry> _keywords;
    private readonly Dictionary<(string Key, string Language), Template> _templates;
    private readonly Dictionary<(string Command, string Language), string> _usages;

    private CommandCatalogue(
        string path,
        IReadOnlyList<string> languages,
        Dictionary<string, KeywordEntry> keywords,
        Dictionary<(string, string), Template> templates,
        Dictionary<(string, string), string> usages)
    {
        Path = path;
        Languages = languages;
        _keywords = keywords;
        _templates = templates;
        _usages = usages;
        LongestKeyword = keywords.Count == 0 ? 0 : keywords.Keys.Max(k => k.Count(c => c == ' ') + 1);
    }

    public string Path { get; }

    /// <summary>The languages the catalogue answers in; the first is the default.</summary>
    public IReadOnlyList<string> Languages { get; }

    public string DefaultLanguage => Languages[0];

    /// <summary>The most words any keyword phrase has ("change plan to" has three).</summary>
    public int LongestKeyword { get; }

    public IEnumerable<KeywordEntry> Keywords => _keywords.Values;

    public bool TryFindKeyword(string normalisedPhrase, out KeywordEntry entry) =>
        _keywords.TryGetValue(normalisedPhrase, out entry!);

    /// <summary>The template for a reply in a language, falling back to the default language.</summary>
    public Template FindTemplate(string key, string language) =>
        _templates.TryGetValue((key, language), out var t) ? t
        : _templates.TryGetValue((key, DefaultLanguage), out t) ? t
        : throw new KeyNotFoundException($"The catalogue has no reply '{key}'.");

    /// <summary>The HELP usage lines of every command that has one, in catalogue order.</summary>
    public IEnumerable<string> Usages(string language) =>
        Command.Names.Select(c => Usage(c, language)).OfType<string>();

    /// <summary>How HELP describes a command, falling back to the default language; null if it has no usage line.</summary>
    public string? Usage(string command, string language) =>
        _usages.TryGetValue((command, language), out var u) ? u
        : _usages.TryGetValue((command, DefaultLanguage), out u) ? u : null;

    public static CommandCatalogue Load(string path) =>
        File.Exists(path)
            ? Parse(path, File.ReadAllText(path))
            : throw new CatalogueException([new CatalogueProblem(path, 0, "file not found")]);

    /// <summary>Compiles catalogue text, or throws <see cref="CatalogueException"/> naming every error's line.</summary>
    public static CommandCatalogue Parse(string path, string text)
    {
        var (lines, problems) = CatalogueParser.Read(path, text);
        var keywords = new Dictionary<string, KeywordEntry>(StringComparer.Ordinal);
        var templates = new Dictionary<(string, string), Template>();
        var usages = new Dictionary<(string, string), string>();
        var sectionLines = new Dictionary<string, int>(StringComparer.Ordinal);
        void Error(int line, string message) => problems.Add(new CatalogueProblem(path, line, message));

        string? section = null;
        foreach (var line in lines)
        {
            switch (line)
            {
                case CatalogueLine.Section s:
                    section = s.Name;
                    if (!IsKnownSection(s.Name))
                        Error(s.Number, $"unknown section '{s.Name}'; sections are the commands ({string.Join(", ", Command.Names)}), 'unregistered' and 'error'");
                    else if (!sectionLines.TryAdd(s.Name, s.Number))
                        Error(s.Number, $"section '{s.Name}' already appears at line {sectionLines[s.Name]}");
                    break;

                case CatalogueLine.Entry e when section is not null:
                    AddEntry(section, e);
                    break;
            }
        }

        void AddEntry(string section, CatalogueLine.Entry e)
        {
            switch (e.Field)
            {
                case "keywords" or "aliases":
                    if (!Command.Names.Contains(section) || section == "unknown")
                    {
                        Error(e.Number, $"section '{section}' is not a command, so it cannot have {e.Field}");
                        return;
                    }
                    foreach (var word in e.Text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                    {
                        var phrase = TextNormaliser.Normalise(word);
                        if (phrase.Length == 0)
                        {
                            Error(e.Number, $"keyword '{word}' is only punctuation once normalised");
                            continue;
                        }
                        var match = e.Field == "keywords" ? MatchKind.Exact : MatchKind.Alias;
                        var entry = new KeywordEntry(phrase, section, e.Language, match, e.Number);
                        if (!keywords.TryAdd(phrase, entry))
                        {
                            var other = keywords[phrase];
                            Error(e.Number, other.Command == section
                                ? $"keyword '{word}' is listed twice for '{section}' (also line {other.Line})"
                                : $"keyword '{word}' is claimed by both '{other.Command}' (line {other.Line}) and '{section}'");
                        }
                    }
                    break;

                case "usage":
                    if (!usages.TryAdd((section, e.Language), e.Text))
                        Error(e.Number, $"'{section}' has a second {e.Language} usage line");
                    break;

                case "reply":
                    var key = e.Variant is null ? section : $"{section}.{e.Variant}";
                    if (!ReplyKeys.Placeholders.TryGetValue(key, out var allowed))
                    {
                        Error(e.Number, $"no handler gives a reply '{key}'");
                        return;
                    }
                    if (!Template.TryParse(e.Text, out var parts, out var error))
                    {
                        Error(e.Number, error);
                        return;
                    }
                    var template = new Template(key, e.Language, e.Text, parts, e.Number);
                    foreach (var name in template.Placeholders.Where(p => !allowed.Contains(p)).Distinct())
                    {
                        Error(e.Number, allowed.Count == 0
                            ? $"reply '{key}' has no placeholders to offer, but uses {{{name}}}"
                            : $"reply '{key}' has no placeholder {{{name}}}; it offers {string.Join(", ", allowed.Select(a => $"{{{a}}}"))}");
                    }
                    if (!templates.TryAdd((key, e.Language), template))
                        Error(e.Number, $"reply '{key}' in '{e.Language}' is defined twice (also line {templates[(key, e.Language)].Line})");
                    break;
            }
        }

        var languages = templates.Keys.Select(k => k.Item2).Distinct()
            .OrderBy(l => l == "en" ? 0 : 1).ThenBy(l => l, StringComparer.Ordinal).ToList();
        if (languages.Count == 0)
            Error(1, "the catalogue has no replies at all");
        foreach (var language in languages)
        {
            var missing = ReplyKeys.Placeholders.Keys.Where(k => !templates.ContainsKey((k, language))).ToList();
            if (missing.Count == 0) continue;
            var firstLine = templates.Values.Where(t => t.Language == language).Min(t => t.Line);
            Error(firstLine, $"language '{language}' has no template for: {string.Join(", ", missing)}");
        }

        if (problems.Count > 0) throw new CatalogueException(problems.OrderBy(p => p.Line).ToList());
        return new CommandCatalogue(path, languages, keywords, templates, usages);
    }

    private static bool IsKnownSection(string name) => Command.Names.Contains(name) || name is "unregistered" or "error";
}
