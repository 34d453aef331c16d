using SmsHall.Core.Catalogue;
using SmsHall.Core.Commands;
using SmsHall.Core.Text;

namespace SmsHall.Core.Grammar;

/// <summary>
/// Understands one message. It is normalised once and cut into words (<see cref="Lexicon.Tokenise"/>);
/// each word is looked up, longest phrase first, as a keyword, an alias or filler; what is left is
/// either a command's argument (a month, a plan, a language, a voucher: read by the command's own
/// definition under Commands/), a keyword with its argument glued on ("bill10"), a mistyped keyword
/// ("blance", never a real word: "will" is not BILL) — or a sign that the message is about something
/// else, which makes it <see cref="Command.Unknown"/>. Nothing is guessed that the subscriber did
/// not write: a word the grammar cannot place means "not understood". YES and NO count only as an
/// answer, STOP and START only as the whole message, greetings and thanks only alone.
/// </summary>
public static class CommandGrammar
{
    /// <summary>One word of the message, placed: a keyword (possibly mistyped), or an unplaced word.</summary>
    private sealed record Word(string Text, KeywordEntry? Keyword = null, int Distance = 0, int Tokens = 1)
    {
        /// <summary>For an unplaced word: the commands it is a near miss of ("bil": balance, bill).</summary>
        public IReadOnlyList<string> NearMisses { get; init; } = [];
    }

    /// <summary>
    /// A keyword and the words after it. <see cref="NeedsArgument"/>: a bare verb ("switch to") whose
    /// plan is not named yet. <see cref="Absorbed"/>: other commands' keywords that only name what
    /// this one acts on ("plan" in "switch to gold plan").
    /// </summary>
    private sealed record Group(Word Keyword, List<Word> Arguments)
    {
        public bool NeedsArgument { get; set; } = Keyword.Keyword!.NeedsArgument;

        public List<string> Absorbed { get; } = [];
    }

