using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using SmsHall.Core.Ports;

namespace SmsHall.OperatorConsole;

/// <summary>
/// Data Protection's key ring in the database. A node that meets a cookie signed with a key it has
/// not read yet reads the ring again, so a key made by another node is found. The store is taken
/// at first use: Razor Pages make the key manager while the app is built, before the settings
/// (the database's among them) are checked and can be reported in one line.
/// </summary>
public sealed class DatabaseKeyRing(Func<IKeyRingStore> store) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() => store().All().Select(x => XElement.Parse(x)).ToList();

    public void StoreElement(XElement element, string friendlyName) => store().Add(friendlyName, element.ToString(SaveOptions.DisableFormatting));
}
