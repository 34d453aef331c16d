using SmsHall.Core.Commands;
using SmsHall.Core.Commands.Answer;
using SmsHall.Core.Grammar;
using SmsHall.Core.Replies;
using SmsHall.Core.Text;

namespace SmsHall.Core.Catalogue;

/// <summary>
/// The compiled, immutable form of commands.md: the grammar's lexicon, usage lines for HELP, and
/// reply templates per language. Built once per load; a reload builds a new one.
/// </summary>
public sealed class CommandCatalogue
{
    /// <summary>The SMS segments a single reply may need at most, unless configured otherwise.</summary>
    public const int DefaultSegmentBudget = 3;

    private readonly Dictionary<(string Key, string Language), Template> _templates;
    private readonly Dictionary<(string Command, string Language), string> _usages;
    private readonly Dictionary<(string Command, string Language), string> _firstKeywords;
    private readonly IReadOnlyList<string> _sections;

    private CommandCatalogue(
        string path,
        int segmentBudget,
        IReadOnlyList<string> languages,
        Lexicon lexicon,
        Dictionary<(string, string), Template> templates,
        Dictionary<(string, string), string> usages,
        Dictionary<(string, string), string> firstKeywords,
        IReadOnlyList<string> sections,
        IReadOnlyList<CatalogueProblem> warnings)
    {
        Path = path;
        SegmentBudget = segmentBudget;
        Languages = languages;
        Lexicon = lexicon;
        _templates = templates;
        _usages = usages;
        _firstKeywords = firstKeywords;
        _sections = sections;
        Warnings = warnings;
    }

    public string Path { get; }

    /// <summary>The SMS segments one reply may need at most; several answers in one reply share it.</summary>
    public int SegmentBudget { get; }

    /// <summary>The languages the catalogue answers in; the first is the default.</summary>
    public IReadOnlyList<string> Languages { get; }

    public string DefaultLanguage => Languages[0];

    public Lexicon Lexicon { get; }

    /// <summary>What the catalogue check found that does not stop the catalogue from working.</summary>
    public IReadOnlyList<CatalogueProblem> Warnings { get; }

    /// <summary>The template for a reply in a language, falling back to the default language.</summary>
    public Template FindTemplate(string key, string language) =>
        _templates.TryGetValue((key, language), out var t) ? t
        : _templates.TryGetValue((key, DefaultLanguage), out t) ? t
        : throw new KeyNotFoundException($"The catalogue has no reply '{key}'.");

    /// <summary>The HELP usage lines of every command that has one, in catalogue order.</summary>
    public IEnumerable<string> Usages(string language) =>
        _sections.Select(c => Usage(c, language)).OfType<string>();

    /// <summary>Where a command's section stands in the file (HELP order), for ordering suggestions.</summary>
    public int Rank(string command)
    {
        var rank = 0;
        foreach (var section in _sections)
        {
            if (section == command) return rank;
            rank++;
        }
        return rank;
    }

    /// <summary>How HELP describes a command, falling back to the default language; null if it has no usage line.</summary>
    public string? Usage(string command, string language) =>
        _usages.TryGetValue((command, language), out var u) ? u
        : _usages.TryGetValue((command, DefaultLanguage), out u) ? u : null;

    /// <summary>
    /// The word to suggest for a command ("Did you mean BAL or BILL?"): the first word of its usage
    /// line, else its first keyword, in the language asked for or the default one.
    /// </summary>
    public string Suggestion(string command, string language) =>
        Usage(command, language)?.Split(' ')[0]
        ?? (_firstKeywords.TryGetValue((command, language), out var k) ? k
            : _firstKeywords.TryGetValue((command, DefaultLanguage), out k) ? k : command.ToUpperInvariant());

    /// <summary>Reads and compiles a catalogue file, or throws <see cref="CatalogueException"/> naming every error's line.</summary>
    public static CommandCatalogue Load(string path, int segmentBudget = DefaultSegmentBudget, int maxBytes = CatalogueFile.DefaultMaxBytes)
    {
        var (text, problem) = CatalogueFile.Read(path, maxBytes);
        return text is null ? throw new CatalogueException([problem!]) : Parse(path, text, segmentBudget);
    }

    /// <summary>Compiles catalogue text, or throws <see cref="CatalogueException"/> naming every error's line.</summary>
    public static CommandCatalogue Parse(string path, string text, int segmentBudget = DefaultSegmentBudget)
    {
        var (catalogue, problems) = Check(path, text, segmentBudget);
        return catalogue ?? throw new CatalogueException(problems.Where(p => p.Severity == Severity.Error).ToList());
    }