    public static Understanding Understand(string input, CommandCatalogue catalogue, KnownNames names, DateOnly today)
    {
        var normalised = TextNormaliser.Normalise(input);
        if (normalised.Length == 0)
        {
            // A lone "?" (or "??") is the universal cry for help; any other empty text is not understood.
            return input.AsSpan().IndexOfAny("?？؟") >= 0
                ? new Understanding(input, normalised, new Command.Help(), MatchKind.Exact, "?", [])
                : NotUnderstood(input, normalised, []);
        }

        var lexicon = catalogue.Lexicon;
        var tokens = lexicon.Tokenise(normalised);
        var (placed, plainFiller, textFrom) = Place(tokens, lexicon, names, today);

        // "complaint: no signal at home since monday": a keyword that takes free text, leading the
        // message, takes all the words after it, keywords or not.
        if (textFrom is { } from)
        {
            var keyword = placed[^1].Keyword!;
            var definition = CommandSet.Of(keyword.Command)!;
            var (free, _) = definition.Read(new Arguments([.. tokens.Skip(from)], names, today, keyword.Command, false, lexicon) { FreeText = true });
            if (free is not null) return new Understanding(input, normalised, free, keyword.Match, keyword.Phrase, keyword.Languages);
        }

        // Greetings and thanks are answered when they are all there is ("hi", "thanks a lot", "你好");
        // around anything else they are filler ("hi, my balance please").
        var courtesies = placed.Where(w => w.Keyword?.Kind == CommandKind.Courtesy).ToList();
        var words = placed.Where(w => w.Keyword?.Kind != CommandKind.Courtesy).ToList();
        if (words.Count == 0 && courtesies.Count > 0)
        {
            var courtesy = (courtesies.FirstOrDefault(w => w.Keyword!.Command != "greeting") ?? courtesies[0]).Keyword!;
            var (command, _) = WithArguments(courtesy.Command, [], [], courtesy.NeedsArgument, lexicon, names, today);
            return new Understanding(input, normalised, command!, courtesy.Match, courtesy.Phrase, courtesy.Languages);
        }

        var groups = new List<Group>();
        var leading = new List<Word>();
        foreach (var word in words)
        {
            if (word.Keyword is not null) groups.Add(new Group(word, []));
            else if (groups.Count == 0) leading.Add(word);
            else groups[^1].Arguments.Add(word);
        }
        if (groups.Count == 0)
            return NotUnderstood(input, normalised, words.SelectMany(w => w.NearMisses).Distinct().Take(2).ToList());
        // An argument may come first ("上个月账单", "october bill").
        groups[0].Arguments.InsertRange(0, leading);

        // "switch to gold plan", "办理GOLD套餐", "cancel my ringtone subscription", "history data": another
        // command's keyword beside a command that absorbs it (CommandDefinition.Absorbs) only names what
        // that command acts on; its words go to that command, and the keyword with them.
        foreach (var taker in groups.ToList())
        {
            if (!groups.Contains(taker)) continue;
            var absorbs = Absorbs(taker.Keyword.Keyword!);
            if (absorbs.Count == 0) continue;
            foreach (var other in groups.Where(g => g != taker && absorbs.Contains(g.Keyword.Keyword!.Command)).ToList())
            {
                taker.Absorbed.Add(other.Keyword.Keyword!.Phrase);
                taker.Arguments.AddRange(other.Arguments);
                groups.Remove(other);
                // Named beside what it acts on, a verb is no longer a bare verb ("move my plan").
                taker.NeedsArgument = false;
            }
        }
        // "yes yes", "oui oui", "嗯 好的": one answer said twice is still one answer.
        if (groups.Count > 1 && groups.All(g => g.Keyword.Keyword!.Kind == CommandKind.Answer && g.Keyword.Keyword.Command == groups[0].Keyword.Keyword!.Command && g.Arguments.Count == 0))
            groups.RemoveRange(1, groups.Count - 1);

        var named = Suggestable(groups.Select(g => g.Keyword.Keyword!));
        var commands = new List<Command>();
        var planDistance = 0;
        foreach (var group in groups)
        {
            var keyword = group.Keyword.Keyword!;
            // A word shared with a command that takes an argument means that command when what it
            // takes follows ("cancel 2", "TD RBT", "取消彩铃"); alone it keeps its other meaning.
            var (command, distance) = keyword.WithArgument is { } taker && group.Arguments.Count > 0 && group.Keyword.Distance == 0
                ? WithArguments(taker, group.Arguments, group.Absorbed, needsArgument: false, lexicon, names, today, keyword.Phrase)
                : (null, 0);
            if (command is null)
            {
                if (keyword.Kind is CommandKind.Answer or CommandKind.Subscription && !StandsAlone(group, groups.Count, tokens.Count, plainFiller))
                    return NotUnderstood(input, normalised, named);
                // "ok?", "是？", "بله؟" ask, they do not consent.
                if (keyword.Kind == CommandKind.Answer && input.AsSpan().IndexOfAny("?？؟") >= 0)
                    return NotUnderstood(input, normalised, named);
                // CANCEL opts out only as the whole message, like STOP; "cancel please" only answers NO.
                (command, distance) = keyword.OrOptOut && group.Keyword.Tokens == tokens.Count
                    ? (new Command.Cancel(OrOptOut: true), 0)
                    : WithArguments(keyword.Command, group.Arguments, group.Absorbed, group.NeedsArgument, lexicon, names, today, keyword.Phrase);
            }
            if (command is null) return NotUnderstood(input, normalised, named);
            planDistance = Math.Max(planDistance, distance);
            if (!commands.Contains(command)) commands.Add(command);
        }
        // Several requests must be different read-only ones: "bill oct bill sep" is not one reply.
        if (commands.Count > 1 && (!commands.All(c => IsReadOnly(c)) || commands.DistinctBy(c => c.Name).Count() < commands.Count))
            return NotUnderstood(input, normalised, named);

        var first = groups[0].Keyword;
        var keywordDistance = groups.Max(g => g.Keyword.Distance);
        var match = keywordDistance > 0 || planDistance > 0 ? MatchKind.Fuzzy : first.Keyword!.Match;
        var languages = groups.Select(g => g.Keyword.Keyword!).FirstOrDefault(k => k.Match == MatchKind.Exact)?.Languages ?? [];
        return new Understanding(
            input,
            normalised,
            commands.Count == 1 ? commands[0] : new Command.Several(commands),
            match,
            first.Keyword!.Phrase,
            languages,
            Math.Max(keywordDistance, planDistance));
    }

