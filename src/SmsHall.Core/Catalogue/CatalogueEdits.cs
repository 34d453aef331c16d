using SmsHall.Core.Commands;

namespace SmsHall.Core.Catalogue;

/// <summary>The outcome of an edit: the new text and the line it touched, or why it could not be made.</summary>
public sealed record CatalogueEdit(string Text, int Line, string? Problem = null, bool Changed = true);

/// <summary>
/// Edits the console makes to a catalogue's text for an operator, line by line, leaving the rest of
/// the file (its prose, its layout) as it was.
/// </summary>
public static class CatalogueEdits
{
    /// <summary>The commands of the catalogue an alias can be added to, in the file's order.</summary>
    public static IReadOnlyList<string> AliasTargets(string text) =>
        CatalogueParser.Read("draft", text).Lines.OfType<CatalogueLine.Section>().Select(s => s.Name)
            .Where(n => CommandSet.Of(n) is not null || n.StartsWith(Commands.Answer.AnswerCommand.Prefix, StringComparison.Ordinal)).ToList();

    /// <summary>
    /// Adds <paramref name="alias"/> to the aliases of <paramref name="command"/>: at the end of its
    /// first <c>aliases</c> line (of <paramref name="language"/> if it has one), else on a new
    /// <c>aliases</c> line under its keywords. Aliases belong to no language, so one line is enough.
    /// </summary>
    public static CatalogueEdit AddAlias(string text, string command, string alias, string language = "en")
    {
        alias = string.Join(' ', (alias ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();
        command = (command ?? "").Trim().ToLowerInvariant();
        if (alias.Length == 0) return new CatalogueEdit(text, 0, "The alias is empty.", false);
        if (alias.Contains(',')) return new CatalogueEdit(text, 0, $"An alias cannot hold a comma: '{alias}' would be read as several.", false);
        if (alias.Length > 100) return new CatalogueEdit(text, 0, "An alias is at most 100 characters.", false);

        var (lines, _) = CatalogueParser.Read("draft", text);
        var section = lines.OfType<CatalogueLine.Section>().FirstOrDefault(s => s.Name == command);
        if (section is null)
        {
            var known = CommandSet.Of(command) is not null || command.StartsWith(Commands.Answer.AnswerCommand.Prefix, StringComparison.Ordinal);
            return new CatalogueEdit(text, 0, known
                ? $"The catalogue has no section '## {command}' to add the alias '{alias}' to."
                : $"There is no command '{command}': choose one of {string.Join(", ", AliasTargets(text))}.", false);
        }
        var next = lines.OfType<CatalogueLine.Section>().FirstOrDefault(s => s.Number > section.Number)?.Number ?? int.MaxValue;
        var entries = lines.OfType<CatalogueLine.Entry>().Where(e => e.Number > section.Number && e.Number < next).ToList();

        var rows = text.Split('\n');
        var aliases = entries.Where(e => e.Field == "aliases" && e.Variant is null).OrderBy(e => e.Language == language ? 0 : 1).FirstOrDefault();
        if (aliases is not null)
        {
            var existing = aliases.Text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (existing.Contains(alias, StringComparer.OrdinalIgnoreCase)) return new CatalogueEdit(text, aliases.Number, null, false);
            var row = rows[aliases.Number - 1];
            var ending = row.EndsWith('\r') ? "\r" : "";
            rows[aliases.Number - 1] = row.TrimEnd('\r').TrimEnd() + (existing.Length > 0 ? ", " : " ") + alias + ending;
            return new CatalogueEdit(string.Join('\n', rows), aliases.Number);
        }

        // No aliases yet: a new line under the command's keywords (or its last entry).
        var after = entries.LastOrDefault(e => e.Field == "keywords" && e.Language == language)
            ?? entries.LastOrDefault(e => e.Field == "keywords") ?? entries.LastOrDefault();
        var at = after?.Number ?? section.Number;
        var crlf = rows[at - 1].EndsWith('\r') ? "\r" : "";
        var list = rows.ToList();
        var lineLanguage = after?.Language is { Length: > 0 } l ? l : language;
        list.Insert(at, $"- {lineLanguage} aliases: {alias}{crlf}");
        return new CatalogueEdit(string.Join('\n', list), at + 1);
    }
}
