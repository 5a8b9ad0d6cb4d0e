using System.Globalization;
using Tccg.Core.Timeline;

namespace Tccg.Media.Rendering;

/// <summary>
/// Pure planner: the ffmpeg arguments that render one segment's pictures to an H.264 video file (exactly
/// <see cref="SegmentSpec.Frames"/> frames, <see cref="Build"/>), and many segments' sound, each to a 48 kHz stereo
/// float WAV (exactly <see cref="SegmentSpec.Samples"/> samples, <see cref="BuildAudioBatch"/>), so audio and video
/// last equally long to the sample. The audio is measured on the way (ebur128 with sample peak, summary on stderr
/// at info level) so no separate loudness pass is needed.
/// </summary>
public static class SegmentCommand
{
    public static List<string> Build(SegmentSpec s, string videoOut, string? overlayTextFile, string? captionTextFile = null)
    {
        var o = s.Output;
        var args = new List<string> { "-hide_banner", "-nostdin", "-v", "error", "-y", "-progress", "pipe:1", "-nostats" };
        if (s.HasVideo)
            args.AddRange(SeekedInput(s));
        else
            args.AddRange(["-f", "lavfi", "-i", $"color=c=black:s={o.Width}x{o.Height}:r={o.Fps}"]);
        args.AddRange(["-filter_complex", VideoChain(s, "0:v:0", overlayTextFile, captionTextFile),
            "-map", "[v]", "-an", "-sn", "-dn",
            "-c:v", "libx264", "-preset", o.Preset, "-crf", I(o.Crf),
            "-profile:v", "high", "-level:v", Level(o), "-pix_fmt", "yuv420p",
            "-g", I(o.Fps * 2), "-keyint_min", I(o.Fps), "-r", I(o.Fps), "-fps_mode", "cfr",
            "-frames:v", I(s.Frames), "-video_track_timescale", I(o.Fps * 1000),
            "-map_metadata", "-1", "-f", "mp4", videoOut]);
        return args;
    }

    /// <summary>
    /// The segment's media, seeked (frame-accurately: ffmpeg decodes from the keyframe and drops what comes before)
    /// and read a little past the end so padding is rarely needed.
    /// </summary>
    private static string[] SeekedInput(SegmentSpec s) => ["-ss", Num(s.TrimStart), "-t", Num(s.Seconds + 0.1), "-i", s.Input.Path];

    /// <summary>Place the picture by its layout (fit, blurred fill, crop, stacked), exact rate, exact frame count, then the overlays.</summary>
    internal static string VideoChain(SegmentSpec s, string input, string? overlayTextFile, string? captionTextFile = null)
    {
        var o = s.Output;
        var chain = new List<string>();
        var head = $"[{input}]fps={o.Fps},setsar=1";
        switch (s.EffectiveMode)
        {
            case LayoutMode.Blur:
            {
                // The fill is blurred on a copy an eighth of the output's size, then scaled up: cheap at any size.
                int bw = Even(o.Width / 8), bh = Even(o.Height / 8);
                var radius = Math.Clamp(Math.Min(bw, bh) / 4 - 1, 1, 6);
                chain.Add($"{head},split=2[bgin][fgin]");
                chain.Add($"[bgin]scale={bw}:{bh}:force_original_aspect_ratio=increase,crop={bw}:{bh},boxblur={radius}:2,eq=brightness=-0.08,scale={o.Width}:{o.Height},setsar=1[bg]");
                chain.Add($"[fgin]scale={o.Width}:{o.Height}:force_original_aspect_ratio=decrease:force_divisible_by=2,setsar=1[fg]");
                chain.Add("[bg][fg]overlay=x=(W-w)/2:y=(H-h)/2,format=yuv420p[filled]");
                head = "[filled]null";
                break;
            }
            case LayoutMode.Crop:
                head += "," + CropTo(s.Layout!.Rect!, s.InputWidth, s.InputHeight, o.Width, o.Height);
                break;
            case LayoutMode.Stacked:
            {
                var (top, bottom) = StackHeights(s.Layout!.Split, o.Height);
                chain.Add($"{head},split=2[topin][botin]");
                chain.Add($"[topin]{CropTo(s.Layout.Top!, s.InputWidth, s.InputHeight, o.Width, top)}[top]");
                chain.Add($"[botin]{CropTo(s.Layout.Bottom!, s.InputWidth, s.InputHeight, o.Width, bottom)}[bot]");
                chain.Add("[top][bot]vstack=inputs=2,format=yuv420p[filled]");
                head = "[filled]null";
                break;
            }
            default:
                head += $",scale={o.Width}:{o.Height}:force_original_aspect_ratio=decrease:force_divisible_by=2,pad={o.Width}:{o.Height}:-1:-1:color=black,setsar=1";
                break;
        }
        // Clone the last frame if the input ends early, then cut to exactly Frames frames.
        var tail = $"{head},tpad=stop_mode=clone:stop=-1,trim=end_frame={s.Frames},setpts=N/({o.Fps}*TB)";
        if (s.Overlay is { } ov && overlayTextFile is not null)
            tail += "," + DrawText(ov, overlayTextFile, o.Width, o.Height, s.Caption is not null && captionTextFile is not null ? 1 : 0);
        if (s.Caption is { } caption && captionTextFile is not null)
            tail += "," + DrawText(caption, captionTextFile, o.Width, o.Height, 0);
        chain.Add(tail + ",format=yuv420p[v]");
        return string.Join(';', chain);
    }

