using System.Security.Cryptography;
using System.Text;

namespace SmsHall.Core.Catalogue;

/// <summary>A catalogue that passed its check, as stored: its number, the hash and text, where it came from and when.</summary>
public sealed record CatalogueVersion(long Number, string Hash, string Text, string Source, DateTimeOffset LoadedAt)
{
    /// <summary>Where a version read from the catalogue file says it came from.</summary>
    public const string FromFile = "file";

    /// <summary>The hash versions are compared by: SHA-256 of the UTF-8 text, in hex.</summary>
    public static string HashOf(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

/// <summary>
/// Every catalogue that passed its check, kept durably, so a node starts from the last good one
/// even when the file on disk is broken, missing or was never there.
/// </summary>
public interface ICatalogueVersions
{
    /// <summary>The newest stored version, or null when none is (or there is no database yet).</summary>
    CatalogueVersion? Latest();

    /// <summary>The newest version that came from <paramref name="source"/>, or null.</summary>
    CatalogueVersion? LatestFrom(string source);

    /// <summary>Stores a new version and returns it, numbered.</summary>
    CatalogueVersion Store(string text, string source, DateTimeOffset at);
}
