using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Data.Sqlite;
using SmsHall.Core.Text;

namespace SmsHall.Bench;

/// <summary>
/// <c>smshall-bench false-fires --smshall smshall.dll --corpus DIR --db seeded.db [--catalogue commands.md] [--now 2026-11-22]</c>:
/// how often the grammar fires on chatter. Every <c>*.txt</c> file in the corpus folder (one real
/// SMS a line, written between people) is streamed through <c>smshall parse</c>, which runs against
/// a seeded database so that plan names are known as in production; its JSON Lines are read back
/// and counted. Nothing is written: the texts go from the file to the parser's stdin and from its
/// stdout to this count. Per corpus and in total:
/// (a) state-changing commands (confirm, cancel, stop, start, lang, topup with a voucher, points.redeem,
///     services.cancel and datapack.buy naming what, plan.change
///     naming a plan, feedback with a text and agent: each opens a ticket) fired on a message that is not a bare answer (<see cref="BareAnswers"/>);
/// (b) read-only answers (balance, usage, bill, plan, help, several of them) fired through typo
///     matching (<c>match: fuzzy</c>);
/// (c) among messages not understood, those given a "did you mean" (non-empty suggestions).
/// A measurement, not a test: it always exits 0 when it could measure, and says which targets are met.
/// </summary>
public static class FalseFires
{
    private static readonly string[] StateChanging =
        ["confirm", "cancel", "stop", "start", "lang", "topup", "plan.change", "points.redeem", "services.cancel", "datapack.buy", "alerts", "feedback", "agent"];

    // The commands that change an account only when their argument names what: alone they list or ask.
    private static readonly Dictionary<string, string> OnlyWithArgument = new()
    {
        ["topup"] = "voucher",
        ["plan.change"] = "plan",
        ["points.redeem"] = "reward",
        ["services.cancel"] = "items",
        ["datapack.buy"] = "pack",
        ["feedback"] = "text", // a bare COMPLAINT asks what about, and opens no ticket
        ["alerts"] = "on",
    };

    // AGENT is counted like an answer: "call me back" alone, sent to the operator, is the request itself.
    private static readonly string[] Answers = ["confirm", "cancel", "stop", "start", "agent"];
    private const int Examples = 10;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>One line of <c>smshall parse</c>'s output (its public contract).</summary>
    private sealed record Parsed(string Input, string Command, string? Match, List<string> Suggestions, string? Keyword, int? Distance, Dictionary<string, JsonElement>? Args)
    {
        /// <summary>
        /// Whether what fired can change an account: TOPUP with no voucher only says how to top up,
        /// CHANGE PLAN with no plan only asks which, REDEEM, CANCEL SERVICE and BUY DATA with nothing
        /// named only list or ask, so none of those counts.
        /// </summary>
        public bool ChangesState(string[] parts) =>
            parts.Any(p => StateChanging.Contains(p) && !(OnlyWithArgument.TryGetValue(p, out var arg) && IsEmpty(arg)));

        private bool IsEmpty(string arg) =>
            Args is null || !Args.TryGetValue(arg, out var value) || value.ValueKind == JsonValueKind.Null
            || value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 0;
    }

    private sealed class Tally(string name)
    {
        public string Name { get; } = name;
        public int Messages { get; set; }
        public int Fired { get; set; }
        public int Typo { get; set; }
        public int Unknown { get; set; }
        public int Suggested { get; set; }
        public int Bare { get; set; }
        public int Fuzzy { get; set; }
        public TimeSpan Took { get; set; }

        public double TypoPerThousand => Messages == 0 ? 0 : Typo * 1000.0 / Messages;
        public double SuggestedShare => Unknown == 0 ? 0 : (double)Suggested / Unknown;

        public void Add(Tally other)
        {
            Messages += other.Messages;
            Fired += other.Fired;
            Typo += other.Typo;
            Unknown += other.Unknown;
            Suggested += other.Suggested;
            Bare += other.Bare;
            Fuzzy += other.Fuzzy;
            Took += other.Took;
        }
    }

