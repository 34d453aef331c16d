using System.Diagnostics;
using System.Text;

namespace SmsHall.Tests;

/// <summary>The smshall executable serving on a port, as it runs in production.</summary>
public sealed class GatewayProcess
{
    private readonly Process _process;

    private GatewayProcess(Process process) => _process = process;

    /// <summary>A node in Rest mode against the Twilio stand-in.</summary>
    public static Task<GatewayProcess> StartAsync(string url, string node, string[] database, TwilioStandIn twilio, StringBuilder log) =>
        StartAsync(url, node, [.. database, "--Outbox:Concurrency=16", .. RestGateway.Settings(twilio, url)], log);

    /// <summary>Starts <c>smshall serve</c> on <paramref name="url"/> with these settings (later ones win), and waits until /health answers.</summary>
    public static async Task<GatewayProcess> StartAsync(string url, string node, string[] settings, StringBuilder log)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Repo.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        string[] args =
        [
            Path.Combine(AppContext.BaseDirectory, "smshall.dll"), "serve",
            $"--urls={url}",
            $"--Catalogue:Path={Repo.CommandsMd}",
            $"--Twilio:AuthToken={TestGateway.AuthToken}",
            "--Hall:RateLimitMessages=10000",
            $"--Outbox:NodeName={node}",
            "--Logging:LogLevel:Default=Warning",
            .. settings,
        ];
        foreach (var arg in args) start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            Assert.False(process.HasExited, $"the gateway exited: {log}");
            try
            {
                using var health = await http.GetAsync(url + "/health");
                if (health.IsSuccessStatusCode) return new GatewayProcess(process);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            Assert.True(DateTime.UtcNow < deadline, $"the gateway did not start: {log}");
            await Task.Delay(100);
        }
    }

    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true); // SIGKILL: nothing is finished, flushed or said goodbye to
        _process.WaitForExit();
    }
}
