using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using SmsHall.Core;
using SmsHall.Core.Accounts;
using SmsHall.Core.Ports;
using CommandGrammar = SmsHall.Core.Grammar.CommandGrammar;
using KnownNames = SmsHall.Core.Grammar.KnownNames;
using MatchKind = SmsHall.Core.Grammar.MatchKind;
using Understanding = SmsHall.Core.Grammar.Understanding;

namespace SmsHall.Cli;

/// <summary>
/// Prints what the grammar understood, one JSON object per message: the public contract
/// {input, command, args, match, suggestions} that QA tooling reads, with the keyword that matched
/// and, for a typo, how many slips it was from that keyword.
/// </summary>
public static class ParseCommand
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(CliConsole console)
    {
        var now = new Option<string?>("--now") { Description = "Today's date for month arguments (YYYY-MM-DD); default today" };
        var text = new Argument<string[]>("text") { Description = "The message; without it, one message per line on stdin", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("parse", "Show what the grammar makes of a message (JSON; JSON Lines from stdin).") { now, text };
        command.SetAction(async (result, ct) =>
        {
            var date = Date(result.GetValue(now));
            using var services = Settings.Services(console.Settings);
            // Needs no database, and never creates or changes one: the catalogue is the file (or, when
            // the file is not usable, the last version stored), plan names are known only from a database.
            var source = services.GetRequiredService<CatalogueSource>();
            var live = source.Start(store: false);
            Cli.WarnIfDegraded(console, live, source.Path);
            var names = await NamesAsync(services, ct);
            var today = date ?? services.GetRequiredService<HallOptions>().Today(services.GetRequiredService<TimeProvider>().GetUtcNow());
            var words = result.GetValue(text) ?? [];
            if (words.Length > 0)
            {
                console.Out.WriteLine(ToJson(CommandGrammar.Understand(string.Join(' ', words), live.Catalogue, names, today)));
                return 0;
            }
            while (await console.In.ReadLineAsync(ct) is { } line)
                console.Out.WriteLine(ToJson(CommandGrammar.Understand(line, live.Catalogue, names, today)));
            return 0;
        });
        return command;
    }

    public static string ToJson(Understanding u) => JsonSerializer.Serialize(new
    {
        input = u.Input,
        command = u.Command.Name,
        args = u.Command.Args,
        match = u.Match == MatchKind.None ? null : u.Match.ToString().ToLowerInvariant(),
        suggestions = u.Suggestions,
        keyword = u.Keyword,
        distance = u.Match == MatchKind.Fuzzy ? u.Distance : (int?)null,
    }, Json);

    private static async Task<KnownNames> NamesAsync(IServiceProvider services, CancellationToken ct)
    {
        try
        {
            if (!services.GetRequiredService<IStorageAdmin>().Exists()) return KnownNames.None;
            return await KnownNames.ReadAsync(services.GetRequiredService<IAccounts>(), ct);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or StorageUnavailableException)
        {
            return KnownNames.None; // not an SmsHall database yet (never migrated), or a server out of reach: no names
        }
    }

    private static DateOnly? Date(string? now)
    {
        if (now is null) return null;
        return DateOnly.TryParseExact(now, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new UsageException($"--now must be a date like 2026-11-22, not '{now}'");
    }
}