    /// <summary>A message counted under (a), (b) or (c), by its normalised text: how often and in which corpora.</summary>
    private sealed class Example
    {
        public int Count { get; set; }
        public string What { get; set; } = "";
        public SortedSet<string> Corpora { get; } = new(StringComparer.Ordinal);
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var smshall = Path.GetFullPath(Arg(args, "--smshall") ?? throw new ArgumentException("--smshall <path to smshall.dll> is needed"));
        var corpus = Arg(args, "--corpus") ?? throw new ArgumentException("--corpus <folder of one-message-a-line .txt files> is needed");
        var db = Path.GetFullPath(Arg(args, "--db") ?? throw new ArgumentException("--db <a seeded database> is needed"));
        var catalogue = Arg(args, "--catalogue") ?? "commands.md";
        var now = Arg(args, "--now") ?? "2026-11-22";
        var files = Directory.GetFiles(corpus, "*.txt").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new ArgumentException($"no .txt files in {corpus}");

        var bare = BareAnswers.FromCatalogue(catalogue);
        var plans = await PlansAsync(db);
        var total = new Tally("total");
        var tallies = new List<Tally>();
        var fired = new Dictionary<string, Example>(StringComparer.Ordinal);
        var typos = new Dictionary<string, Example>(StringComparer.Ordinal);
        var suggested = new Dictionary<string, Example>(StringComparer.Ordinal);
        var firedBy = new Dictionary<string, int>(StringComparer.Ordinal);
        var typoBy = new Dictionary<string, int>(StringComparer.Ordinal);
        var suggestedBy = new Dictionary<string, int>(StringComparer.Ordinal);

        Console.WriteLine($"{files.Count} corpora in {corpus}, each message read by `smshall parse --now {now}` on a database seeded by `smshall db seed`, "
            + $"so plan names are known as in production (plans: {string.Join(", ", plans)}); catalogue: {catalogue}.");
        Console.WriteLine();
        bare.Describe(Console.Out);
        Console.WriteLine();

        var started = Stopwatch.StartNew();
        foreach (var file in files)
        {
            var tally = new Tally(Path.GetFileNameWithoutExtension(file));
            var took = Stopwatch.StartNew();
            await foreach (var p in ParseAsync(smshall, file, db, now))
            {
                tally.Messages++;
                if (p.Match == "fuzzy") tally.Fuzzy++;
                var parts = p.Command.Split('+');
                var normalised = TextNormaliser.Normalise(p.Input);
                if (p.Command == "unknown")
                {
                    tally.Unknown++;
                    if (p.Suggestions.Count == 0) continue;
                    tally.Suggested++;
                    Count(suggested, normalised, string.Join(" or ", p.Suggestions), tally.Name);
                    foreach (var offered in p.Suggestions) suggestedBy[offered] = suggestedBy.GetValueOrDefault(offered) + 1;
                }
                else if (p.ChangesState(parts))
                {
                    if (Answers.Contains(p.Command) && bare.IsBare(normalised, p.Command))
                    {
                        tally.Bare++;
                        continue;
                    }
                    tally.Fired++;
                    Count(fired, normalised, $"{p.Command} ({p.Match} {p.Keyword})", tally.Name);
                    firedBy[p.Command] = firedBy.GetValueOrDefault(p.Command) + 1;
                }
                else if (p.Match == "fuzzy")
                {
                    tally.Typo++;
                    Count(typos, normalised, $"{p.Command} ({p.Keyword}, {p.Distance} off)", tally.Name);
                    typoBy[p.Command] = typoBy.GetValueOrDefault(p.Command) + 1;
                }
            }
            tally.Took = took.Elapsed;
            tallies.Add(tally);
            total.Add(tally);
        }
        var elapsed = started.Elapsed;

