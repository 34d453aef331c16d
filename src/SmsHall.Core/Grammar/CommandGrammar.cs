using SmsHall.Core.Catalogue;
using SmsHall.Core.Text;
using Sprache;

namespace SmsHall.Core.Grammar;

/// <summary>
/// Understands one message. It is normalised once and cut into words (<see cref="Lexicon.Tokenise"/>);
/// each word is looked up, longest phrase first, as a keyword, an alias or filler; what is left is
/// either a command's argument (a month, a plan, a language, a voucher, read with Sprache), a keyword
/// with its argument glued on ("bill10"), a mistyped keyword ("blance") — or a sign that the
/// message is about something else, which makes it <see cref="Command.Unknown"/>. Nothing is guessed
/// that the subscriber did not write: a word the grammar cannot place means "not understood".
/// </summary>
public static class CommandGrammar
{
    /// <summary>A voucher code, written in one piece or in groups: "1234-5678-9012", "1234 5678 9012".</summary>
    private static readonly Parser<string> Voucher =
        Parse.LetterOrDigit.Or(Parse.Chars('-', ' ')).AtLeastOnce().Text()
            .Select(v => new string(v.Where(char.IsLetterOrDigit).ToArray()).ToUpperInvariant())
            .Where(v => v.Length is >= 4 and <= 32 && v.Any(char.IsAsciiDigit)).End();

    /// <summary>Plan codes are echoed in replies, so a word longer than this is not taken for one.</summary>
    private const int LongestPlanName = 20;

    /// <summary>One word of the message, placed: a keyword (possibly mistyped), or an unplaced word.</summary>
    private sealed record Word(string Text, KeywordEntry? Keyword = null, int Distance = 0, int Tokens = 1)
    {
        /// <summary>For an unplaced word: the commands it is a near miss of ("bil": balance, bill).</summary>
        public IReadOnlyList<string> NearMisses { get; init; } = [];
    }

    private sealed record Group(Word Keyword, List<Word> Arguments);

    public static Understanding Understand(string input, CommandCatalogue catalogue, IReadOnlyCollection<string> plans, DateOnly today)
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
        var words = Place(tokens, lexicon, plans, today);

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

        // "switch to gold plan", "upgrade my plan to silver", "办理GOLD套餐": a plan word around a plan
        // change only names what is changed, and the plan named goes to the change.
        if (groups.FirstOrDefault(g => g.Keyword.Keyword!.Command == "plan.change") is { } change)
        {
            foreach (var plan in groups.Where(g => g.Keyword.Keyword!.Command == "plan").ToList())
            {
                change.Arguments.AddRange(plan.Arguments);
                groups.Remove(plan);
            }
        }

        var named = groups.Select(g => g.Keyword.Keyword!.Command).Distinct().Take(2).ToList();
        var commands = new List<Command>();
        var planDistance = 0;
        foreach (var group in groups)
        {
            var name = group.Keyword.Keyword!.Command;
            if (Command.IsStandalone(name) && !StandsAlone(group, groups.Count, tokens.Count))
                return NotUnderstood(input, normalised, named);
            // CANCEL opts out only as the whole message, like STOP; "cancel please" only answers NO.
            var (command, distance) = group.Keyword.Keyword!.OrOptOut && group.Keyword.Tokens == tokens.Count
                ? (new Command.Cancel(OrOptOut: true), 0)
                : WithArguments(name, group.Arguments, plans, today);
            if (command is null) return NotUnderstood(input, normalised, named);
            planDistance = Math.Max(planDistance, distance);
            if (!commands.Contains(command)) commands.Add(command);
        }
        // Several requests must be different read-only ones: "bill oct bill sep" is not one reply.
        if (commands.Count > 1 && (!commands.All(c => Command.IsReadOnly(c.Name)) || commands.DistinctBy(c => c.Name).Count() < commands.Count))
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

