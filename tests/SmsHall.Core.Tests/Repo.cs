using SmsHall.Core.Catalogue;

namespace SmsHall.Core.Tests;

/// <summary>The repository's own files, found by walking up to SmsHall.sln.</summary>
internal static class Repo
{
    public static readonly string Root = FindRoot();

    public static string CommandsMd => Path.Combine(Root, "commands.md");

    /// <summary>The real catalogue the gateway ships with.</summary>
    public static CommandCatalogue Catalogue => Shipped.Value;

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
