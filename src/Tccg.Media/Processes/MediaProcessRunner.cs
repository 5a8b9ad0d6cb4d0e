using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Tccg.Media.Processes;

/// <summary>
/// Runs ffmpeg and ffprobe: arguments through <see cref="ProcessStartInfo.ArgumentList"/> (no shell
/// quoting), stdout and stderr both drained so the child never blocks on a full pipe, the whole
/// process tree killed on cancellation, and the tail of stderr kept for error messages.
/// </summary>
public sealed class MediaProcessRunner(MediaTools tools, ILogger<MediaProcessRunner>? logger = null)
{
    private const int TailLines = 60;
    private readonly ILogger _logger = logger ?? NullLogger<MediaProcessRunner>.Instance;

    public MediaTools Tools { get; } = tools;

    public MediaProcessRunner() : this(MediaTools.Default) { }

    /// <summary>Runs ffmpeg; throws <see cref="MediaToolException"/> with the stderr tail on a non-zero exit.</summary>
    public Task<ProcessResult> FfmpegAsync(IReadOnlyList<string> args, Action<string>? onStdoutLine, CancellationToken ct) =>
        RunCheckedAsync(Tools.Ffmpeg, args, onStdoutLine, captureStdout: false, ct);

    /// <summary>Runs ffprobe capturing stdout; throws <see cref="MediaToolException"/> on a non-zero exit.</summary>
    public Task<ProcessResult> FfprobeAsync(IReadOnlyList<string> args, CancellationToken ct) =>
        RunCheckedAsync(Tools.Ffprobe, args, null, captureStdout: true, ct);

    /// <summary>As <see cref="FfmpegAsync(IReadOnlyList{string}, Action{string}?, CancellationToken)"/>, keeping the last <paramref name="stderrLines"/> lines of stderr.</summary>
    public Task<ProcessResult> FfmpegAsync(IReadOnlyList<string> args, Action<string>? onStdoutLine, int stderrLines, CancellationToken ct) =>
        RunCheckedAsync(Tools.Ffmpeg, args, onStdoutLine, captureStdout: false, ct, stderrLines);

    public async Task<ProcessResult> RunCheckedAsync(string exe, IReadOnlyList<string> args, Action<string>? onStdoutLine, bool captureStdout, CancellationToken ct,
        int stderrLines = TailLines)
    {
        var result = await RunAsync(exe, args, onStdoutLine, captureStdout, stderrLines, ct);
        if (result.ExitCode != 0)
        {
            var name = Path.GetFileName(exe);
            throw new MediaToolException(
                $"{name} exited with code {result.ExitCode}: {LastMeaningfulLines(result.StderrTail, 8)}",
                result.ExitCode, result.StderrTail, result.CommandLine);
        }
        return result;
    }

    /// <summary>Runs a process to completion; cancellation kills its whole tree and throws <see cref="OperationCanceledException"/>.</summary>
    public Task<ProcessResult> RunAsync(string exe, IReadOnlyList<string> args, Action<string>? onStdoutLine, bool captureStdout, CancellationToken ct) =>
        RunAsync(exe, args, onStdoutLine, captureStdout, TailLines, ct);

    /// <summary>As above, keeping the last <paramref name="stderrLines"/> lines of stderr (for parsers that read its start too).</summary>
    public async Task<ProcessResult> RunAsync(string exe, IReadOnlyList<string> args, Action<string>? onStdoutLine, bool captureStdout, int stderrLines, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        var commandLine = FormatCommandLine(exe, args);
        if (_logger.IsEnabled(LogLevel.Debug))
            _logger.LogDebug("Running {CommandLine}", commandLine);

        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new MediaToolException($"Could not start {exe}: {ex.Message}. Is it installed (scripts/install-deps.sh)?", ex);
        }
        process.StandardInput.Close();

        var stdout = new StringBuilder();
        var tail = new Queue<string>();
        var stdoutTask = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync(CancellationToken.None) is { } line)
            {
                if (captureStdout)
                    stdout.Append(line).Append('\n');
                onStdoutLine?.Invoke(line);
            }
        }, CancellationToken.None);
        var stderrTask = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync(CancellationToken.None) is { } line)
            {
                lock (tail)
                {
                    tail.Enqueue(line);
                    if (tail.Count > stderrLines)
                        tail.Dequeue();
                }
            }
        }, CancellationToken.None);

        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            await process.WaitForExitAsync(CancellationToken.None);
            await Task.WhenAll(stdoutTask, stderrTask);
            if (_logger.IsEnabled(LogLevel.Debug))
                _logger.LogDebug("Cancelled {CommandLine}", commandLine);
            throw;
        }

        await Task.WhenAll(stdoutTask, stderrTask);
        string tailText;
        lock (tail)
            tailText = string.Join('\n', tail);
        return new ProcessResult(process.ExitCode, stdout.ToString(), tailText, commandLine);
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
    }

    /// <summary>The last few non-empty lines of a stderr tail, joined for a one-line message.</summary>
    public static string LastMeaningfulLines(string stderrTail, int count)
    {
        var lines = stderrTail.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "(no output)" : string.Join(" | ", lines.TakeLast(count));
    }

    /// <summary>A shell-quoted command line (for logs and the benchmark's printed baseline command).</summary>
    public static string FormatCommandLine(string exe, IEnumerable<string> args) =>
        string.Join(' ', new[] { exe }.Concat(args).Select(Quote));

    private static string Quote(string a) =>
        a.Length > 0 && a.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=+,@%".Contains(c, StringComparison.Ordinal))
            ? a
            : "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