    /// <summary>Compiles catalogue text and reports every problem, errors and warnings, in line order.</summary>
    public static (CommandCatalogue? Catalogue, IReadOnlyList<CatalogueProblem> Problems) Check(
        string path, string text, int segmentBudget = DefaultSegmentBudget)
    {
        var (lines, problems) = CatalogueParser.Read(path, text);
        var compiler = new Compiler(path, segmentBudget, problems);
        var catalogue = compiler.Compile(lines);
        return (catalogue, problems.OrderBy(p => p.Line).ThenBy(p => p.Severity).ToList());
    }

    /// <summary>The sections that are not commands: replies the gateway gives of its own accord, and filler.</summary>
    public static readonly IReadOnlyList<string> OtherSections = [.. ReplyKeys.NoticeSections, "filler", SharedSection];

    /// <summary>The section of the rules that let two commands share a word (<see cref="SharedRules"/>).</summary>
    public const string SharedSection = "shared";

    /// <summary>Every section a catalogue may have, as the check lists them; <c>answer &lt;topic&gt;</c> stands for any topic.</summary>
    public static IEnumerable<string> KnownSections =>
        CommandSet.All.Select(d => d is AnswerCommand ? AnswerCommand.Prefix + "<topic>" : d.Name).Concat(OtherSections);

    private static bool IsKnownSection(string name) => CommandSet.Of(name) is not null || OtherSections.Contains(name);

    /// <summary>Turns the catalogue's lines into lookups, checking each as it goes.</summary>
    private sealed class Compiler(string path, int segmentBudget, List<CatalogueProblem> problems)
    {
        private readonly Dictionary<string, (KeywordEntry Entry, string Written)> _keywords = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<Claim>> _claims = new(StringComparer.Ordinal);
        private readonly Dictionary<(string, string), (string Rule, int Line)> _rules = [];

        private readonly Dictionary<string, int> _filler = new(StringComparer.Ordinal);
        private readonly List<(string Phrase, string Language)> _fillerLanguages = [];
        private readonly Dictionary<(string, string), Template> _templates = [];
        private readonly Dictionary<(string, string), string> _usages = [];
        private readonly Dictionary<string, int> _firstUsageLines = new(StringComparer.Ordinal);
        private readonly Dictionary<(string, string), string> _firstKeywords = [];
        private readonly Dictionary<string, int> _sectionLines = new(StringComparer.Ordinal);
        private readonly HashSet<string> _polite = new(StringComparer.Ordinal);

        private void Error(int line, string message) => problems.Add(new CatalogueProblem(path, line, message));

        private void Warning(int line, string message) => problems.Add(new CatalogueProblem(path, line, message, Severity.Warning));

        public CommandCatalogue? Compile(List<CatalogueLine> lines)
        {
            ReadRules(lines);
            string? section = null;
            foreach (var line in lines)
            {
                switch (line)
                {
                    case CatalogueLine.Section s:
                        section = s.Name;
                        if (!IsKnownSection(s.Name))
                        {
                            // One error for a misspelt heading, not one more for every line under it.
                            Error(s.Number, $"unknown section '{s.Name}'{ClosestSection(s.Name)}; sections are "
                                + string.Join(", ", KnownSections.Select(n => $"'{n}'")));
                            section = null;
                        }
                        else if (!_sectionLines.TryAdd(s.Name, s.Number))
                        {
                            Error(s.Number, $"section '{s.Name}' already appears at line {_sectionLines[s.Name]}");
                        }
                        break;

                    case CatalogueLine.Entry e when section is not null:
                        Add(section, e);
                        break;
                }
            }

            var languages = _templates.Keys.Select(k => k.Item2).Distinct()
                .OrderBy(l => l == "en" ? 0 : 1).ThenBy(l => l, StringComparer.Ordinal).ToList();
            if (languages.Count == 0) Error(1, "the catalogue has no replies at all");
            ResolveKeywords();
            CheckFiller();
            CheckTypoNeighbours();
            CheckCompleteness(languages);
            if (problems.Any(p => p.Severity == Severity.Error)) return null;

            // Every warning is known by now; the length check below can only add errors.
            var warnings = problems.Where(p => p.Severity == Severity.Warning).OrderBy(p => p.Line).ToList();
            var lexicon = new Lexicon(_keywords.Values.Select(k => k.Entry), _filler.Keys, _fillerLanguages, _polite, WordLists.For(languages));
            var sections = _sectionLines.OrderBy(s => s.Value).Select(s => s.Key).ToList();
            var catalogue = new CommandCatalogue(path, segmentBudget, languages, lexicon, _templates, _usages, _firstKeywords, sections, warnings);
            CheckLengths(catalogue);
            return problems.Any(p => p.Severity == Severity.Error) ? null : catalogue;
        }

