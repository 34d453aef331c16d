namespace SmsHall.Core.Catalogue;

/// <summary>
/// Holds the catalogue in force. A message reads <see cref="Current"/> once and uses that snapshot
/// throughout, so a catalogue swapped in mid-message never mixes with the old one.
/// </summary>
public sealed class CatalogueSource(CommandCatalogue initial)
{
    private volatile CommandCatalogue _current = initial;

    public CommandCatalogue Current => _current;

    public void Replace(CommandCatalogue catalogue) => _current = catalogue;
}
