using System.CommandLine;
using System.Globalization;
using SmsHall.Core;
using SmsHall.Core.Accounts;
using SmsHall.Core.Ports;
using SmsHall.Core.Replies;
using DataSizes = SmsHall.Core.Grammar.DataSizes;

namespace SmsHall.Cli;

/// <summary>
/// <c>smshall db packs|extras|rewards list|add|remove</c>: what subscribers can buy, cancel and redeem,
/// changed by operators without a release. <c>add</c> with a code that exists replaces it.
/// </summary>
public static class ProductsCommand
{
    public static IEnumerable<Command> Create(CliConsole console) => [Packs(console), Extras(console), Rewards(console)];

    private static Command Packs(CliConsole console)
    {
        var size = new Option<string>("--size") { Description = "How much data, e.g. 500MB or 1GB", Required = true };
        var price = new Option<string>("--price") { Description = "The price, e.g. 5.00", Required = true };
        var days = new Option<int>("--days") { Description = "How many days its data lasts (1 to 3650)", Required = true };
        return Group(console, "packs", "data packs", "a data pack",
            list: async (services, hall) => (await services.GetRequiredService<IAccounts>().DataPacksAsync())
                .Select(p => $"{p.Code,-8} {DataSizes.Name(p.DataMb),-8} {Format.Money(p.PriceCents, hall),9}  {p.ValidDays} days"),
            addOptions: [size, price, days],
            add: (products, code, result) =>
            {
                if (!Size(result.GetValue(size)!, out var mb))
                    throw new UsageException($"--size must be an amount of data like 500MB or 1GB, not '{result.GetValue(size)}'");
                var valid = result.GetValue(days);
                if (valid is < 1 or > 3650) throw new UsageException($"--days must be a number of days from 1 to 3650, not {valid}");
                return products.SavePack(new DataPack(code, mb, Cents(result.GetValue(price)!, "--price"), valid));
            },
            remove: (products, code) => products.RemovePack(code));
    }

