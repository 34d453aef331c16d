namespace SmsHall.Core.Catalogue;

public enum CatalogueSeverity
{
    Error,
    Warning,
}

/// <summary>One thing wrong with a catalogue file, at a line an operator can go to.</summary>
public sealed record CatalogueProblem(string Path, int Line, CatalogueSeverity Severity, string Message)
{
    public override string ToString() =>
        $"{Path}{(Line > 0 ? $":{Line}" : "")}: {(Severity == CatalogueSeverity.Error ? "error" : "warning")}: {Message}";
}

/// <summary>The catalogue could not be loaded; <see cref="Problems"/> says where and why.</summary>
public sealed class CatalogueException(IReadOnlyList<CatalogueProblem> problems)
    : Exception(problems.Count == 0 ? "the catalogue is invalid" : problems[0].ToString())
{
    public IReadOnlyList<CatalogueProblem> Problems { get; } = problems;
}
