namespace SmsHall.Core.Catalogue;

public enum Severity
{
    /// <summary>The catalogue cannot be used as it is.</summary>
    Error,

    /// <summary>The catalogue works, but probably not as its editor meant.</summary>
    Warning,
}

/// <summary>One thing wrong with a catalogue file, at a line an operator can go to (0: the file as a whole).</summary>
public sealed record CatalogueProblem(string Path, int Line, string Message, Severity Severity = Severity.Error)
{
    public override string ToString() =>
        $"{Path}{(Line > 0 ? $":{Line}" : "")}: {(Severity == Severity.Error ? "error" : "warning")}: {Message}";
}

/// <summary>The catalogue could not be loaded; <see cref="Problems"/> says where and why.</summary>
public sealed class CatalogueException(IReadOnlyList<CatalogueProblem> problems)
    : Exception(problems.Count == 0 ? "the catalogue is invalid" : problems[0].ToString())
{
    public IReadOnlyList<CatalogueProblem> Problems { get; } = problems;
}
