namespace SmsHall;

/// <summary>Files a command writes, written whole or not at all.</summary>
public static class WholeFile
{
    /// <summary>
    /// Writes into a temporary file beside <paramref name="path"/> and renames it over the target at
    /// the end, so a failure part-way leaves no half-written file and the old one, if any, as it was.
    /// A file that cannot be written is an <see cref="IOException"/> naming it (one line, exit 1, in the CLI).
    /// </summary>
    public static void Write(string path, Action<string> writeTo)
    {
        var partial = $"{path}.{Guid.NewGuid():N}.partial";
        try
        {
            writeTo(partial);
            File.Move(partial, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{path}: the file cannot be written: {e.Message}", e);
        }
        finally
        {
            try
            {
                File.Delete(partial);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Nothing was written there, or it cannot be removed either; the error that matters is the first.
            }
        }
    }

    public static void Write(string path, Action<Stream> write) =>
        Write(path, partial =>
        {
            using var stream = new FileStream(partial, FileMode.Create, FileAccess.Write);
            write(stream);
        });
}