    private static bool IsReadOnly(Command command) => CommandSet.For(command).Kind is CommandKind.Reads or CommandKind.Info;

    /// <summary>
    /// The commands a message not understood may be asked about ("Did you mean BILL?"): those whose
    /// keyword it holds, but never an answer, an opt-out, a courtesy or an operator's answer, and not
    /// for a bare verb ("go to school" is no question about plans).
    /// </summary>
    private static List<string> Suggestable(IEnumerable<KeywordEntry> keywords) =>
        keywords.Where(k => k.Kind is CommandKind.Reads or CommandKind.Changes && !k.NeedsArgument && k.Suggested)
            .Select(k => k.Command).Distinct().Take(2).ToList();

    /// <summary>
    /// Sorts the words: keyword and filler phrases (longest first), then for each word left a keyword
    /// with its argument glued on, or a mistyped keyword. Filler is dropped. When the first keyword
    /// (after nothing but courtesies and politeness) takes free text, placing stops there: <c>TextFrom</c> is the
    /// token its text starts at, and that keyword is the last word placed.
    /// </summary>
    private static (List<Word> Words, int PlainFiller, int? TextFrom) Place(List<string> tokens, Lexicon lexicon, KnownNames names, DateOnly today)
    {
        var words = new List<Word>(tokens.Count);
        var plainFiller = 0;
        for (var i = 0; i < tokens.Count;)
        {
            // "1 go", "500 mb": a number and its unit are one size, even when the unit is also a word
            // of a keyword ("go" of GO TO).
            if (i + 1 < tokens.Count && tokens[i].All(char.IsAsciiDigit) && DataSizes.IsUnit(tokens[i + 1]))
            {
                words.Add(new Word(tokens[i] + tokens[i + 1]));
                i += 2;
                continue;
            }
            // "news alerts", "alertes infos": a paid extra's name of several words is a name, even
            // when a keyword is one of its words (ALERTS).
            if (ExtraNameAt(tokens, i, names) is var name and > 0)
            {
                words.AddRange(tokens.GetRange(i, name).Select(t => new Word(t)));
                i += name;
                continue;
            }
            if (KeywordAt(tokens, i, lexicon) is var (keyword, used) && keyword is not null)
            {
                words.Add(new Word(keyword.Phrase, keyword, Tokens: used));
                i += used;
                // Only as the message's first words (a greeting or "please" may come first): "i know complain
                // num only …" is chatter, "complaint: …" is a complaint.
                if (keyword.TakesText && plainFiller == 0 && words.Take(words.Count - 1).All(w => w.Keyword?.Kind == CommandKind.Courtesy))
                    return (words, plainFiller, i);
            }
            else if (FillerAt(tokens, i, lexicon) is var filler and > 0)
            {
                if (!lexicon.IsPolite(filler == 1 ? tokens[i] : string.Join(' ', tokens.GetRange(i, filler)))) plainFiller++;
                i += filler;
            }
            else
            {
                words.AddRange(Unplaced(tokens[i], lexicon, names, today));
                i++;
            }
        }
        return (words, plainFiller, null);
    }

