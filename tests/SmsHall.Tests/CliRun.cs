namespace SmsHall.Tests;

/// <summary>The smshall command line run in-process, with what it printed and its exit code.</summary>
internal static class CliRun
{
    /// <summary>Runs <paramref name="args"/> after the test's own <paramref name="settings"/> (later settings win).</summary>
    public static async Task<(int Exit, string Out, string Err)> RunAsync(IEnumerable<string> settings, string stdin, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await Cli.Cli.RunAsync([.. settings, .. args], stdout, stderr, new StringReader(stdin));
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
