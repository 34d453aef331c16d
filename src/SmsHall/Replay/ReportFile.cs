namespace SmsHall.Replay;

/// <summary>
/// A report file written beside its target and renamed into place once whole: a report that fails
/// midway leaves nothing behind, and one that cannot be written at all says which file in one line.
/// </summary>
internal static class ReportFile
{
    public static void Write(string path, Action<Stream> write)
    {
        var partial = path + ".partial";
        try
        {
            using (var stream = new FileStream(partial, FileMode.Create, FileAccess.Write))
            {
                write(stream);
            }
            File.Move(partial, path, overwrite: true);
        }
        catch (Exception e)
        {
            Delete(partial);
            // The CLI turns an IOException into one line and exit 1; anything else is a bug and keeps its trace.
            if (e is IOException or UnauthorizedAccessException) throw new IOException($"{path}: the report cannot be written: {e.Message}", e);
            throw;
        }
    }

    private static void Delete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing was written there, or it cannot be removed either; the error that matters is the first.
        }
    }
}