    /// <summary>
    /// The longest keyword phrase starting at a word, and how many words it takes. Filler may sit
    /// inside a phrase ("change my plan to gold"), so a phrase is read from the words that are not filler.
    /// </summary>
    private static (KeywordEntry? Keyword, int Used) KeywordAt(List<string> tokens, int start, Lexicon lexicon)
    {
        // A phrase as written comes first ("change plan to gold" is CHANGE PLAN TO, not CHANGE PLAN).
        for (var n = Math.Min(lexicon.LongestPhrase, tokens.Count - start); n >= 2; n--)
        {
            if (lexicon.TryKeyword(string.Join(' ', tokens.GetRange(start, n)), out var written)) return (written, n);
        }
        var picked = new List<string>(lexicon.LongestPhrase);
        var ends = new List<int>(lexicon.LongestPhrase);
        for (var j = start; j < tokens.Count && picked.Count < lexicon.LongestPhrase; j++)
        {
            if (j > start && lexicon.IsFiller(tokens[j])) continue;
            picked.Add(tokens[j]);
            ends.Add(j + 1);
        }
        for (var n = picked.Count; n >= 1; n--)
        {
            var phrase = n == 1 ? picked[0] : string.Join(' ', picked.Take(n));
            if (lexicon.TryKeyword(phrase, out var keyword)) return (keyword, ends[n - 1] - start);
        }
        return (null, 0);
    }

    /// <summary>How many words the longest name of a paid extra of two words or more starting at a word takes (0: none).</summary>
    private static int ExtraNameAt(List<string> tokens, int start, KnownNames names)
    {
        for (var n = Math.Min(names.LongestExtra, tokens.Count - start); n >= 2; n--)
        {
            if (names.Extras.Contains(string.Join(' ', tokens.GetRange(start, n)))) return n;
        }
        return 0;
    }

    /// <summary>How many words the longest filler phrase starting at a word takes (0: none).</summary>
    private static int FillerAt(List<string> tokens, int start, Lexicon lexicon)
    {
        for (var n = Math.Min(lexicon.LongestPhrase, tokens.Count - start); n >= 1; n--)
        {
            if (lexicon.IsFiller(n == 1 ? tokens[start] : string.Join(' ', tokens.GetRange(start, n)))) return n;
        }
        return 0;
    }

    /// <summary>A word that is no keyword or filler as written: an argument, a glued keyword, a typo, or a stranger.</summary>
    private static IEnumerable<Word> Unplaced(string text, Lexicon lexicon, KnownNames names, DateOnly today)
    {
        if (Glued(text, lexicon, names, today) is { } glued) return glued;
        // A real word is what it says, never a slip of a keyword ("will" is not BILL, "call" not CXLL).
        if (LooksLikeAnArgument(text, names) || lexicon.IsWord(text)) return [new Word(text)];

        var allowed = AllowedSlips(text);
        var limit = Math.Max(allowed, 1);
        var best = limit + 1;
        var closest = new List<KeywordEntry>();
        if (text.Length >= 3)
        {
            foreach (var target in lexicon.TypoTargets)
            {
                if (target.Phrase.Length < 3) continue;
                var d = EditDistance.Between(text, target.Phrase, limit);
                if (d < best)
                {
                    best = d;
                    closest.Clear();
                }
                if (d == best && d <= limit) closest.Add(target);
            }
        }
        var commands = closest.Select(k => k.Command).Distinct().ToList();
        if (best <= allowed && commands.Count == 1)
        {
            var target = closest.OrderBy(k => k.Match).First();
            return [new Word(target.Phrase, target, best)];
        }
        return [new Word(text) { NearMisses = [.. closest.Where(k => k.Kind is CommandKind.Reads or CommandKind.Changes && k.Suggested).Select(k => k.Command).Distinct().Take(2)] }];
    }