    /// <summary>The heights of the stacked layout's top and bottom regions (even, together the output's height).</summary>
    public static (int Top, int Bottom) StackHeights(double split, int height)
    {
        var top = Math.Clamp(Even((int)Math.Round(height * split, MidpointRounding.AwayFromZero)), 2, height - 2);
        return (top, height - top);
    }

    /// <summary>
    /// The source pixels <paramref name="rect"/> (fractions) selects, narrowed around its centre to the region's
    /// aspect so the picture is cropped further, never stretched; even sizes and positions for 4:2:0.
    /// </summary>
    public static (int X, int Y, int W, int H) CropBox(LayoutRect rect, int inputWidth, int inputHeight, int regionWidth, int regionHeight)
    {
        double x = rect.X * inputWidth, y = rect.Y * inputHeight, w = rect.W * inputWidth, h = rect.H * inputHeight;
        var aspect = (double)regionWidth / regionHeight;
        if (w / h > aspect)
        {
            var nw = h * aspect;
            x += (w - nw) / 2;
            w = nw;
        }
        else
        {
            var nh = w / aspect;
            y += (h - nh) / 2;
            h = nh;
        }
        var cw = Math.Clamp(Even((int)Math.Round(w)), 2, Math.Max(2, inputWidth - inputWidth % 2));
        var ch = Math.Clamp(Even((int)Math.Round(h)), 2, Math.Max(2, inputHeight - inputHeight % 2));
        var cx = Math.Clamp(Even((int)Math.Round(x)), 0, Math.Max(0, inputWidth - cw));
        var cy = Math.Clamp(Even((int)Math.Round(y)), 0, Math.Max(0, inputHeight - ch));
        return (cx - cx % 2, cy - cy % 2, cw, ch);
    }

    private static string CropTo(LayoutRect rect, int inputWidth, int inputHeight, int width, int height)
    {
        var (x, y, w, h) = CropBox(rect, inputWidth, inputHeight, width, height);
        return $"crop={I(w)}:{I(h)}:{I(x)}:{I(y)},scale={I(width)}:{I(height)},setsar=1";
    }

    /// <summary>
    /// Text read from a file with expansion off, so no name or title can break the filter. On a portrait output the
    /// text stays inside the safe area (<see cref="SafeArea"/>); <paramref name="line"/> moves it one line down
    /// (the streamer name under a caption).
    /// </summary>
    internal static string DrawText(OverlaySpec ov, string textFile, int width, int height, int line = 0)
    {
        var shortSide = Math.Min(width, height);
        var size = Math.Max(12, shortSide / 18);
        var margin = Math.Max(4, shortSide / 27);
        var border = Math.Max(1, size / 14);
        var vertical = height > width;
        var top = (vertical ? (int)Math.Ceiling(height * SafeArea.VerticalTop) + margin / 2 : margin) + line * (size * 3 / 2);
        var bottom = vertical ? (int)Math.Ceiling(height * SafeArea.VerticalBottom) + margin / 2 : margin;
        var m = I(margin);
        var x = ov.Position switch
        {
            OverlayPosition.TopLeft or OverlayPosition.BottomLeft => m,
            OverlayPosition.TopCenter or OverlayPosition.BottomCenter => "(w-text_w)/2",
            _ => $"w-text_w-{m}",
        };
        var y = ov.Position is OverlayPosition.TopLeft or OverlayPosition.TopCenter or OverlayPosition.TopRight
            ? I(top)
            : $"h-text_h-{I(bottom)}";
        return "drawtext=fontfile=" + FilterEscaping.Value(ov.FontFile)
            + ":textfile=" + FilterEscaping.Value(textFile)
            + ":expansion=none:fix_bounds=1"
            + $":fontsize={I(size)}:fontcolor={FilterEscaping.Value(ov.Color)}"
            + $":borderw={I(border)}:bordercolor={FilterEscaping.Value(ov.OutlineColor)}"
            + $":x='{x}':y='{y}'" + (ov.Seconds > 0 ? $":enable='lt(t,{Num(ov.Seconds)})'" : "");
    }

