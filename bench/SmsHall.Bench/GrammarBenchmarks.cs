using BenchmarkDotNet.Attributes;
using SmsHall.Core.Catalogue;
using SmsHall.Core.Grammar;
using SmsHall.Core.Ports;
using SmsHall.Core.Replies;

namespace SmsHall.Bench;

/// <summary>
/// The grammar over the project's own test corpus (tests/SmsHall.Core.Tests/Corpus: real phrasings
/// in English, Chinese, French and Persian, typos and noise included): one operation is one message.
/// </summary>
[MemoryDiagnoser]
public class GrammarBenchmarks
{
    // The demo database's names, as the gateway's grammar knows them.
    private static readonly KnownNames Names = new(
        [.. DemoData.Plans.Select(p => p.Code)],
        DemoData.Extras.SelectMany(e => e.Names.Select(n => n.Name).Prepend(e.Code)),
        DemoData.Packs.Select(p => p.Code),
        DemoData.Rewards.Select(r => r.Code));
    private static readonly DateOnly Today = new(2026, 11, 22);
    private CommandCatalogue _catalogue = null!;
    private string[] _corpus = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _catalogue = CommandCatalogue.Load(Repository.File("commands.md"));
        _corpus = Corpus.Messages();
    }

    [Benchmark(Description = "Understand one message of the corpus")]
    public Understanding Understand()
    {
        var text = _corpus[_next++ % _corpus.Length];
        return CommandGrammar.Understand(text, _catalogue, Names, Today);
    }
}

/// <summary>Rendering a reply from its template, with GSM-7 look-alikes and segment counting.</summary>
[MemoryDiagnoser]
public class ReplyBenchmarks
{
    private CommandCatalogue _catalogue = null!;
    private readonly SmsHall.Core.HallOptions _options = new();
    private Reply _balance = null!;
    private Reply _usageFrench = null!;

    [GlobalSetup]
    public void Setup()
    {
        _catalogue = CommandCatalogue.Load(Repository.File("commands.md"));
        _balance = Reply.Of("balance", ("balance", "$12.50"), ("valid_until", "2026-12-22"), ("plan", "SILVER"));
        _usageFrench = Reply.Of("usage", ("plan", "FAMILY"), ("cycle_start", "2026-11-01"), ("data_used", "30.3 GB"), ("data_allowance", "50 GB"),
            ("minutes_used", "1200"), ("minutes_allowance", "2000"), ("sms_used", "800"), ("sms_allowance", "2000"));
    }

    [Benchmark(Description = "Render the English balance reply")]
    public RenderedReply Balance() => ReplyRenderer.Render(_balance, "en", _catalogue, _options);

    [Benchmark(Description = "Render the French usage reply")]
    public RenderedReply UsageFrench() => ReplyRenderer.Render(_usageFrench, "fr", _catalogue, _options);
}

/// <summary>Finds files of the repository from wherever BenchmarkDotNet runs the benchmark.</summary>
internal static class Repository
{
    public static string File(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "SmsHall.sln"))) return Path.Combine(dir.FullName, relative);
        }
        throw new FileNotFoundException("Run the benchmarks inside the repository (SmsHall.sln not found above " + AppContext.BaseDirectory + ")");
    }
}
