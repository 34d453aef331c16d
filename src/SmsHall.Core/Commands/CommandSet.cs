using System.Collections.Frozen;
using System.Collections.Immutable;
using SmsHall.Core.Grammar;

namespace SmsHall.Core.Commands;

/// <summary>
/// Every command the hall knows: each <see cref="CommandDefinition"/> in this assembly, found once
/// when the hall starts. Adding a command is adding a definition in its own folder (and its
/// catalogue section); nothing here changes.
/// </summary>
public static class CommandSet
{
    public static readonly ImmutableArray<CommandDefinition> All =
    [
        .. typeof(CommandDefinition).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsClass: true } && t.IsSubclassOf(typeof(CommandDefinition)))
            .Select(t => (CommandDefinition)Activator.CreateInstance(t)!)
            .OrderBy(d => d.Name, StringComparer.Ordinal),
    ];

    private static readonly FrozenDictionary<Type, CommandDefinition> ByRecord = All.ToFrozenDictionary(d => d.Record);

    private static readonly FrozenDictionary<string, CommandDefinition> ByName = All.ToFrozenDictionary(d => d.Name, StringComparer.Ordinal);

    /// <summary>The definition that handles a command.</summary>
    public static CommandDefinition For(Command command) =>
        ByRecord.TryGetValue(command.GetType(), out var definition)
            ? definition
            : throw new ArgumentOutOfRangeException(nameof(command), command.Name, "no definition handles this command");

    /// <summary>The definition a catalogue section describes, or null if it describes none.</summary>
    public static CommandDefinition? Of(string section) =>
        ByName.TryGetValue(section, out var named) && named.Describes(section) ? named : All.FirstOrDefault(d => d.Describes(section));

    public static CommandKind KindOf(string section) => Of(section)?.Kind ?? CommandKind.NoKeywords;

    private static readonly FrozenDictionary<string, IOffering> ByAction =
        All.OfType<IOffering>().ToFrozenDictionary(o => o.Action, StringComparer.Ordinal);

    /// <summary>The command that made offers under this action, or null if none does (an offer of another version).</summary>
    public static IOffering? Offering(string action) => ByAction.GetValueOrDefault(action);
}