    /// <summary>
    /// The sound of many segments in one process, so it is ready (and the mix can start) while the pictures encode:
    /// each segment's input read once for its audio alone, written to <paramref name="audioOuts"/>[k], and measured by
    /// its own meter, named <see cref="MeterName"/>(k) in the summaries
    /// on stderr (<see cref="Loudness.Ebur128SummaryParser.Parse(string, string)"/>).
    /// </summary>
    public static List<string> BuildAudioBatch(IReadOnlyList<SegmentSpec> specs, IReadOnlyList<string> audioOuts)
    {
        if (specs.Count == 0 || specs.Count != audioOuts.Count)
            throw new ArgumentException("One audio file per segment, at least one.", nameof(audioOuts));
        var args = new List<string> { "-hide_banner", "-nostdin", "-v", "info", "-y", "-progress", "pipe:1", "-nostats" };
        var graph = new List<string>();
        var outputs = new List<string>();
        for (var k = 0; k < specs.Count; k++)
        {
            var s = specs[k];
            if (s.HasAudio)
                args.AddRange(SeekedInput(s));
            else
                args.AddRange(["-f", "lavfi", "-i", $"anullsrc=r={SegmentSpec.SampleRate}:cl=stereo"]);
            graph.Add(AudioChain(s, $"{I(k)}:a:0", label: $"a{I(k)}", meter: MeterName(k)));
            outputs.AddRange(["-map", $"[a{I(k)}]", "-vn", "-sn", "-dn",
                "-c:a", "pcm_f32le", "-ar", I(SegmentSpec.SampleRate), "-ac", "2",
                "-map_metadata", "-1", "-f", "wav", audioOuts[k]]);
        }
        args.AddRange(["-filter_complex", string.Join(';', graph)]);
        args.AddRange(outputs);
        return args;
    }

    /// <summary>The name of the loudness meter of the <paramref name="k"/>th segment of <see cref="BuildAudioBatch"/>.</summary>
    public static string MeterName(int k) => "m" + I(k);

    /// <summary>
    /// 48 kHz stereo, exactly Samples samples (silence-padded), out as <paramref name="label"/>; with a
    /// <paramref name="meter"/>, measured on a side branch by an ebur128 of that name, which logs only its summary.
    /// </summary>
    internal static string AudioChain(SegmentSpec s, string input, string label = "a", string? meter = null)
    {
        var n = s.Samples.ToString(CultureInfo.InvariantCulture);
        var chain = $"[{input}]aresample={SegmentSpec.SampleRate}:async=1:first_pts=0,aformat=sample_fmts=fltp:sample_rates={SegmentSpec.SampleRate}:channel_layouts=stereo,apad=whole_len={n},atrim=end_sample={n},asetpts=N/SR/TB";
        return meter is null
            ? chain + $"[{label}]"
            : chain + $",asplit=2[{label}][{label}meter];[{label}meter]{Loudness.LoudnessMeter.NamedMeter(meter)},anullsink";
    }

    /// <summary>An H.264 level that fits the output, fixed per format so segments concatenate cleanly.</summary>
    internal static string Level(OutputSettings o)
    {
        var mbps = (long)((o.Width + 15) / 16) * ((o.Height + 15) / 16) * o.Fps;
        return mbps switch
        {
            <= 245_760 => "4.1",
            <= 522_240 => "5.1",
            _ => "6.2",
        };
    }

    private static int Even(int v) => Math.Max(2, v - (v % 2));
    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
    private static string Num(double v) => FilterEscaping.Num(v);
}
