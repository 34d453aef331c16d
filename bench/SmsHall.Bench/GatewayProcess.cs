using System.Diagnostics;

namespace SmsHall.Bench;

/// <summary>
/// A real <c>smshall serve</c> process, as it runs in production, with its output appended to a log
/// file. <see cref="Kill"/> is SIGKILL: nothing is finished, flushed or said goodbye to.
/// </summary>
public sealed class GatewayProcess : IDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private bool _disposed;

    private GatewayProcess(Process process) => _process = process;

    /// <summary>Starts <c>dotnet smshall.dll serve</c> on <paramref name="url"/> and waits for its first 200 on /health.</summary>
    public static async Task<GatewayProcess> StartAsync(string smshallDll, string url, IEnumerable<string> settings, TextWriter log)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { smshallDll, "serve", $"--urls={url}" }.Concat(settings)) start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var gateway = new GatewayProcess(process);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var started = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"the gateway exited with code {process.ExitCode} on start; see the log");
            try
            {
                using var health = await http.GetAsync(url + "/health");
                if (health.IsSuccessStatusCode) return gateway;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            if (started.Elapsed > StartLimit)
            {
                gateway.Kill();
                throw new TimeoutException($"the gateway did not answer /health within {StartLimit.TotalSeconds:0} s; see the log");
            }
            await Task.Delay(50);
        }
    }

    public void Kill()
    {
        if (_disposed || _process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _disposed = true;
        _process.Dispose();
    }

    // Output comes on two threads; the log is shared with the process that replaces a killed one.
    private static void Write(TextWriter log, string? line)
    {
        if (line is null) return;
        lock (log) log.WriteLine(line);
    }
}
