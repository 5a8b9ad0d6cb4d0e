using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tccg.Media.Processes;

namespace Tccg.Media.Probing;

/// <summary>Reads <see cref="MediaFacts"/> with ffprobe; every packet is read so truncation shows.</summary>
public sealed class MediaProbe(MediaProcessRunner runner, ILogger<MediaProbe>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<MediaProbe>.Instance;

    public MediaProbe() : this(new MediaProcessRunner()) { }

    /// <summary>Probes a file; throws <see cref="MediaProbeException"/> when it is missing, corrupt, truncated or not media.</summary>
    public async Task<MediaFacts> ProbeAsync(string path, CancellationToken ct)
    {
        if (!File.Exists(path))
            throw new MediaProbeException(path, "the file does not exist.");
        if (new FileInfo(path).Length == 0)
            throw new MediaProbeException(path, "the file is empty.");

        var args = new List<string>(FfprobeParser.Arguments) { "-i", path };
        var result = await runner.RunAsync(runner.Tools.Ffprobe, args, null, captureStdout: true, ct);
        if (result.ExitCode != 0)
        {
            if (_logger.IsEnabled(LogLevel.Debug))
                _logger.LogDebug("ffprobe rejected {Path}: {Stderr}", path, result.StderrTail);
            throw new MediaProbeException(path, "not a readable media file (" + MediaProcessRunner.LastMeaningfulLines(StripPath(result.StderrTail, path), 2) + ").");
        }
        return FfprobeParser.Parse(path, result.Stdout, result.StderrTail);
    }

    private static string StripPath(string stderr, string path) =>
        stderr.Replace(path + ": ", "", StringComparison.Ordinal);
}
