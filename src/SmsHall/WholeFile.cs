namespace SmsHall;

/// <summary>Files written whole or not at all.</summary>
public static class WholeFile
{
    /// <summary>
    /// Writes into a temporary file beside <paramref name="path"/> and renames it over the target at
    /// the end, so a failure part-way leaves no half-written file and the old one, if any, as it was.
    /// </summary>
    public static void Write(string path, Action<string> write)
    {
        var partial = $"{path}.{Guid.NewGuid():N}.partial";
        try
        {
            write(partial);
            File.Move(partial, path, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }
}