    /// <summary>
    /// Sorts the words: keyword and filler phrases (longest first), then for each word left a keyword
    /// with its argument glued on, or a mistyped keyword. Filler is dropped.
    /// </summary>
    private static List<Word> Place(List<string> tokens, Lexicon lexicon, IReadOnlyCollection<string> plans, DateOnly today)
    {
        var words = new List<Word>(tokens.Count);
        for (var i = 0; i < tokens.Count;)
        {
            if (KeywordAt(tokens, i, lexicon) is var (keyword, used) && keyword is not null)
            {
                words.Add(new Word(keyword.Phrase, keyword, Tokens: used));
                i += used;
            }
            else if (FillerAt(tokens, i, lexicon) is var filler and > 0)
            {
                i += filler;
            }
            else
            {
                words.AddRange(Unplaced(tokens[i], lexicon, plans, today));
                i++;
            }
        }
        return words;
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
    private static IEnumerable<Word> Unplaced(string text, Lexicon lexicon, IReadOnlyCollection<string> plans, DateOnly today)
    {
        if (Glued(text, lexicon, plans, today) is { } glued) return glued;
        if (LooksLikeAnArgument(text, plans)) return [new Word(text)];

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
        var commands = closest.Select(k => k.Command).Distinct().OrderBy(c => Command.Names.IndexOf(c)).ToList();
        if (best <= allowed && commands.Count == 1 && !Command.IsStandalone(commands[0]))
        {
            var target = closest.OrderBy(k => k.Match).First();
            return [new Word(target.Phrase, target, best)];
        }
        return [new Word(text) { NearMisses = commands.Take(2).ToList() }];
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
        return best.OrderBy(b => b.Value).ThenBy(b => Command.Names.IndexOf(b.Key)).Take(count).Select(b => b.Key).ToList();
    }

    /// <summary>How many slips a word of this length may have and still be taken for a keyword.</summary>
    public static int AllowedSlips(string word) => word.Length switch
    {
        <= 3 => 0,
        <= 6 => 1,
        _ => 2,
    };

    private static bool LooksLikeAnArgument(string text, IReadOnlyCollection<string> plans) =>
        text.Any(char.IsAsciiDigit) || MonthGrammar.IsMonthWord(text) || LanguageNames.IsLanguageName(text)
        || plans.Contains(text, StringComparer.OrdinalIgnoreCase);

    /// <summary>"bill10", "plangold": a keyword that takes an argument, written together with a valid one.</summary>
    private static IEnumerable<Word>? Glued(string text, Lexicon lexicon, IReadOnlyCollection<string> plans, DateOnly today)
    {
        for (var split = Math.Min(text.Length - 1, lexicon.LongestWord); split >= 2; split--)
        {
            if (!lexicon.TryKeyword(text[..split], out var keyword)) continue;
            var rest = new Word(text[split..]);
            var (command, _) = WithArguments(keyword.Command, [rest], plans, today);
            // Only a real argument counts: "planet" is not PLAN ET.
            var real = command switch
            {
                Command.PlanChange change => plans.Contains(change.PlanCode),
                null => false,
                _ => command.Args.Count > 0,
            };
            if (real) return [new Word(keyword.Phrase, keyword), rest];
        }
        return null;
    }

    private static bool StandsAlone(Group group, int groups, int tokens) =>
        groups == 1 && group.Arguments.Count == 0 && group.Keyword.Distance == 0
        // STOP and START count only as the whole message: "stop by the shop" is not an opt-out.
        && (group.Keyword.Keyword!.Command is not ("stop" or "start") || group.Keyword.Tokens == tokens);

    private static Understanding NotUnderstood(string input, string normalised, IReadOnlyList<string> suggestions) =>
        new(input, normalised, new Command.Unknown(suggestions), MatchKind.None, null, []);

    /// <summary>The command with its arguments, or null if they do not read; and how far a plan name was from what was typed.</summary>
    private static (Command? Command, int Distance) WithArguments(string command, List<Word> arguments, IReadOnlyCollection<string> plans, DateOnly today)
    {
        var texts = arguments.Select(a => a.Text).ToList();
        switch (command)
        {
            case "bill" when texts.Count == 0:
                return (new Command.Bill(null), 0);
            case "bill":
                return (MonthGrammar.TryResolve(texts, today, out var month) ? new Command.Bill(month) : null, 0);
            case "plan" when texts.Count == 0:
                return (new Command.Plan(), 0);
            case "plan" or "plan.change" when texts.Count == 1:
                return PlanName(texts[0], plans) is var (plan, distance) ? (new Command.PlanChange(plan), distance) : (null, 0);
            case "lang" when texts.Count == 1:
                return (LanguageNames.Resolve(texts[0]) is { } lang ? new Command.Lang(lang) : null, 0);
            case "topup" when texts.Count == 0:
                return (new Command.TopUp(null), 0);
            case "topup":
                var voucher = Voucher.TryParse(string.Join(' ', texts));
                return (voucher.WasSuccessful ? new Command.TopUp(voucher.Value) : null, 0);
        }
        if (texts.Count > 0) return (null, 0);
        return (command switch
        {
            "balance" => new Command.Balance(),
            "usage" => new Command.Usage(),
            "confirm" => new Command.Confirm(),
            "cancel" => new Command.Cancel(),
            "help" => new Command.Help(),
            "stop" => new Command.Stop(),
            "start" => new Command.Start(),
            _ => null,
        }, 0);
    }

    /// <summary>
    /// A plan the subscriber named: a known plan, a known plan with a slip or two ("gld"), or the word
    /// as written so the handler can say there is no such plan. A change is always confirmed with
    /// the exact plan named, so a slip here is never applied silently.
    /// </summary>
    private static (string Plan, int Distance)? PlanName(string word, IReadOnlyCollection<string> plans)
    {
        if (word.Length > LongestPlanName || !word.All(char.IsLetterOrDigit)) return null;
        var exact = plans.FirstOrDefault(p => string.Equals(p, word, StringComparison.OrdinalIgnoreCase));
        if (exact is not null) return (exact, 0);

        var limit = Math.Max(AllowedSlips(word), 1);
        var near = plans.Select(p => (Plan: p, Distance: EditDistance.Between(word, p.ToLowerInvariant(), limit)))
            .Where(p => p.Distance <= limit).ToList();
        var best = near.Count == 0 ? 0 : near.Min(p => p.Distance);
        var closest = near.Where(p => p.Distance == best).ToList();
        return closest.Count == 1 ? closest[0] : (word.ToUpperInvariant(), 0);
    }
}
