using System.Globalization;

namespace SmsHall.Core.Tests;

/// <summary>
/// Real-looking messages in English, Chinese, French and Persian, each with what the grammar must make
/// of it (Corpus/understood.txt), and messages it must not take for a command (Corpus/not-understood.txt).
/// Each case is one test, named by its file and line.
/// </summary>
public class CorpusTests
{
    private static readonly DateOnly Today = new(2026, 11, 22);

    private static string CorpusPath(string name) => Path.Combine(Repo.Root, "tests", "SmsHall.Core.Tests", "Corpus", name);

    private static IEnumerable<(int Line, string Text)> Cases(string name) => CorpusFile.Cases(CorpusPath(name));

    public static TheoryData<int> UnderstoodLines() => [.. Cases("understood.txt").Select(c => c.Line)];

    public static TheoryData<int> NotUnderstoodLines() => [.. Cases("not-understood.txt").Select(c => c.Line)];

    [Fact]
    public void TheCorpusIsLargeEnough()
    {
        Assert.True(Cases("understood.txt").Count() >= 400);
        Assert.True(Cases("not-understood.txt").Count() >= 60);
    }

    [Theory]
    [MemberData(nameof(UnderstoodLines))]
    public void IsUnderstood(int line)
    {
        var text = Cases("understood.txt").Single(c => c.Line == line).Text;
        var split = text.LastIndexOf(" => ", StringComparison.Ordinal);
        Assert.True(split >= 0, $"understood.txt:{line}: no ' => '");
        var message = CorpusFile.Unescape(text[..split]);
        // An argument's value may hold spaces ("items=ringback tone"): a word without '=' belongs to the one before.
        var expected = text[(split + 4)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Aggregate(new List<string>(), (parts, word) =>
            {
                if (parts.Count > 1 && !word.Contains('=')) parts[^1] += " " + word;
                else parts.Add(word);
                return parts;
            });

        var u = Repo.Understand(message, Today);
        var args = u.Command.Args.Where(a => a.Value is not null)
            .Select(a => $"{a.Key}={(a.Value is IEnumerable<string> list ? string.Join(',', list) : Convert.ToString(a.Value, CultureInfo.InvariantCulture))}").Order();
        Assert.Equal(
            $"{expected[0]} {string.Join(' ', expected.Skip(1).Order())}",
            $"{u.Command.Name} {string.Join(' ', args)}");
    }

    [Theory]
    [MemberData(nameof(NotUnderstoodLines))]
    public void IsNotUnderstood(int line)
    {
        var message = CorpusFile.Unescape(Cases("not-understood.txt").Single(c => c.Line == line).Text);
        var u = Repo.Understand(message, Today);
        Assert.True(u.Command is Grammar.Command.Unknown, $"'{message}' was read as {u.Command.Name} ({u.Match}, keyword '{u.Keyword}')");
        Assert.True(u.Suggestions.Count <= 2);
    }
}
