using System.CommandLine;
using Microsoft.Extensions.Options;
using SmsHall.Core.Catalogue;
using SmsHall.Core.Ports;

namespace SmsHall.Cli;

/// <summary>
/// <c>smshall catalogue check [path]</c>: the operator's check before saving commands.md.
/// <c>smshall catalogue publish [path] [--note text]</c>, <c>history</c> and <c>rollback N</c>: the
/// stored versions every node serves the newest of.
/// </summary>
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
        return new Command("catalogue", "Work with the command catalogue (commands.md).") { check, Publish(console), History(console), Rollback(console) };
    }

    private static Command Publish(CliConsole console)
    {
        var path = new Argument<string?>("path") { Description = "The catalogue to publish; default Catalogue:Path (commands.md)", Arity = ArgumentArity.ZeroOrOne };
        var note = new Option<string?>("--note") { Description = "Why, for the history" };
        var publish = new Command("publish", "Check a catalogue and store it as the newest version: every node switches to it.") { path, note };
        publish.SetAction(result =>
        {
            using var services = Settings.Services(console.Settings);
            var options = services.GetRequiredService<IOptions<CatalogueOptions>>().Value;
            var file = result.GetValue(path) ?? options.Path;
            var (text, unreadable) = CatalogueFile.Read(file, options.MaxBytes);
            if (text is null)
            {
                console.Error.WriteLine(unreadable);
                return 1;
            }
            var (catalogue, problems) = CommandCatalogue.Check(file, text, options.SegmentBudget);
            if (catalogue is null)
            {
                foreach (var problem in problems.Where(p => p.Severity == Severity.Error)) console.Error.WriteLine(problem);
                console.Error.WriteLine($"{file}: not published; the nodes keep the version they serve");
                return 1;
            }
            return Store(console, services, text, "publish", result.GetValue(note), $"{file}");
        });
        return publish;
    }

    private static Command History(CliConsole console)
    {
        var history = new Command("history", "List the stored catalogue versions, newest (the one every node serves) first.");
        history.SetAction(result =>
        {
            using var services = Settings.Services(console.Settings);
            services.GetRequiredService<IStorageAdmin>().Migrate();
            var versions = services.GetRequiredService<ICatalogueHistory>().History();
            if (versions.Count == 0)
            {
                console.Out.WriteLine("No catalogue version is stored yet.");
                return 0;
            }
            console.Out.WriteLine($"{"VERSION",7}  {"STORED (UTC)",-19}  {"SOURCE",-8}  {"BY",-12}  {"HASH",-12}  NOTE");
            foreach (var v in versions)
            {
                console.Out.WriteLine(
                    $"{v.Number,7}  {v.At.UtcDateTime,-19:yyyy-MM-dd HH:mm:ss}  {v.Source,-8}  {Printable.Text(v.By ?? "-"),-12}  {v.Hash[..12]}  {Printable.Text(v.Note ?? "")}".TrimEnd());
            }
            return 0;
        });
        return history;
    }

    private static Command Rollback(CliConsole console)
    {
        var number = new Argument<long>("version") { Description = "The stored version to serve again (see catalogue history)" };
        var note = new Option<string?>("--note") { Description = "Why, for the history" };
        var rollback = new Command("rollback", "Publish an earlier stored version again, as the newest: every node switches to it.") { number, note };
        rollback.SetAction(result =>
        {
            using var services = Settings.Services(console.Settings);
            services.GetRequiredService<IStorageAdmin>().Migrate();
            var wanted = result.GetValue(number);
            var version = services.GetRequiredService<ICatalogueHistory>().Find(wanted)
                ?? throw new UsageException($"there is no catalogue version {wanted} (see 'smshall catalogue history')");
            var options = services.GetRequiredService<IOptions<CatalogueOptions>>().Value;
            var (catalogue, problems) = CommandCatalogue.Check($"stored catalogue version {wanted}", version.Text, options.SegmentBudget);
            if (catalogue is null)
            {
                foreach (var problem in problems.Where(p => p.Severity == Severity.Error)) console.Error.WriteLine(problem);
                console.Error.WriteLine($"version {wanted} does not pass the check with these settings; not published");
                return 1;
            }
            return Store(console, services, version.Text, "rollback", result.GetValue(note) ?? $"rollback to version {wanted}", $"version {wanted}");
        });
        return rollback;
    }

    /// <summary>Stores a checked catalogue as the newest version, unless it is the newest already.</summary>
    private static int Store(CliConsole console, IServiceProvider services, string text, string source, string? note, string what)
    {
        services.GetRequiredService<IStorageAdmin>().Migrate();
        var latest = services.GetRequiredService<ICatalogueVersions>().Latest();
        if (latest?.Hash == CatalogueVersion.HashOf(text))
        {
            console.Out.WriteLine($"{what} is catalogue version {latest.Number} already, the one every node serves; nothing published");
            return 0;
        }
        var version = services.GetRequiredService<ICatalogueHistory>().Publish(
            text, source, Environment.UserName, note, services.GetRequiredService<TimeProvider>().GetUtcNow());
        console.Out.WriteLine($"{what}: published as catalogue version {version.Number}; every node switches to it");
        return 0;
    }
}