        private static string ClosestSection(string name)
        {
            var closest = KnownSections
                .Select(known => (Known: known, Distance: EditDistance.Between(name, known, 2)))
                .Where(x => x.Distance <= 2).OrderBy(x => x.Distance).FirstOrDefault();
            return closest.Known is null ? "" : $" (did you mean '{closest.Known}'?)";
        }

        private void Add(string section, CatalogueLine.Entry e)
        {
            if ((section == SharedSection) != (e.Field == "rule"))
            {
                Error(e.Number, section == SharedSection
                    ? $"the shared section holds only '- rule <name>: <command>, <command>' lines, not {e.Field}"
                    : "'rule' lines belong in the shared section");
                return;
            }
            if (e.Field == "rule") return; // read before everything else (ReadRules)
            if ((section == "filler") != (e.Field is "words" or "polite"))
            {
                Error(e.Number, section == "filler"
                    ? $"the filler section holds only '- <language> words:' and '- <language> polite:' lines, not {e.Field}"
                    : $"'{e.Field}' lines belong in the filler section");
                return;
            }
            switch (e.Field)
            {
                case "words" or "polite":
                    foreach (var (word, phrase) in Phrases(e))
                    {
                        _filler.TryAdd(phrase, e.Number);
                        _fillerLanguages.Add((phrase, e.Language));
                        if (e.Field == "polite") _polite.Add(phrase);
                    }
                    break;

                case "keywords" or "aliases" or "verbs":
                    if (CommandSet.KindOf(section) == CommandKind.NoKeywords)
                    {
                        Error(e.Number, $"section '{section}' is not a command anyone can ask for, so it cannot have {e.Field}");
                        return;
                    }
                    foreach (var (word, phrase) in Phrases(e))
                        AddKeyword(section, e, word, phrase);
                    break;

                case "usage":
                    if (!_usages.TryAdd((section, e.Language), e.Text))
                        Error(e.Number, $"'{section}' has a second {e.Language} usage line");
                    _firstUsageLines.TryAdd(section, e.Number);
                    break;

                case "reply":
                    AddReply(section, e);
                    break;
            }
        }

        private IEnumerable<(string Word, string Phrase)> Phrases(CatalogueLine.Entry e)
        {
            foreach (var word in e.Text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var phrase = Lexicon.SpacedByScript(TextNormaliser.Normalise(word));
                if (phrase.Length == 0) Error(e.Number, $"'{word}' is only punctuation once normalised");
                else yield return (word, phrase);
            }
        }

        /// <summary>One section's claim on a keyword phrase; several commands may claim one only by a shared rule.</summary>
        private sealed record Claim(string Command, MatchKind Match, string Language, int Line, string Word, bool Verb);

        private void AddKeyword(string command, CatalogueLine.Entry e, string word, string phrase)
        {
            var match = e.Field == "aliases" ? MatchKind.Alias : MatchKind.Exact;
            if (e.Field == "keywords") _firstKeywords.TryAdd((command, e.Language), word);
            if (!_claims.TryGetValue(phrase, out var claims)) _claims[phrase] = claims = [];
            claims.Add(new Claim(command, match, e.Language, e.Number, word, e.Field == "verbs"));
        }

        /// <summary>
        /// The rules of the shared section, read first so that keywords anywhere in the file can lean on
        /// them: <c>- rule &lt;name&gt;: a, b</c>, where the name is one of <see cref="SharedRules.All"/>.
        /// </summary>
        private void ReadRules(List<CatalogueLine> lines)
        {
            string? section = null;
            foreach (var line in lines)
            {
                if (line is CatalogueLine.Section s) section = s.Name;
                if (line is not CatalogueLine.Entry { Field: "rule" } e || section != SharedSection) continue;
                var commands = e.Text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                if (e.Variant is not { } rule || !SharedRules.All.ContainsKey(rule))
                    Error(e.Number, $"a rule has a name, one of {string.Join(", ", SharedRules.All.Keys.Select(r => $"'{r}'"))}, as in '- rule {SharedRules.Waiting}: cancel, stop'");
                else if (commands.Length != 2 || commands[0] == commands[1])
                    Error(e.Number, $"rule '{rule}' names two commands, as in '- rule {rule}: cancel, stop'");
                else if (commands.FirstOrDefault(c => CommandSet.KindOf(c) == CommandKind.NoKeywords) is { } unknown)
                    Error(e.Number, $"rule '{rule}': '{unknown}' is not a command anyone can ask for");
                else if (SharedRules.Problem(rule, commands[0], commands[1]) is { } problem)
                    Error(e.Number, $"rule '{rule}': {problem}");
                else if (AnyRule(commands[0], commands[1]) is not null)
                    Error(e.Number, $"'{commands[0]}' and '{commands[1]}' already have a rule");
                else
                    _rules[(commands[0], commands[1])] = (rule, e.Number);
            }
        }

