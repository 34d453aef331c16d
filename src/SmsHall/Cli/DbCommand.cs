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

        return new Command("db", "Database steps for operators.") { migrate, seed };
    }
}
