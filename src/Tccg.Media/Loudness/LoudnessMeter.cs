using Tccg.Media.Processes;
using Tccg.Media.Probing;

namespace Tccg.Media.Loudness;

/// <summary>
/// Measures EBU R128 integrated loudness with ffmpeg's <c>ebur128</c> filter (one pass, about a third of the
/// CPU of <c>loudnorm</c>, the same integrated value). The peak is the sample peak, not the 4x oversampled true
/// peak: nothing downstream reads a measured peak (the renderer gains by integrated loudness and limits its
/// output at <c>Tccg:Generator:TruePeakDb</c> itself), and true peak costs another quarter of the pass.
/// </summary>
public sealed class LoudnessMeter(MediaProcessRunner runner)
{
    /// <summary>The audio view every measurement uses: the renderer's 48 kHz stereo, so mono clips measure as they will sound.</summary>
    public const string RenderedAudioView = "aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo";

    /// <summary>The meter's options; per-frame lines go to the verbose log so stderr carries only the summary.</summary>
    private const string MeterOptions = "peak=sample:framelog=verbose";

    /// <summary>The measuring filter.</summary>
    public const string Filter = RenderedAudioView + ",ebur128=" + MeterOptions;

    /// <summary>
    /// <see cref="Filter"/> with the meter named <c>ebur128@<paramref name="instance"/></c>, so the summaries of
    /// several meters in one run can be told apart by their log prefix <c>[ebur128@instance @ 0x…]</c>.
    /// </summary>
    public static string NamedFilter(string instance) => RenderedAudioView + "," + NamedMeter(instance);

    /// <summary>The meter alone, named <c>ebur128@<paramref name="instance"/></c> (summary only, as in <see cref="NamedFilter"/>).</summary>
    public static string NamedMeter(string instance) => "ebur128@" + instance + "=" + MeterOptions;

    public LoudnessMeter() : this(new MediaProcessRunner()) { }

    /// <summary>
    /// The loudness of the file's first audio stream as the renderer plays it. Files without audio measure as
    /// silence. Throws <see cref="MediaProbeException"/> when the file cannot be read.
    /// </summary>
    public async Task<LoudnessMeasurement> MeasureAsync(string path, CancellationToken ct)
    {
        if (!File.Exists(path))
            throw new MediaProbeException(path, "the file does not exist.");
        string[] args =
        [
            "-hide_banner", "-nostats", "-nostdin", "-i", path,
            "-map", "0:a:0?", "-vn", "-sn", "-dn",
            "-af", Filter,
            "-f", "null", "-",
        ];
        var result = await runner.RunAsync(runner.Tools.Ffmpeg, args, null, captureStdout: false, ct);
        // No audio stream: the optional map selects nothing, so ffmpeg has no output stream.
        if (result.ExitCode != 0 && result.StderrTail.Contains("does not contain any stream", StringComparison.Ordinal))
            return LoudnessMeasurement.Silence;
        if (result.ExitCode != 0)
            throw new MediaProbeException(path, "loudness could not be measured (" + MediaProcessRunner.LastMeaningfulLines(result.StderrTail, 2) + ").");
        return Ebur128SummaryParser.Parse(result.StderrTail);
    }
}
