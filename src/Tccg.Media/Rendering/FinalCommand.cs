using System.Globalization;
using System.Text;
using Tccg.Core.Timeline;

namespace Tccg.Media.Rendering;

/// <summary>A segment's audio file and the gain (loudness to target, times the item's volume) it is joined with.</summary>
public sealed record AudioPart(string Path, double GainDb, bool Mute);

/// <summary>A music track with its measured loudness.</summary>
public sealed record MusicTrack(string Path, double Duration, double GainDb);

/// <summary>
/// Pure planner for the last steps: the segment audio joined sample-exactly (concat of PCM WAVs) and mixed with the
/// music (chained and repeated to cover the video, ducked under the clips), limited to the true-peak ceiling and
/// encoded once to AAC (<see cref="BuildAudio"/>, while the pictures still encode); then the stream-copy concat of
/// the segment videos muxed with that sound, <c>+faststart</c> (<see cref="BuildMux"/>). When no picture is encoding
/// both happen in one pass (<see cref="Build"/>).
/// </summary>
public static class FinalCommand
{
    /// <summary>A concat-demuxer list file (<c>file '…'</c> lines, quotes escaped).</summary>
    public static string ConcatList(IEnumerable<string> files)
    {
        var sb = new StringBuilder("ffconcat version 1.0\n");
        foreach (var f in files)
            sb.Append("file '").Append(f.Replace("'", "'\\''", StringComparison.Ordinal)).Append("'\n");
        return sb.ToString();
    }

    private static readonly string[] Head = ["-hide_banner", "-nostdin", "-v", "error", "-y", "-progress", "pipe:1", "-nostats"];

    /// <summary>The compilation's sound, mixed and encoded to AAC in an MP4 file of its own (<paramref name="outputFile"/>).</summary>
    public static List<string> BuildAudio(IReadOnlyList<AudioPart> audio, long totalSamples, IReadOnlyList<MusicTrack> music,
        MusicSettings musicSettings, OutputSettings output, string outputFile)
    {
        var (inputs, graph) = Mix(audio, totalSamples, music, musicSettings, output);
        return [.. Head, .. inputs, "-filter_complex", graph, "-map", "[aout]", "-vn", "-sn", "-dn", .. Aac(output),
            "-map_metadata", "-1", "-f", "mp4", outputFile];
    }

    /// <summary>
    /// The output in one pass, when no picture is being encoded (a music or volume change): the segment videos
    /// (<paramref name="videoList"/>) stream-copied, the sound mixed and encoded as in <see cref="BuildAudio"/>, <c>+faststart</c>.
    /// </summary>
    public static List<string> Build(string videoList, IReadOnlyList<AudioPart> audio, long totalSamples, IReadOnlyList<MusicTrack> music,
        MusicSettings musicSettings, OutputSettings output, string outputFile)
    {
        var (inputs, graph) = Mix(audio, totalSamples, music, musicSettings, output);
        var video = inputs.Count(a => a == "-i").ToString(CultureInfo.InvariantCulture);
        return [.. Head, .. inputs, "-f", "concat", "-safe", "0", "-i", videoList, "-filter_complex", graph,
            "-map", video + ":v:0", "-map", "[aout]", "-c:v", "copy", .. Aac(output),
            "-movflags", "+faststart", "-map_metadata", "-1", "-f", "mp4", outputFile];
    }

    private static string[] Aac(OutputSettings output) =>
        ["-c:a", "aac", "-b:a", $"{output.AudioBitrateKbps.ToString(CultureInfo.InvariantCulture)}k", "-ar", SegmentSpec.SampleRate.ToString(CultureInfo.InvariantCulture), "-ac", "2"];

