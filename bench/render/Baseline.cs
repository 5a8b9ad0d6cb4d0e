using System.Globalization;
using System.Text.RegularExpressions;
using Tccg.Core.Configuration;
using Tccg.Core.Timeline;
using Tccg.Media.Loudness;
using Tccg.Media.Probing;
using Tccg.Media.Rendering;

namespace Tccg.Bench.Render;

/// <summary>
/// The baseline: one ffmpeg command with one filtergraph doing the same trims, scaling, frame rate,
/// overlays, layouts (crops, stacking, blurred fills), loudness gains and volumes, concat and music mix, encoded in one pass.
/// </summary>
internal static partial class Baseline
{
    public static async Task<List<string>> BuildAsync(TimelineDocument doc, string baseDir, string output, string textDir, MediaProbe probe, LoudnessMeter meter, FontResolver fonts)
    {
        var settings = TimelineSettings.Resolve(doc, new GeneratorOptions(), baseDir);
        var o = settings.Output;
        var plan = RenderPlan.Expand(doc, baseDir);
        var args = new List<string> { "-hide_banner", "-nostdin", "-v", "error", "-y" };
        var graph = new List<string>();
        var concatInputs = new System.Text.StringBuilder();
        long totalSamples = 0;
        var inv = CultureInfo.InvariantCulture;
        Directory.CreateDirectory(textDir);
        for (var i = 0; i < plan.Count; i++)
        {
            var e = plan[i];
            var facts = await probe.ProbeAsync(e.FilePath, CancellationToken.None);
            var lufs = facts.HasAudio ? (await meter.MeasureAsync(e.FilePath, CancellationToken.None)).IntegratedLufs : LoudnessMeasurement.SilenceLufs;
            var frames = RenderPlan.Frames(RenderPlan.TrimmedSeconds(e, facts.Duration), o.Fps);
            var samples = RenderPlan.Samples(frames, o.Fps);
            totalSamples += samples;
            var gain = lufs <= LoudnessMeasurement.SilenceLufs ? 0 : Math.Clamp(o.LoudnessLufs - lufs, -30, 30) + 20 * Math.Log10(e.Volume);
            OverlaySpec? overlay = null;
            string? textFile = null;
            if (settings.Overlay.Enabled && e.Kind == ItemKind.Clip && e.StreamerName is { } name)
            {
                var font = await fonts.ResolveAsync(settings.Overlay.Font, name, CancellationToken.None);
                overlay = new OverlaySpec(font.Text, font.FontFile, settings.Overlay.Color, settings.Overlay.OutlineColor, settings.Overlay.Position, settings.Overlay.Seconds);
                textFile = Path.Combine(textDir, $"name{i}.txt");
                await File.WriteAllTextAsync(textFile, font.Text);
            }
            var spec = new SegmentSpec(FileIdentity.Of(e.FilePath), facts.HasVideo, facts.HasAudio, facts.Width, facts.Height, e.TrimStart,
                frames, samples, overlay, o, e.Layout);
            args.AddRange(["-ss", FilterEscaping.Num(e.TrimStart), "-t", FilterEscaping.Num(spec.Seconds + 0.1), "-i", e.FilePath]);
            graph.Add(Relabel(SegmentCommand.VideoChain(spec, $"{i}:v:0", textFile), i));
            var audioChain = SegmentCommand.AudioChain(spec, $"{i}:a:0");
            graph.Add(Relabel(audioChain[..^3] + $",volume={(e.Volume <= 0 ? "0" : FilterEscaping.Num(Math.Round(gain, 2)) + "dB")}[a]", i));
            concatInputs.Append(inv, $"[v_{i}][a_{i}]");
        }
        graph.Add($"{concatInputs}concat=n={plan.Count}:v=1:a=1[vcat][speechraw]");

        var musicFacts = await probe.ProbeAsync(settings.Music.Tracks[0], CancellationToken.None);
        var musicLufs = (await meter.MeasureAsync(settings.Music.Tracks[0], CancellationToken.None)).IntegratedLufs;
        var musicGain = o.LoudnessLufs - musicLufs + 20 * Math.Log10(settings.Music.Volume);
        var n = totalSamples.ToString(inv);
        var fmt = "aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo";
        args.AddRange(["-stream_loop", "-1", "-i", settings.Music.Tracks[0]]);
        graph.Add($"[{plan.Count}:a:0]aresample=48000,{fmt},volume={FilterEscaping.Num(Math.Round(musicGain, 2))}dB,atrim=end_sample={n}[music]");
        graph.Add($"[speechraw]{fmt},asplit=2[speech][key]");
        graph.Add("[music][key]sidechaincompress=threshold=0.03:ratio=6:attack=20:release=400[ducked]");
        graph.Add($"[speech][ducked]amix=inputs=2:duration=first:dropout_transition=0:normalize=0,alimiter=limit={FilterEscaping.Num(Math.Pow(10, o.TruePeakDb / 20))}:attack=5:release=50:level=0:latency=1[aout]");
        _ = musicFacts;
        args.AddRange(["-filter_complex", string.Join(";\n", graph),
            "-map", "[vcat]", "-map", "[aout]",
            "-c:v", "libx264", "-preset", o.Preset, "-crf", o.Crf.ToString(inv), "-profile:v", "high", "-pix_fmt", "yuv420p", "-r", o.Fps.ToString(inv),
            "-c:a", "aac", "-b:a", $"{o.AudioBitrateKbps}k", "-ar", "48000", "-ac", "2",
            "-movflags", "+faststart", output]);
        return args;
    }

    private static string Relabel(string chain, int i) =>
        Labels().Replace(chain, m => $"[{m.Groups[1].Value}_{i.ToString(CultureInfo.InvariantCulture)}]");

    [GeneratedRegex(@"\[(bgin|fgin|bg|fg|topin|botin|top|bot|filled|v|a)\]")]
    private static partial Regex Labels();
}