        Console.WriteLine($"{"corpus",-22} {"messages",9} {"(a) fired",10} {"(b) typo",9} {"per 1,000",10} {"unknown",8} {"(c) did you mean",17} {"share",7} {"bare answers",13} {"parse",7}");
        foreach (var t in tallies.Append(total))
        {
            Console.WriteLine($"{t.Name,-22} {t.Messages,9:N0} {t.Fired,10:N0} {t.Typo,9:N0} {t.TypoPerThousand,10:0.00} {t.Unknown,8:N0} {t.Suggested,17:N0} {t.SuggestedShare,7:0.0 %} {t.Bare,13:N0} {t.Took.TotalSeconds,6:0.0}s");
        }
        Console.WriteLine();
        Console.WriteLine("Targets (issue: understood in their own language, never fired by chatter), on the total:");
        Console.WriteLine($"  (a) state-changing commands fired on chatter: 0                       {total.Fired:N0}  {Met(total.Fired == 0)}");
        Console.WriteLine($"  (b) answers fired through typo matching: at most 1 per 1,000 messages  {total.TypoPerThousand:0.00}  {Met(total.TypoPerThousand <= 1)}");
        Console.WriteLine($"  (c) not understood given a \"did you mean\": at most 5 %                 {total.SuggestedShare:0.0 %}  {Met(total.SuggestedShare <= 0.05)}");

        Console.WriteLine();
        Console.WriteLine("(a) by command: " + By(firedBy));
        Print($"(a) the {Examples} most frequent (count, what fired: match and keyword, corpora, the message normalised):", fired);
        Console.WriteLine();
        Console.WriteLine($"(b) by command: {By(typoBy)}. Typo matches of any command: {total.Fuzzy:N0} ({total.Typo:N0} answers, the rest state-changing, in (a)).");
        Print($"(b) the {Examples} most frequent (count, what answered: keyword and slips, corpora, the message normalised):", typos);
        Console.WriteLine();
        Console.WriteLine("(c) by command suggested (a message may be offered two): " + By(suggestedBy));
        Print($"(c) the {Examples} most frequent (count, what was suggested, corpora, the message normalised):", suggested);
        Console.WriteLine();
        Console.WriteLine($"{total.Messages:N0} messages in {elapsed.TotalSeconds:0.0} s (each corpus's `smshall parse` start-up included).");
        return 0;
    }

    private static string Met(bool met) => met ? "met" : "NOT met";

    private static string By(Dictionary<string, int> counts) =>
        counts.Count == 0 ? "none" : string.Join(", ", counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value:N0}"));

    private static void Count(Dictionary<string, Example> examples, string normalised, string what, string corpus)
    {
        if (!examples.TryGetValue(normalised, out var example)) examples[normalised] = example = new Example { What = what };
        example.Count++;
        example.Corpora.Add(corpus);
    }