        /// <summary>The rule declared for two commands in this order, or null.</summary>
        private string? Declared(string a, string b) => _rules.TryGetValue((a, b), out var rule) ? rule.Rule : null;

        private string? AnyRule(string a, string b) => Declared(a, b) ?? Declared(b, a);

        /// <summary>
        /// Turns each phrase's claims into one keyword: the same command's in several languages merge;
        /// several commands' only when every two of them have a rule in the shared section, which then
        /// decides what the word means (see <see cref="SharedRules"/>). Anything else is reported at both lines.
        /// </summary>
        private void ResolveKeywords()
        {
            foreach (var (phrase, claims) in _claims)
            {
                var first = claims[0];
                var languages = new List<string>();
                var owners = new List<Claim>(); // each command's first claim, in file order
                var ok = true;
                foreach (var c in claims)
                {
                    var mine = owners.FirstOrDefault(o => o.Command == c.Command);
                    if (mine is null)
                    {
                        foreach (var other in owners.Where(o => AnyRule(o.Command, c.Command) is null || o.Match != c.Match))
                        {
                            var same = Same(c.Word, other.Word);
                            // At both lines: the one just edited may be either.
                            Error(c.Line, $"'{c.Word}' is claimed by both '{other.Command}' (line {other.Line}) and '{c.Command}'{same}{Unruled}");
                            Error(other.Line, $"'{other.Word}' is claimed by both '{other.Command}' and '{c.Command}' (line {c.Line}){same}{Unruled}");
                            ok = false;
                        }
                        owners.Add(c);
                    }
                    else if (c.Match != MatchKind.Exact || mine.Match != MatchKind.Exact
                        || claims.TakeWhile(x => x != c).Any(x => x.Command == c.Command && x.Language == c.Language))
                    {
                        // The same word in another language of the same command is fine ("OK" in English and French).
                        Error(c.Line, $"'{c.Word}' is listed twice for '{c.Command}' (also line {mine.Line}){Same(c.Word, mine.Word)}");
                        ok = false;
                    }
                    if (c.Match == MatchKind.Exact && !languages.Contains(c.Language)) languages.Add(c.Language);
                }
                if (!ok) continue;

                // What the word means alone: the command that is not another's argument-taker; with a
                // waiting rule between two such, the answer, which opts out when nothing waits (CANCEL).
                var takers = owners.Where(o => owners.Any(b => Declared(b.Command, o.Command) == SharedRules.Argument)).ToList();
                if (takers.Count > 1)
                {
                    Error(first.Line, $"'{first.Word}' may mean only one command when something follows it, not {string.Join(" and ", takers.Select(t => $"'{t.Command}'"))}");
                    continue;
                }
                var bases = owners.Except(takers).ToList();
                var waiting = bases.Count > 1;
                var owner = waiting ? bases.First(b => CommandSet.KindOf(b.Command) == CommandKind.Answer) : bases[0];
                var entry = new KeywordEntry(phrase, owner.Command, first.Match == MatchKind.Exact ? languages : [], first.Match, first.Line, OrOptOut: waiting)
                {
                    Kind = CommandSet.KindOf(owner.Command),
                    NeedsArgument = owner.Verb,
                    WithArgument = takers.FirstOrDefault()?.Command,
                    Suggested = CommandSet.Of(owner.Command)?.Suggested ?? true,
                    TakesText = CommandSet.Of(owner.Command)?.TakesText ?? false,
                    AsWritten = CommandSet.Of(owner.Command)?.PhrasesAsWritten ?? false,
                };
                _keywords[phrase] = (entry, first.Word);
            }
        }

        private static string Same(string word, string other) =>
            word == other ? "" : $" ('{word}' and '{other}' are the same once case, accents and punctuation are ignored)";

        private const string Unruled = "; two commands share a word only with a rule for them in the shared section";