    private static Command Extras(CliConsole console)
    {
        var price = new Option<string>("--price") { Description = "The monthly price, e.g. 2.00", Required = true };
        var names = new Option<string[]>("--name")
        {
            Description = "A name in a language, e.g. en=Ringback tone or zh=彩铃 (repeat it; a language's first is what replies call it)",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        return Group(console, "extras", "paid extras", "a paid extra",
            list: async (services, hall) => (await services.GetRequiredService<IAccounts>().ExtrasAsync())
                .Select(e => $"{e.Code,-8} {Format.Money(e.MonthlyFeeCents, hall),9}/month  {string.Join(", ", e.Names.Select(n => $"{n.Language}={n.Name}"))}"),
            addOptions: [price, names],
            add: (products, code, result) =>
                products.SaveExtra(new Extra(code, Cents(result.GetValue(price)!, "--price", allowZero: true), [.. result.GetValue(names)!.Select(Name)])),
            remove: (products, code) => products.RemoveExtra(code));
    }

    private static Command Rewards(CliConsole console)
    {
        var points = new Option<int>("--points") { Description = "What it costs in points (1 to 1000000)", Required = true };
        var data = new Option<string?>("--data") { Description = "The data it gives, e.g. 1GB" };
        var credit = new Option<string?>("--credit") { Description = "The credit it gives, e.g. 5.00" };
        return Group(console, "rewards", "rewards for points", "a reward",
            list: async (services, hall) => (await services.GetRequiredService<IAccounts>().RewardsAsync())
                .Select(r => $"{r.Code,-8} {r.Points,7} points  {(r.Kind == RewardKind.Data ? DataSizes.Name((int)r.Amount) + " data" : Format.Money(r.Amount, hall) + " credit")}"),
            addOptions: [points, data, credit],
            add: (products, code, result) =>
            {
                var cost = result.GetValue(points);
                if (cost is < 1 or > 1_000_000) throw new UsageException($"--points must be a number from 1 to 1000000, not {cost}");
                var (gives, credits) = (result.GetValue(data), result.GetValue(credit));
                if ((gives is null) == (credits is null)) throw new UsageException("a reward gives either --data (e.g. 1GB) or --credit (e.g. 5.00)");
                var mb = 0;
                if (gives is not null && !Size(gives, out mb))
                    throw new UsageException($"--data must be an amount of data like 500MB or 1GB, not '{gives}'");
                return products.SaveReward(gives is not null
                    ? new Reward(code, cost, RewardKind.Data, mb)
                    : new Reward(code, cost, RewardKind.Credit, Cents(credits!, "--credit")));
            },
            remove: (products, code) => products.RemoveReward(code));
    }

    /// <summary>list, add CODE [options], remove CODE for one kind of product.</summary>
    private static Command Group(
        CliConsole console, string name, string plural, string one,
        Func<IServiceProvider, HallOptions, Task<IEnumerable<string>>> list,
        Option[] addOptions,
        Func<IProducts, string, ParseResult, bool> add,
        Func<IProducts, string, bool> remove)
    {
        var listCommand = new Command("list", $"The {plural} there are.");
        listCommand.SetAction(async (result, ct) =>
        {
            using var services = Migrated(console);
            foreach (var line in await list(services, services.GetRequiredService<HallOptions>())) console.Out.WriteLine(line);
            return 0;
        });

        var addCode = new Argument<string>("code") { Description = "Its code: 1 to 12 letters and digits" };
        var addCommand = new Command("add", $"Add {one}, or change the one with that code.") { addCode };
        foreach (var option in addOptions) addCommand.Options.Add(option);
        addCommand.SetAction(result =>
        {
            var code = Code(result.GetValue(addCode)!);
            using var services = Migrated(console);
            var added = add(services.GetRequiredService<IProducts>(), code, result);
            console.Out.WriteLine($"{code}: {(added ? "added" : "changed")}");
            return 0;
        });

        var removeCode = new Argument<string>("code") { Description = "The code of the one to remove" };
        var removeCommand = new Command("remove", $"Remove {one}; offers already made for it are not applied.") { removeCode };
        removeCommand.SetAction(result =>
        {
            var code = Code(result.GetValue(removeCode)!);
            using var services = Migrated(console);
            if (!remove(services.GetRequiredService<IProducts>(), code)) throw new UsageException($"there is no {name[..^1]} {code}");
            console.Out.WriteLine($"{code}: removed");
            return 0;
        });

        return new Command(name, $"The {plural} operators sell: list, add, remove.") { listCommand, addCommand, removeCommand };
    }

    private static ServiceProvider Migrated(CliConsole console)
    {
        var services = Settings.Services(console.Settings);
        services.GetRequiredService<IStorageAdmin>().Migrate();
        return services;
    }

    private static string Code(string code) =>
        code.Length is >= 1 and <= 12 && code.All(char.IsAsciiLetterOrDigit)
            ? code.ToUpperInvariant()
            : throw new UsageException($"a code is 1 to 12 letters and digits, not '{code}'");

    private static long Cents(string amount, string option, bool allowZero = false) =>
        decimal.TryParse(amount, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
        && decimal.Round(value, 2) == value && value <= 1_000_000 && (value > 0 || allowZero && value == 0)
            ? (long)(value * 100)
            : throw new UsageException($"{option} must be an amount like 5.00, not '{amount}'");

    private static bool Size(string written, out int megabytes) =>
        DataSizes.TryRead(Core.Text.TextNormaliser.Normalise(written).Split(' ', StringSplitOptions.RemoveEmptyEntries), out megabytes);

    private static ExtraName Name(string written) =>
        written.IndexOf('=') is 2 && written[..2].All(char.IsAsciiLetterLower) && written[3..].Trim().Length > 0
            ? new ExtraName(written[..2], written[3..].Trim())
            : throw new UsageException($"--name is a language and a name, like en=Ringback tone, not '{written}'");
}
