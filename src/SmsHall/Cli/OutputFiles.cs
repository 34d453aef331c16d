namespace SmsHall.Cli;

/// <summary>
/// The files one command writes (--out, --keep-db, --html, --junit), checked before anything is
/// written: none may be the live database or the snapshot the command reads (not even with
/// --force), and none may be another SQLite database, an input of the command or another output
/// unless the operator says --force. Paths are compared after links are followed, and a database's
/// -wal, -shm and -journal files count as the database.
/// </summary>
public sealed class OutputFiles(bool force)
{
    private readonly List<(string Path, string What)> _never = [];
    private readonly List<(string Path, string What)> _inputs = [];
    private readonly List<(string Path, string Option)> _outputs = [];

    /// <summary>A file nothing may be written over: the live database, a snapshot being read.</summary>
    public OutputFiles Protect(string path, string what)
    {
        _never.Add((RealPath(path), what));
        return this;
    }

    /// <summary>A file the command reads: written over only with --force.</summary>
    public OutputFiles Input(string path, string what)
    {
        _inputs.Add((RealPath(path), what));
        return this;
    }

    /// <summary>Checks an output before anything is written; throws <see cref="UsageException"/> (exit 2) when it may not be written.</summary>
    public void Check(string? output, string option)
    {
        if (output is null) return;
        var path = RealPath(output);
        foreach (var (never, what) in _never)
        {
            if (SameDatabase(path, never)) throw new UsageException($"{option} {output} is {what}; nothing is ever written over it, not even with --force");
        }
        foreach (var (other, otherOption) in _outputs)
        {
            if (path == other) throw new UsageException($"{option} {output} is also given to {otherOption}; give each output its own file");
        }
        _outputs.Add((path, option));
        if (force) return;
        foreach (var (input, what) in _inputs)
        {
            if (path == input) throw new UsageException($"{option} {output} is {what}; give another file, or --force to write over it");
        }
        if (IsSqliteDatabase(path))
            throw new UsageException($"{option} {output} is an SQLite database; give another file, or --force to replace it");
    }

    private static bool SameDatabase(string path, string database) =>
        path == database || path == database + "-wal" || path == database + "-shm" || path == database + "-journal";

    private static bool IsSqliteDatabase(string path)
    {
        var header = "SQLite format 3\0"u8;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            Span<byte> start = stackalloc byte[16];
            return file.ReadAtLeast(start, 16, throwOnEndOfStream: false) == 16 && start.SequenceEqual(header);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or IOException)
        {
            return false; // a file that cannot be read here is not known to be a database; writing it will say what is wrong
        }
    }

    /// <summary>The absolute path with every link along it followed, so two names of one file compare equal.</summary>
    private static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var real = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            real = Path.Combine(real, part);
            FileSystemInfo info = Directory.Exists(real) ? new DirectoryInfo(real) : new FileInfo(real);
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
                real = RealPath(target.FullName);
        }
        return real;
    }
}
