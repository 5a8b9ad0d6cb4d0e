namespace Tccg.Cli.Tests;

/// <summary>Runs the tccg command tree in-process, capturing its output.</summary>
internal static class CliRunner
{
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    public static async Task<(int Exit, string Out, string Err)> RunAsync(string workDir, params string[] args)
    {
        // The current directory is process-wide (appsettings.json is read from it): one run at a time.
        await OneAtATime.WaitAsync();
        var before = Directory.GetCurrentDirectory();
        try
        {
            Directory.SetCurrentDirectory(workDir);
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var exit = await TccgCli.RunAsync(args, stdout, stderr);
            return (exit, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Directory.SetCurrentDirectory(before);
            OneAtATime.Release();
        }
    }

    public static string NewWorkDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tccg-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
