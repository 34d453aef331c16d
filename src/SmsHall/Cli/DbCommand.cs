using System.CommandLine;
using SmsHall.Core;
using SmsHall.Core.Ports;

namespace SmsHall.Cli;

/// <summary>Explicit schema and demo-data steps for operators.</summary>
public static class DbCommand
{
    public static Command Create(CliConsole console)
    {
        var migrate = new Command("migrate", "Create the database file if needed and apply every pending migration.");
        migrate.SetAction(result =>
        {
            using var services = Settings.Services(console.Settings);
            var db = services.GetRequiredService<IStorageAdmin>();
            var applied = db.Migrate();
            console.Out.WriteLine($"{db.Location}: {applied} migration(s) applied");
            return 0;
        });

        var subscribers = new Option<int?>("--subscribers")
        {
            Description = $"Also add this many synthetic subscribers, +{SyntheticSubscribers.FirstNumber} upward, for load tests",
        };
        var seed = new Command("seed", "Add the demo plans, subscribers, usage and bills (existing rows are kept).") { subscribers };
        seed.SetAction(result =>
        {
            var count = result.GetValue(subscribers);
            if (count is < 1 or > 10_000_000) throw new UsageException($"--subscribers must be a number from 1 to 10000000, not {count}");
            using var services = Settings.Services(console.Settings);
            var db = services.GetRequiredService<IStorageAdmin>();
            db.Migrate();
            var seeding = services.GetRequiredService<ISeeding>();
            var today = services.GetRequiredService<HallOptions>().Today(services.GetRequiredService<TimeProvider>().GetUtcNow());
            var added = seeding.SeedDemo(today);
            console.Out.WriteLine($"{db.Location}: {added} demo subscriber(s) added");
            if (count is { } n)
            {
                var synthetic = seeding.SeedSynthetic(n, today);
                console.Out.WriteLine($"{db.Location}: {synthetic} synthetic subscriber(s) added ({SyntheticSubscribers.Number(0)} to {SyntheticSubscribers.Number(n - 1)})");
            }
            return 0;
        });

        var db = new Command("db", "Database steps for operators.") { migrate, seed, Snapshot(console) };
        foreach (var products in ProductsCommand.Create(console)) db.Subcommands.Add(products);
        return db;
    }

    /// <summary>
    /// <c>smshall db snapshot --out file.db</c>: an SQLite copy of the accounts, plans, vouchers,
    /// catalogue versions and the messages of a window, from either provider, for <c>replay --db</c>.
    /// </summary>
    private static Command Snapshot(CliConsole console)
    {
        var output = new Option<string>("--out") { Description = "The SQLite file to write", Required = true };
        var since = new Option<string?>("--since") { Description = "Messages from this day (YYYY-MM-DD, the hall's time zone) or instant (ISO 8601)" };
        var until = new Option<string?>("--until") { Description = "Messages up to and including this day, or up to (not including) this instant" };
        var force = new Option<bool>("--force") { Description = "Write --out even over another SQLite database (never over the live one)" };
        var snapshot = new Command("snapshot",
            "Write an SQLite snapshot (accounts, plans, vouchers, catalogue versions and the messages of a window) for replay --db.")
        {
            output, since, until, force,
        };
        snapshot.SetAction(result =>
        {
            using var services = Settings.Services(console.Settings);
            var zone = services.GetRequiredService<HallOptions>().TimeZoneInfo;
            var from = Times.Parse(result.GetValue(since), "--since", zone);
            var to = Times.Parse(result.GetValue(until), "--until", zone, endOfDay: true);
            if (from is not null && to is not null && to <= from) throw new UsageException("--until must come after --since");
            var db = services.GetRequiredService<IStorageAdmin>();
            var path = result.GetValue(output)!;
            var outputs = new OutputFiles(result.GetValue(force));
            if (db.LocalFile is { } live) outputs.Protect(live, "the live database (Database:Path)");
            outputs.Check(path, "--out");
            if (!db.Exists()) throw new IOException($"{Cli.DatabaseSetting(db)}: there is no database at {db.Location}");
            db.Migrate();

            var tables = services.GetRequiredService<ISnapshotSource>().Read(from, to);
            var messages = 0L;
            // Written whole to a file beside it, then renamed: a snapshot cut short leaves nothing behind.
            WholeFile.Write(path, partial => Storage.Sqlite.SqliteSnapshot.Write(partial, tables.Select(t =>
                t.Name == SnapshotTables.Inbound ? t with { Rows = t.Rows.Select(r => { messages++; return r; }) } : t)));
            console.Out.WriteLine($"{path}: snapshot of {db.Location} with {messages} message(s)");
            return 0;
        });
        return snapshot;
    }
}
