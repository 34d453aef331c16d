namespace SmsHall.OperatorConsole;

/// <summary>
/// The console's scratch folders in the temp directory: a preview's snapshot and log (full phone
/// numbers) and the simulator's account copies. Only this node's user may read them, and what a
/// crash left behind is swept when a node starts.
/// </summary>
public static class ScratchFolders
{
    private static readonly string[] Kinds = ["preview", "simulator"];

    /// <summary>A new folder's path (not created yet) for <paramref name="kind"/>: "preview" or "simulator".</summary>
    public static string NewPath(string kind) => Path.Combine(Path.GetTempPath(), $"smshall-{kind}-{Guid.NewGuid():N}");

    /// <summary>Creates the folder readable by this user only (the temp directory is everyone's).</summary>
    public static void Create(string path)
    {
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path); // the user's own temp directory there
        else Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>Removes the folder; one that cannot be removed now is logged and left for the next sweep.</summary>
    public static void Delete(string path, ILogger logger)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Could not remove the console's scratch folder {Path}: {Error}", path, e.Message);
        }
    }

    /// <summary>
    /// Removes the scratch folders nothing was written to since <paramref name="before"/>: left by a
    /// node that crashed. Another node on the machine may be using its own, so fresh ones stay.
    /// </summary>
    public static int Sweep(DateTimeOffset before, ILogger logger)
    {
        var removed = 0;
        foreach (var kind in Kinds)
        {
            foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), $"smshall-{kind}-*"))
            {
                try
                {
                    var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(File.GetLastWriteTimeUtc);
                    var last = files.Append(Directory.GetLastWriteTimeUtc(folder)).Max();
                    if (last >= before.UtcDateTime) continue;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    continue; // another user's, or gone meanwhile
                }
                Delete(folder, logger);
                removed++;
            }
        }
        return removed;
    }
}

/// <summary>
/// Sweeps the scratch folders a crash left when the node starts, then removes idle simulator sessions
/// on a timer (not only when someone next texts the simulator).
/// </summary>
public sealed class ConsoleScratch(Simulator simulator, TimeProvider clock, ILogger<ConsoleScratch> logger) : BackgroundService
{
    // Nothing running writes to a folder for a day: a preview writes as it replays, a simulator session is idle after 30 minutes.
    private static readonly TimeSpan Abandoned = TimeSpan.FromDays(1);

    internal TimeSpan Period { get; init; } = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // the node starts without waiting for the sweep
        try
        {
            var removed = ScratchFolders.Sweep(clock.GetUtcNow() - Abandoned, logger);
            if (removed > 0) logger.LogInformation("Removed {Count} scratch folder(s) left by an earlier run", removed);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Could not sweep the temp directory: {Error}", e.Message);
        }
        using var timer = new PeriodicTimer(Period, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) simulator.RemoveIdle();
        }
        catch (OperationCanceledException)
        {
            // The node is stopping.
        }
    }
}