    private static void Print(string title, Dictionary<string, Example> examples)
    {
        Console.WriteLine(title);
        foreach (var (text, e) in examples.OrderByDescending(e => e.Value.Count).ThenBy(e => e.Key, StringComparer.Ordinal).Take(Examples))
            Console.WriteLine($"  {e.Count,5}  {e.What,-30}  {string.Join(", ", e.Corpora),-30}  {Shorten(text)}");
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";

    /// <summary>
    /// Streams a corpus file through <c>smshall parse</c> (a line in, a JSON line out) and yields what
    /// it understood, checking that each answer is the line that was sent.
    /// </summary>
    private static async IAsyncEnumerable<Parsed> ParseAsync(string smshall, string file, string db, string now)
    {
        var lines = await File.ReadAllLinesAsync(file, Encoding.UTF8);
        var utf8 = new UTF8Encoding(false);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            StandardInputEncoding = utf8,
            StandardOutputEncoding = utf8,
        };
        // The corpus is UTF-8; so is what parse reads, whatever this machine's locale says.
        start.Environment["LANG"] = "C.UTF-8";
        start.Environment["LC_ALL"] = "C.UTF-8";
        foreach (var arg in new[] { smshall, "parse", "--now", now, $"--Database:Path={db}" }) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var feeding = Task.Run(async () =>
        {
            process.StandardInput.NewLine = "\n";
            foreach (var line in lines) await process.StandardInput.WriteLineAsync(line);
            process.StandardInput.Close();
        });

        var read = 0;
        while (await process.StandardOutput.ReadLineAsync() is { } json)
        {
            var parsed = JsonSerializer.Deserialize<Parsed>(json, Json) ?? throw new InvalidDataException($"parse wrote {json}");
            if (read >= lines.Length || parsed.Input != lines[read])
                throw new InvalidDataException($"{Path.GetFileName(file)}: parse's answer {read + 1} is not for line {read + 1}");
            read++;
            yield return parsed;
        }
        await feeding;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"smshall parse exited with {process.ExitCode} on {file}");
        if (read != lines.Length) throw new InvalidDataException($"{Path.GetFileName(file)}: {lines.Length} lines sent, {read} answers");
    }

    private static async Task<List<string>> PlansAsync(string db)
    {
        if (!File.Exists(db)) throw new FileNotFoundException($"no database at {db}: seed one with smshall db seed");
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = db, Mode = SqliteOpenMode.ReadOnly }.ToString());
        return [.. await connection.QueryAsync<string>("SELECT code FROM plans ORDER BY monthly_fee_cents")];
    }

    private static string? Arg(string[] args, string name) =>
        Array.IndexOf(args, name) is var i && i >= 0 && i + 1 < args.Length ? args[i + 1] : null;

    /// <summary>
    /// What counts as a bare yes/no/ok/stop/start answer. The message is normalised as the grammar
    /// does it (<see cref="TextNormaliser"/>: lower case; accents, punctuation, symbols and emoji gone;
    /// traditional Chinese folded to simplified; Arabic letter forms to Persian) and cut into words,
    /// every Chinese character a word of its own. It is a bare answer to the command that fired when
    /// those words are, in order, one or more of that command's own keywords or aliases (read from
    /// its section in commands.md) and any number of the politeness and greeting phrases below, and
    /// nothing else. Numbers, names, laughter and every other word make it chatter.
    /// </summary>
    public sealed class BareAnswers
    {
        /// <summary>Politeness and greetings, by language: added to an answer they leave it bare.</summary>
        private static readonly (string Language, string Phrases)[] Courtesy =
        [
            ("en", "please, pls, plz, kindly, thanks, thank you, thank u, thx, ty, thanks a lot, thank you very much, thank you so much, "
                + "hi, hello, hey, dear, sir, madam, good morning, good afternoon, good evening, good night, bye"),
            ("fr", "merci, merci beaucoup, svp, stp, s'il vous plaît, s'il te plaît, bonjour, bonsoir, salut, coucou, "
                + "bonne journée, bonne soirée, au revoir, cordialement, monsieur, madame"),
            ("zh", "请, 谢谢, 谢谢你, 谢谢您, 多谢, 谢啦, 非常感谢, 你好, 您好, 早上好, 下午好, 晚上好, 再见, 拜拜, 啊, 呀, 吧, 啦, 了, 哦, 喔, 呢, 嘛"), // the last nine: tone particles (好的呀, 好吧, 不用了)
            ("fa", "لطفا, ممنون, ممنونم, خیلی ممنون, مرسی, متشکرم, سپاس, سلام, درود, خداحافظ"),
        ];

        private static readonly Regex SectionLine = new(@"^##\s+([a-z.\-_]+)\s*$", RegexOptions.CultureInvariant);
        private static readonly Regex WordsLine = new(@"^-\s+([a-z]{2})\s+(keywords|aliases)\s*:(.*)$", RegexOptions.CultureInvariant);

        private readonly Dictionary<string, List<string>> _written;
        private readonly Dictionary<string, List<string[]>> _own;
        private readonly List<string[]> _courtesy;

        private BareAnswers(Dictionary<string, List<string>> written)
        {
            _written = written;
            _own = written.ToDictionary(w => w.Key, w => w.Value.Select(Words).Where(p => p.Length > 0).ToList(), StringComparer.Ordinal);
            _courtesy = Courtesy.SelectMany(c => c.Phrases.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                .Select(Words).Where(p => p.Length > 0).ToList();
        }

        /// <summary>Reads the keywords and aliases of the sections confirm, cancel, stop, start and agent.</summary>
        public static BareAnswers FromCatalogue(string path)
        {
            var written = Answers.ToDictionary(a => a, _ => new List<string>(), StringComparer.Ordinal);
            string? section = null;
            var fenced = false;
            foreach (var line in File.ReadLines(path))
            {
                if (line.TrimStart().StartsWith("```", StringComparison.Ordinal)) fenced = !fenced;
                if (fenced) continue;
                if (line.StartsWith('#'))
                {
                    section = SectionLine.Match(line) is { Success: true } s ? s.Groups[1].Value : null;
                    continue;
                }
                if (section is null || !written.TryGetValue(section, out var words) || WordsLine.Match(line) is not { Success: true } entry) continue;
                words.AddRange(entry.Groups[3].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            }
            foreach (var (command, words) in written)
            {
                if (words.Count == 0) throw new InvalidDataException($"{path} has no keywords for {command}");
            }
            return new BareAnswers(written);
        }

        public void Describe(TextWriter output)
        {
            output.WriteLine("A bare answer (not counted in (a)): the message, lower-cased and without accents, punctuation, symbols or emoji, and with");
            output.WriteLine("traditional Chinese read as simplified, is nothing but one or more of the fired command's own words (its keywords and");
            output.WriteLine("aliases in commands.md) and any of the politeness and greeting phrases below, in any order; each Chinese character is a");
            output.WriteLine("word of its own. Anything else with it (a name, a number, laughter, another word) makes the message chatter.");
            foreach (var (command, words) in _written) output.WriteLine($"  {command} words: {string.Join(", ", words.Distinct(StringComparer.Ordinal))}");
            foreach (var (language, phrases) in Courtesy) output.WriteLine($"  politeness and greetings, {language}: {phrases}");
        }

        public bool IsBare(string normalised, string command)
        {
            var words = Words(normalised);
            if (words.Length == 0 || !_own.TryGetValue(command, out var own)) return false;
            // reach[i]: the first i words can be covered, and how: 0 no, 1 by courtesy only, 2 with an own word.
            var reach = new int[words.Length + 1];
            reach[0] = 1;
            for (var i = 0; i < words.Length; i++)
            {
                if (reach[i] == 0) continue;
                foreach (var phrase in own) Step(words, i, phrase, reach, 2);
                foreach (var phrase in _courtesy) Step(words, i, phrase, reach, reach[i]);
            }
            return reach[words.Length] == 2;
        }

        private static void Step(string[] words, int at, string[] phrase, int[] reach, int how)
        {
            if (at + phrase.Length > words.Length) return;
            for (var k = 0; k < phrase.Length; k++)
            {
                if (words[at + k] != phrase[k]) return;
            }
            reach[at + phrase.Length] = Math.Max(reach[at + phrase.Length], how);
        }

        /// <summary>Normalised words, each Chinese character one word ("ok好的" is ok, 好, 的).</summary>
        private static string[] Words(string text)
        {
            var words = new List<string>();
            foreach (var token in TextNormaliser.Normalise(text).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var rest = new StringBuilder();
                foreach (var c in token)
                {
                    if (!TextNormaliser.IsHan(c))
                    {
                        rest.Append(c);
                        continue;
                    }
                    if (rest.Length > 0) words.Add(rest.ToString());
                    rest.Clear();
                    words.Add(c.ToString(CultureInfo.InvariantCulture));
                }
                if (rest.Length > 0) words.Add(rest.ToString());
            }
            return [.. words];
        }
    }
}
