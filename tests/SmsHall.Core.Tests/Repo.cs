using SmsHall.Core.Catalogue;
using SmsHall.Core.Grammar;
using SmsHall.Core.Ports;

namespace SmsHall.Core.Tests;

/// <summary>The repository's own files, found by walking up to SmsHall.sln.</summary>
internal static class Repo
{
    public static readonly string Root = FindRoot();

    public static string CommandsMd => Path.Combine(Root, "commands.md");

    /// <summary>The real catalogue the gateway ships with.</summary>
    public static CommandCatalogue Catalogue => Shipped.Value;

    /// <summary>The demo database's plans, extras, packs and rewards, which the grammar knows by name.</summary>
    public static readonly KnownNames Names = new(
        [.. DemoData.Plans.Select(p => p.Code)],
        DemoData.Extras.SelectMany(e => e.Names.Select(n => n.Name).Prepend(e.Code)),
        DemoData.Packs.Select(p => p.Code),
        DemoData.Rewards.Select(r => r.Code));

    /// <summary>What the shipped catalogue makes of a message on a given day.</summary>
    public static Understanding Understand(string text, DateOnly today) => CommandGrammar.Understand(text, Catalogue, Names, today);

    private static readonly Lazy<CommandCatalogue> Shipped = new(() => CommandCatalogue.Load(CommandsMd));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SmsHall.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("SmsHall.sln not found above " + AppContext.BaseDirectory);
    }
}