        private void AddReply(string section, CatalogueLine.Entry e)
        {
            var key = e.Variant is null ? section : $"{section}.{e.Variant}";
            if (ReplyKeys.PlaceholdersOf(key) is not { } allowed)
            {
                Error(e.Number, $"no handler gives a reply '{key}'");
                return;
            }
            if (e.Text.IndexOfAny(['｛', '｝']) >= 0)
            {
                var ascii = e.Text.Replace('｛', '{').Replace('｝', '}');
                var example = System.Text.RegularExpressions.Regex.Match(ascii, @"\{[^{}]*\}").Value;
                Error(e.Number, $"full-width braces ｛ ｝ reach subscribers as they are: write placeholders with ASCII braces{(example.Length > 0 ? $", as {example}" : "")}");
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
            if (!_templates.TryAdd((key, e.Language), template))
                Error(e.Number, $"reply '{key}' in '{e.Language}' is defined twice (also line {_templates[(key, e.Language)].Line})");
        }

        private void CheckFiller()
        {
            foreach (var (phrase, line) in _filler)
            {
                if (_keywords.TryGetValue(phrase, out var k))
                    Error(line, $"filler '{phrase}' is also a keyword of '{k.Entry.Command}' (line {k.Entry.Line}); a word cannot be both");
            }
        }

        // Two commands' keywords within the typing slips the grammar forgives: a subscriber aiming at
        // one can land on the other. The gateway then often asks which was meant instead of
        // answering, which works but costs a message, so the operator hears about it.
        private void CheckTypoNeighbours()
        {
            var words = _keywords.Values.Select(k => k.Entry)
                .Where(k => k.Phrase.Length >= 4 && !k.Phrase.Contains(' ') && !k.Phrase.Any(TextNormaliser.IsHan)).ToList();
            for (var i = 0; i < words.Count; i++)
            {
                for (var j = i + 1; j < words.Count; j++)
                {
                    var (a, b) = words[i].Line <= words[j].Line ? (words[i], words[j]) : (words[j], words[i]);
                    if (a.Command == b.Command) continue;
                    var reach = CommandGrammar.AllowedSlips(a.Phrase.Length <= b.Phrase.Length ? a.Phrase : b.Phrase);
                    var distance = EditDistance.Between(a.Phrase, b.Phrase, reach);
                    if (distance > reach) continue;
                    Warning(b.Line, $"'{b.Phrase}' ({b.Command}) is {distance} typing slip{(distance == 1 ? "" : "s")} from '{a.Phrase}' ({a.Command}, line {a.Line}): a typo may not tell them apart");
                }
            }
        }

        private void CheckCompleteness(List<string> languages)
        {
            foreach (var key in ReplyKeys.Placeholders.Keys.Concat(_sectionLines.Keys.Where(AnswerCommand.IsTopic)))
            {
                // Point at the key's template in another language, so the operator sees what to translate.
                var written = _templates.Values.Where(t => t.Key == key).MinBy(t => t.Line);
                if (written is null)
                {
                    Error(_sectionLines.GetValueOrDefault(key.Split('.')[0], 1), $"reply '{key}' is missing in every language");
                    continue;
                }
                foreach (var language in languages.Where(l => !_templates.ContainsKey((key, l))))
                    Error(written.Line, $"reply '{key}' has no '{language}' version");
            }
            foreach (var command in _usages.Keys.Select(k => k.Item1).Distinct())
            {
                foreach (var language in languages.Where(l => !_usages.ContainsKey((command, l))))
                    Warning(_firstUsageLines[command], $"'{command}' has no {language} usage line, so HELP in {language} shows this one");
            }
        }

        // Every reply at its longest must fit the segment budget; HELP must fit one SMS (two when
        // the language needs UCS-2), because it is the answer to every confused subscriber.
        private void CheckLengths(CommandCatalogue catalogue)
        {
            foreach (var template in _templates.Values.OrderBy(t => t.Line))
            {
                var longest = Longest(template, catalogue);
                var (encoding, segments) = SmsSegments.Count(longest);
                if (template.Key == "help")
                {
                    var limit = encoding == SmsEncoding.Gsm7 ? 1 : 2;
                    if (segments > limit)
                        Error(template.Line, $"HELP in '{template.Language}' is {longest.Length} characters ({encoding}), {segments} SMS; it must fit in {limit}: shorten it or the usage lines");
                }
                else if (segments > segmentBudget)
                {
                    Error(template.Line, $"reply '{template.Key}' in '{template.Language}' can be {longest.Length} characters ({encoding}), {segments} SMS, over the budget of {segmentBudget}");
                }
            }
        }

        private static string Longest(Template template, CommandCatalogue catalogue)
        {
            var values = template.Placeholders.Distinct().ToDictionary(
                p => p,
                p => p == "commands" && template.Key != "several.more"
                    ? string.Join(", ", catalogue.Usages(template.Language))
                    : new string('x', ReplyKeys.Widths.GetValueOrDefault(p, 20)));
            return GsmLookAlikes.ForSending(template.Fill(values));
        }
    }
}
