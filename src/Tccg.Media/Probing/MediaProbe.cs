using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tccg.Media.Processes;
using Tccg.Core.Media;

namespace Tccg.Media.Probing;

/// <summary>Reads <see cref="MediaFacts"/> with ffprobe; every packet is read so truncation shows.</summary>
public sealed class MediaProbe(MediaProcessRunner runner, ILogger<MediaProbe>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<MediaProbe>.Instance;

    public MediaProbe() : this(new MediaProcessRunner()) { }

    /// <summary>Probes a file; throws <see cref="MediaProbeException"/> when it is missing, corrupt, truncated or not media.</summary>
    public async Task<MediaFacts> ProbeAsync(string path, CancellationToken ct)
    {
        RequireSize(path);
        var args = new List<string>(FfprobeParser.Arguments) { "-i", path };
        var result = await runner.RunAsync(runner.Tools.Ffprobe, args, null, captureStdout: true, ct);
        if (result.ExitCode != 0)
        {
            if (_logger.IsEnabled(LogLevel.Debug))
                _logger.LogDebug("ffprobe rejected {Path}: {Stderr}", path, result.StderrTail);
            throw Unreadable(path, result.StderrTail);
        }
        return FfprobeParser.Parse(path, result.Stdout, result.StderrTail);
    }

    /// <summary>The file's size; throws <see cref="MediaProbeException"/> when it is missing or empty (no tool needs to start for that).</summary>
    internal static long RequireSize(string path)
    {
        if (!File.Exists(path))
            throw new MediaProbeException(path, "the file does not exist.");
        var size = new FileInfo(path).Length;
        if (size == 0)
            throw new MediaProbeException(path, "the file is empty.");
        return size;
    }

    /// <summary>The verdict on a file a tool refused to read: its last errors, without the path it repeats.</summary>
    internal static MediaProbeException Unreadable(string path, string stderrTail) =>
        new(path, "not a readable media file ("
            + MediaProcessRunner.LastMeaningfulLines(stderrTail.Replace(path + ": ", "", StringComparison.Ordinal), 2) + ").");
}