    /// <summary>
    /// The commands whose keywords come closest to any word of a message, nearest first, however far:
    /// what <c>smshall log unmatched</c> shows operators next to messages that were not understood.
    /// </summary>
    public static IReadOnlyList<string> Closest(string normalised, CommandCatalogue catalogue, int count)
    {
        const int Far = 3;
        var lexicon = catalogue.Lexicon;
        var best = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var token in lexicon.Tokenise(normalised))
        {
            foreach (var keyword in lexicon.Keywords)
            {
                var d = keyword.Phrase.Contains(token, StringComparison.Ordinal) && token.Any(TextNormaliser.IsHan)
                    ? keyword.Phrase.Length - token.Length
                    : EditDistance.Between(token, keyword.Phrase, Far);
                if (d <= Far && (!best.TryGetValue(keyword.Command, out var seen) || d < seen)) best[keyword.Command] = d;
            }
        }
        return best.OrderBy(b => b.Value).ThenBy(b => catalogue.Rank(b.Key)).Take(count).Select(b => b.Key).ToList();
    }

    /// <summary>How many slips a word of this length may have and still be taken for a keyword.</summary>
    public static int AllowedSlips(string word) => word.Length switch
    {
        <= 3 => 0,
        <= 6 => 1,
        _ => 2,
    };

    private static bool LooksLikeAnArgument(string text, KnownNames names) =>
        text.Any(char.IsAsciiDigit) || MonthGrammar.IsMonthWord(text) || LanguageNames.IsLanguageName(text) || DataSizes.IsSizeWord(text)
        || names.Plans.Contains(text, StringComparer.OrdinalIgnoreCase) || names.Names(text);

    /// <summary>"bill10", "plangold": a keyword that takes an argument, written together with a valid one.</summary>
    private static IEnumerable<Word>? Glued(string text, Lexicon lexicon, KnownNames names, DateOnly today)
    {
        for (var split = Math.Min(text.Length - 1, lexicon.LongestWord); split >= 2; split--)
        {
            if (!lexicon.TryKeyword(text[..split], out var keyword) || keyword.Kind is not (CommandKind.Reads or CommandKind.Changes)) continue;
            var rest = new Word(text[split..]);
            var (command, _) = WithArguments(keyword.Command, [rest], [], keyword.NeedsArgument, lexicon, names, today, keyword.Phrase);
            // Only a real argument counts: "planet" is not PLAN ET, nor "plant" PLAN T.
            var real = command switch
            {
                Command.PlanChange change => change.PlanCode is not null && names.Plans.Contains(change.PlanCode),
                Command.Plan => false,
                null => false,
                _ => command.Args.Values.Any(v => v is not null),
            };
            if (real) return [new Word(keyword.Phrase, keyword), rest];
        }
        return null;
    }

    /// <summary>
    /// Whether an answer (YES, NO) or an opt-out (STOP, START) stands alone. STOP and START count only
    /// as the whole message ("stop by the shop" is no opt-out). YES and NO count only as an answer:
    /// alone or with politeness, greetings or thanks ("yes please", "ok thanks", "好的"), never inside
    /// a sentence ("are you ok?", "no what", "你是？").
    /// </summary>
    private static bool StandsAlone(Group group, int groups, int tokens, int plainFiller) =>
        groups == 1 && group.Arguments.Count == 0 && group.Absorbed.Count == 0 && group.Keyword.Distance == 0
        && (group.Keyword.Keyword!.Kind == CommandKind.Subscription ? group.Keyword.Tokens == tokens : plainFiller == 0);

    private static Understanding NotUnderstood(string input, string normalised, IReadOnlyList<string> suggestions) =>
        new(input, normalised, new Command.Unknown(suggestions), MatchKind.None, null, []);

    /// <summary>The command a keyword and its words mean (its definition reads them), or null if they do not read.</summary>
    private static (Command? Command, int Distance) WithArguments(
        string section, List<Word> arguments, IReadOnlyList<string> absorbed, bool needsArgument, Lexicon lexicon, KnownNames names, DateOnly today,
        string keyword = "")
    {
        var definition = CommandSet.Of(section);
        if (definition is null) return (null, 0);
        return definition.Read(new Arguments([.. arguments.Select(a => a.Text)], names, today, section, needsArgument, lexicon) { Absorbed = absorbed, Keyword = keyword });
    }

    /// <summary>The commands whose keywords a keyword absorbs: its command's, and the one it means with an argument.</summary>
    private static IReadOnlyCollection<string> Absorbs(KeywordEntry keyword) =>
        keyword.WithArgument is { } taker
            ? [.. CommandSet.Of(keyword.Command)?.Absorbs ?? [], .. CommandSet.Of(taker)?.Absorbs ?? []]
            : CommandSet.Of(keyword.Command)?.Absorbs ?? [];
}
