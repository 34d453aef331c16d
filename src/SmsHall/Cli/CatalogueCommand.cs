using System.CommandLine;
using Microsoft.Extensions.Options;
using SmsHall.Core.Catalogue;

namespace SmsHall.Cli;

/// <summary><c>smshall catalogue check [path]</c>: the operator's check before saving commands.md.</summary>
public static class CatalogueCommand
{
    public static Command Create(CliConsole console)
    {
        var path = new Argument<string?>("path") { Description = "The catalogue to check; default Catalogue:Path (commands.md)", Arity = ArgumentArity.ZeroOrOne };
        var check = new Command("check", "Print every problem in a catalogue with its line; exit 1 if any is an error (warnings do not fail).") { path };
        check.SetAction(result =>
        {
            using var services = Settings.Services(console.Settings);
            var options = services.GetRequiredService<IOptions<CatalogueOptions>>().Value;
            var file = result.GetValue(path) ?? options.Path;
            var (text, unreadable) = CatalogueFile.Read(file, options.MaxBytes);
            if (text is null && unreadable!.Line == 0)
            {
                console.Error.WriteLine(unreadable); // not found, too large, cannot be read
                return 1;
            }
            if (text is null)
            {
                console.Out.WriteLine(unreadable); // not UTF-8, at its line
                console.Out.WriteLine($"{file}: 1 error(s), 0 warning(s); the gateway would keep its previous catalogue");
                return 1;
            }
            var (catalogue, problems) = CommandCatalogue.Check(file, text, options.SegmentBudget);
            foreach (var problem in problems) console.Out.WriteLine(problem);
            var errors = problems.Count(p => p.Severity == Severity.Error);
            var warnings = problems.Count - errors;
            console.Out.WriteLine(catalogue is null
                ? $"{file}: {errors} error(s), {warnings} warning(s); the gateway would keep its previous catalogue"
                : $"{file}: ok, {warnings} warning(s); {string.Join(", ", catalogue.Languages)}, {catalogue.Lexicon.Keywords.Count} keywords and aliases");
            return catalogue is null ? 1 : 0;
        });
        return new Command("catalogue", "Work with the command catalogue (commands.md).") { check };
    }
}
