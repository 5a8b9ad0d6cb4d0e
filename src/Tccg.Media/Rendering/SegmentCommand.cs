using System.Globalization;
using Tccg.Core.Timeline;

namespace Tccg.Media.Rendering;

/// <summary>
/// Pure planner: the ffmpeg arguments that render one segment to an H.264 video file (exactly
/// <see cref="SegmentSpec.Frames"/> frames) and/or a 48 kHz stereo float WAV (exactly
/// <see cref="SegmentSpec.Samples"/> samples), so audio and video last equally long to the sample.
/// The audio is measured on the way (ebur128 with sample peak, summary on stderr at info level) so no separate
/// loudness pass is needed.
/// </summary>
public static class SegmentCommand
{
    public static List<string> Build(SegmentSpec s, string? videoOut, string? audioOut, string? overlayTextFile)
    {
        if (videoOut is null && audioOut is null)
            throw new ArgumentException("Nothing to render.", nameof(videoOut));
        var o = s.Output;
        var args = new List<string> { "-hide_banner", "-nostdin", "-v", audioOut is null ? "error" : "info", "-y", "-progress", "pipe:1", "-nostats" };

        // Input 0: the media, seeked (frame-accurately: ffmpeg decodes from the keyframe and drops
        // what comes before) and read a little past the end so padding is rarely needed.
        var readFor = s.Seconds + 0.1;
        if (s.HasVideo || s.HasAudio)
            args.AddRange(["-ss", Num(s.TrimStart), "-t", Num(readFor), "-i", s.Input.Path]);
        var videoInput = "0:v:0";
        var audioInput = "0:a:0";
        var next = s.HasVideo || s.HasAudio ? 1 : 0;
        if (videoOut is not null && !s.HasVideo)
        {
            args.AddRange(["-f", "lavfi", "-i", $"color=c=black:s={o.Width}x{o.Height}:r={o.Fps}"]);
            videoInput = $"{next++}:v:0";
        }
        if (audioOut is not null && !s.HasAudio)
        {
            args.AddRange(["-f", "lavfi", "-i", $"anullsrc=r={SegmentSpec.SampleRate}:cl=stereo"]);
            audioInput = $"{next}:a:0";
        }

        var graph = new List<string>();
        if (videoOut is not null)
            graph.Add(VideoChain(s, videoInput, overlayTextFile));
        if (audioOut is not null)
            graph.Add(AudioChain(s, audioInput));
        args.AddRange(["-filter_complex", string.Join(';', graph)]);

        if (videoOut is not null)
        {
            args.AddRange(["-map", "[v]", "-an", "-sn", "-dn",
                "-c:v", "libx264", "-preset", o.Preset, "-crf", I(o.Crf),
                "-profile:v", "high", "-level:v", Level(o), "-pix_fmt", "yuv420p",
                "-g", I(o.Fps * 2), "-keyint_min", I(o.Fps), "-r", I(o.Fps), "-fps_mode", "cfr",
                "-frames:v", I(s.Frames), "-video_track_timescale", I(o.Fps * 1000),
                "-map_metadata", "-1", "-f", "mp4", videoOut]);
        }
        if (audioOut is not null)
        {
            args.AddRange(["-map", "[a]", "-vn", "-sn", "-dn",
                "-c:a", "pcm_f32le", "-ar", I(SegmentSpec.SampleRate), "-ac", "2",
                "-map_metadata", "-1", "-f", "wav", audioOut]);
        }
        return args;
    }

    /// <summary>Scale (letterbox or blurred fill), exact rate, exact frame count, then the overlay.</summary>
    internal static string VideoChain(SegmentSpec s, string input, string? overlayTextFile)
    {
        var o = s.Output;
        var chain = new List<string>();
        var head = $"[{input}]fps={o.Fps},setsar=1";
        if (s.UsesBlurFill)
        {
            int bw = Even(o.Width / 8), bh = Even(o.Height / 8);
            var radius = Math.Clamp(Math.Min(bw, bh) / 4 - 1, 1, 6);
            chain.Add($"{head},split=2[bgin][fgin]");
            chain.Add($"[bgin]scale={bw}:{bh}:force_original_aspect_ratio=increase,crop={bw}:{bh},boxblur={radius}:2,eq=brightness=-0.08,scale={o.Width}:{o.Height},setsar=1[bg]");
            chain.Add($"[fgin]scale={o.Width}:{o.Height}:force_original_aspect_ratio=decrease:force_divisible_by=2,setsar=1[fg]");
            chain.Add("[bg][fg]overlay=x=(W-w)/2:y=(H-h)/2,format=yuv420p[filled]");
            head = "[filled]null";
        }
        else
        {
            head += $",scale={o.Width}:{o.Height}:force_original_aspect_ratio=decrease:force_divisible_by=2,pad={o.Width}:{o.Height}:-1:-1:color=black,setsar=1";
        }
        // Clone the last frame if the input ends early, then cut to exactly Frames frames.
        var tail = $"{head},tpad=stop_mode=clone:stop=-1,trim=end_frame={s.Frames},setpts=N/({o.Fps}*TB)";
        if (s.Overlay is { } ov && overlayTextFile is not null)
            tail += "," + DrawText(ov, overlayTextFile, o.Height);
        chain.Add(tail + ",format=yuv420p[v]");
        return string.Join(';', chain);
    }

    /// <summary>The streamer name: text read from a file with expansion off, so no name can break the filter.</summary>
    internal static string DrawText(OverlaySpec ov, string textFile, int height)
    {
        var size = Math.Max(12, height / 18);
        var margin = Math.Max(4, height / 27);
        var border = Math.Max(1, size / 14);
        var m = I(margin);
        var x = ov.Position switch
        {
            OverlayPosition.TopLeft or OverlayPosition.BottomLeft => m,
            OverlayPosition.TopCenter or OverlayPosition.BottomCenter => "(w-text_w)/2",
            _ => $"w-text_w-{m}",
        };
        var y = ov.Position is OverlayPosition.TopLeft or OverlayPosition.TopCenter or OverlayPosition.TopRight
            ? m
            : $"h-text_h-{m}";
        return "drawtext=fontfile=" + FilterEscaping.Value(ov.FontFile)
            + ":textfile=" + FilterEscaping.Value(textFile)
            + ":expansion=none:fix_bounds=1"
            + $":fontsize={I(size)}:fontcolor={FilterEscaping.Value(ov.Color)}"
            + $":borderw={I(border)}:bordercolor={FilterEscaping.Value(ov.OutlineColor)}"
            + $":x='{x}':y='{y}':enable='lt(t,{Num(ov.Seconds)})'";
    }

    /// <summary>48 kHz stereo, exactly Samples samples (silence-padded), measured by ebur128 on a side branch.</summary>
    internal static string AudioChain(SegmentSpec s, string input, bool measure = true)
    {
        var n = s.Samples.ToString(CultureInfo.InvariantCulture);
        var chain = $"[{input}]aresample={SegmentSpec.SampleRate}:async=1:first_pts=0,aformat=sample_fmts=fltp:sample_rates={SegmentSpec.SampleRate}:channel_layouts=stereo,apad=whole_len={n},atrim=end_sample={n},asetpts=N/SR/TB";
        return measure ? chain + ",asplit=2[a][meter];[meter]ebur128=peak=sample,anullsink" : chain + "[a]";
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
