using Tccg.Media.Processes;
using Tccg.Media.Probing;

namespace Tccg.Media.Loudness;

/// <summary>Measures EBU R128 integrated loudness and true peak with ffmpeg's loudnorm filter.</summary>
public sealed class LoudnessMeter(MediaProcessRunner runner)
{
    public LoudnessMeter() : this(new MediaProcessRunner()) { }

    /// <summary>
    /// The loudness of the file's first audio stream as the renderer plays it (resampled to 48 kHz
    /// stereo, so mono clips measure as they will sound). Files without audio measure as silence.
    /// Throws <see cref="MediaProbeException"/> when the file cannot be read.
    /// </summary>
    public async Task<LoudnessMeasurement> MeasureAsync(string path, CancellationToken ct)
    {
        if (!File.Exists(path))
            throw new MediaProbeException(path, "the file does not exist.");
        string[] args =
        [
            "-hide_banner", "-nostats", "-nostdin", "-i", path,
            "-map", "0:a:0?", "-vn", "-sn", "-dn",
            "-af", "aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,loudnorm=print_format=json",
            "-f", "null", "-",
        ];
        var result = await runner.RunAsync(runner.Tools.Ffmpeg, args, null, captureStdout: false, ct);
        // No audio stream: the optional map selects nothing, so ffmpeg has no output stream.
        if (result.ExitCode != 0 && result.StderrTail.Contains("does not contain any stream", StringComparison.Ordinal))
            return LoudnessMeasurement.Silence;
        if (result.ExitCode != 0)
            throw new MediaProbeException(path, "loudness could not be measured (" + MediaProcessRunner.LastMeaningfulLines(result.StderrTail, 2) + ").");
        return LoudnormParser.Parse(result.StderrTail);
    }
}
