using System.Text;

namespace SmsHall.Core.Catalogue;

/// <summary>
/// Reads commands.md as an operator may have left it: too large to be a catalogue (a wrong file
/// copied over it), not UTF-8, missing or unreadable. Each ends in a problem naming the file and,
/// where there is one, the line; never in running out of memory or in replies with U+FFFD in them.
/// </summary>
public static class CatalogueFile
{
    /// <summary>The largest catalogue read unless Catalogue:MaxBytes says otherwise: a megabyte, about 35 times today's.</summary>
    public const int DefaultMaxBytes = 1_048_576;

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The file's text, or the one problem that keeps it from being read.</summary>
    public static (string? Text, CatalogueProblem? Problem) Read(string path, int maxBytes = DefaultMaxBytes)
    {
        byte[] bytes;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            // Read at most one byte past the cap, whatever the file claims its length is.
            var buffer = new byte[Math.Min((long)maxBytes + 1, Math.Max(file.Length, 0) + 1)];
            var read = file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            if (read > maxBytes || (read == buffer.Length && file.ReadByte() >= 0))
                return (null, new CatalogueProblem(path, 0,
                    $"the file is larger than Catalogue:MaxBytes ({maxBytes:N0} bytes); it is not read", Severity.Error));
            bytes = buffer[..read];
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return (null, new CatalogueProblem(path, 0, "file not found"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, new CatalogueProblem(path, 0, $"the file cannot be read: {e.Message}"));
        }

        try
        {
            var text = Strict.GetString(bytes);
            return (text.StartsWith('\uFEFF') ? text[1..] : text, null);
        }
        catch (DecoderFallbackException e)
        {
            var at = Math.Clamp(e.Index, 0, bytes.Length);
            var line = 1 + bytes.AsSpan(0, at).Count((byte)'\n');
            return (null, new CatalogueProblem(path, line, "not valid UTF-8 (save the file as UTF-8)"));
        }
    }
}