    /// <summary>The mix's inputs (segment WAVs, then music) and its filtergraph, whose output is <c>[aout]</c>.</summary>
    private static (List<string> Inputs, string Graph) Mix(IReadOnlyList<AudioPart> audio, long totalSamples, IReadOnlyList<MusicTrack> music,
        MusicSettings musicSettings, OutputSettings output)
    {
        var args = new List<string>();
        var n = totalSamples.ToString(CultureInfo.InvariantCulture);
        var sr = SegmentSpec.SampleRate.ToString(CultureInfo.InvariantCulture);
        var fmt = $"aformat=sample_fmts=fltp:sample_rates={sr}:channel_layouts=stereo";
        var graph = new List<string>();
        var parts = new StringBuilder();
        for (var i = 0; i < audio.Count; i++)
        {
            args.AddRange(["-i", audio[i].Path]);
            var gain = audio[i].Mute ? "0" : FilterEscaping.Num(Math.Round(audio[i].GainDb, 2)) + "dB";
            var label = $"s{i.ToString(CultureInfo.InvariantCulture)}";
            graph.Add($"[{i.ToString(CultureInfo.InvariantCulture)}:a:0]{fmt},volume={gain}[{label}]");
            parts.Append('[').Append(label).Append(']');
        }
        graph.Add($"{parts}concat=n={audio.Count.ToString(CultureInfo.InvariantCulture)}:v=0:a=1[speechcat]");
        var first = audio.Count;
        var limit = FilterEscaping.Num(Math.Pow(10, output.TruePeakDb / 20));
        // Lookahead limiter with delay compensation (latency=1) keeps the sound where it was.
        var limiter = $"alimiter=limit={limit}:attack=5:release=50:level=0:latency=1";

        var sequence = MusicSequence(music, (double)totalSamples / SegmentSpec.SampleRate);
        if (sequence.Count == 0 || musicSettings.Volume <= 0)
        {
            graph.Add($"[speechcat]{fmt},{limiter},apad=whole_len={n},atrim=end_sample={n}[aout]");
        }
        else
        {
            var labels = new StringBuilder();
            for (var i = 0; i < sequence.Count; i++)
            {
                args.AddRange(["-i", sequence[i].Path]);
                var gain = FilterEscaping.Num(Math.Round(sequence[i].GainDb + AudioRules.VolumeDb(musicSettings.Volume), 2));
                graph.Add($"[{(i + first).ToString(CultureInfo.InvariantCulture)}:a:0]aresample={sr},{fmt},volume={gain}dB[m{i.ToString(CultureInfo.InvariantCulture)}]");
                labels.Append(CultureInfo.InvariantCulture, $"[m{i}]");
            }
            graph.Add($"{labels}concat=n={sequence.Count.ToString(CultureInfo.InvariantCulture)}:v=0:a=1,apad=whole_len={n},atrim=end_sample={n}[music]");
            if (musicSettings.Duck)
            {
                graph.Add($"[speechcat]{fmt},asplit=2[speech][key]");
                graph.Add($"[music][key]sidechaincompress={AudioRules.DuckFilterOptions}[ducked]");
                graph.Add($"[speech][ducked]amix=inputs=2:duration=first:dropout_transition=0:normalize=0,{limiter},apad=whole_len={n},atrim=end_sample={n}[aout]");
            }
            else
            {
                graph.Add($"[speechcat]{fmt}[speech]");
                graph.Add($"[speech][music]amix=inputs=2:duration=first:dropout_transition=0:normalize=0,{limiter},apad=whole_len={n},atrim=end_sample={n}[aout]");
            }
        }

        return (args, string.Join(';', graph));
    }

    /// <summary>
    /// The output: the segment videos (<paramref name="videoList"/>, a <see cref="ConcatList"/>) and the sound of
    /// <see cref="BuildAudio"/>, both stream-copied (the AAC priming edit list is carried over), <c>+faststart</c>.
    /// </summary>
    public static List<string> BuildMux(string videoList, string audioFile, string outputFile) =>
    [
        .. Head,
        "-f", "concat", "-safe", "0", "-i", videoList, "-i", audioFile,
        "-map", "0:v:0", "-map", "1:a:0", "-c", "copy",
        "-movflags", "+faststart", "-map_metadata", "-1", "-f", "mp4", outputFile,
    ];

    /// <summary>The tracks in order, repeated until they cover <paramref name="seconds"/>.</summary>
    public static List<MusicTrack> MusicSequence(IReadOnlyList<MusicTrack> tracks, double seconds)
    {
        var list = new List<MusicTrack>();
        var usable = tracks.Where(t => t.Duration > 0.1).ToList();
        if (usable.Count == 0)
            return list;
        var covered = 0.0;
        while (covered < seconds)
        {
            foreach (var t in usable)
            {
                list.Add(t);
                covered += t.Duration;
                if (covered >= seconds)
                    break;
            }
        }
        return list;
    }
}
