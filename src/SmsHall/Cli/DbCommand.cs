using System.CommandLine;
using SmsHall.Core;
using SmsHall.Storage;

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
            var db = services.GetRequiredService<Database>();
            var applied = db.Migrate();
            console.Out.WriteLine($"{db.Path}: {applied} migration(s) applied");
            return 0;
        });

        var seed = new Command("seed", "Add the demo plans, subscribers, usage and bills (existing rows are kept).");
        seed.SetAction(result =>
        {
            using var services = Settings.Services(console.Settings);
            var db = services.GetRequiredService<Database>();
            db.Migrate();
            var today = services.GetRequiredService<HallOptions>().Today(services.GetRequiredService<TimeProvider>().GetUtcNow());
            var added = DemoData.Seed(db, today);
            console.Out.WriteLine($"{db.Path}: {added} demo subscriber(s) added");
            return 0;
        });

        return new Command("db", "Database steps for operators.") { migrate, seed };
    }
}
