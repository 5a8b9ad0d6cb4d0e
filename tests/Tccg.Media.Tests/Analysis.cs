using System.Globalization;
using System.Text.Json;
using Tccg.Media.Processes;

namespace Tccg.Media.Tests;

/// <summary>Measurements of a rendered file made with ffprobe and ffmpeg analysis filters only.</summary>
internal static class Analysis
{
    private static readonly MediaProcessRunner Runner = new();

    public sealed record StreamInfo(string CodecType, string Codec, string? Profile, string? PixFmt, int Width, int Height,
        string? FrameRate, int SampleRate, int Channels, double Duration, long Frames);

    public static async Task<List<StreamInfo>> StreamsAsync(string path)
    {
        var r = await Runner.FfprobeAsync(["-v", "error", "-count_frames", "-show_streams", "-of", "json", path], CancellationToken.None);
        using var doc = JsonDocument.Parse(r.Stdout);
        var list = new List<StreamInfo>();
        foreach (var s in doc.RootElement.GetProperty("streams").EnumerateArray())
        {
            string? S(string n) => s.TryGetProperty(n, out var p) ? (p.ValueKind == JsonValueKind.String ? p.GetString() : p.GetRawText()) : null;
            int I(string n) => int.TryParse(S(n), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0;
            list.Add(new StreamInfo(S("codec_type")!, S("codec_name")!, S("profile"), S("pix_fmt"), I("width"), I("height"),
                S("avg_frame_rate"), I("sample_rate"), I("channels"),
                double.Parse(S("duration") ?? "0", CultureInfo.InvariantCulture),
                long.TryParse(S("nb_read_frames"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var f) ? f : 0));
        }
        return list;
    }

    /// <summary>Times of frames whose average luma is above <paramref name="threshold"/> (signalstats).</summary>
    public static async Task<List<double>> BrightFramesAsync(string path, double threshold = 170)
    {
        var r = await Runner.FfprobeAsync(["-v", "error", "-f", "lavfi", "-i", "movie=" + EscapeMovie(path) + ",signalstats",
            "-show_entries", "frame=pts_time:frame_tags=lavfi.signalstats.YAVG", "-of", "csv=p=0"], CancellationToken.None);
        var times = new List<double>();
        foreach (var line in r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(',');
            if (parts.Length >= 2 && double.Parse(parts[1], CultureInfo.InvariantCulture) > threshold)
                times.Add(double.Parse(parts[0], CultureInfo.InvariantCulture));
        }
        return times;
    }

    /// <summary>Start times of 1 kHz beeps: high-passed audio leaving silence (silencedetect).</summary>
    public static async Task<List<double>> BeepStartsAsync(string path)
    {
        var r = await Runner.RunAsync(Runner.Tools.Ffmpeg, ["-hide_banner", "-nostats", "-i", path, "-vn",
            "-af", "highpass=f=700,highpass=f=700,highpass=f=700,silencedetect=n=-26dB:d=0.02", "-f", "null", "-"], null, false, CancellationToken.None);
        var starts = new List<double>();
        foreach (var line in r.StderrTail.Split('\n'))
        {
            var i = line.IndexOf("silence_end: ", StringComparison.Ordinal);
            if (i >= 0)
            {
                var rest = line[(i + 13)..];
                var end = rest.IndexOf(' ', StringComparison.Ordinal);
                starts.Add(double.Parse(end > 0 ? rest[..end] : rest, CultureInfo.InvariantCulture));
            }
        }
        return starts;
    }

    /// <summary>Integrated loudness (EBU R128) of the file's audio.</summary>
    public static async Task<double> LoudnessAsync(string path)
    {
        var r = await Runner.RunAsync(Runner.Tools.Ffmpeg, ["-hide_banner", "-nostats", "-i", path, "-vn", "-af", "ebur128", "-f", "null", "-"], null, false, CancellationToken.None);
        var text = r.StderrTail;
        var i = text.LastIndexOf("I:", StringComparison.Ordinal);
        var rest = text[(i + 2)..].TrimStart();
        return double.Parse(rest[..rest.IndexOf(' ', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
    }

    /// <summary>Mean luma of a crop of one frame at <paramref name="seconds"/>.</summary>
    public static async Task<double> CropLumaAsync(string path, double seconds, int x, int y, int w, int h)
    {
        var r = await Runner.RunAsync(Runner.Tools.Ffmpeg, ["-hide_banner", "-nostats", "-ss", seconds.ToString("0.###", CultureInfo.InvariantCulture), "-i", path,
            "-frames:v", "1", "-vf", $"crop={w}:{h}:{x}:{y},signalstats,metadata=print:key=lavfi.signalstats.YAVG", "-f", "null", "-"], null, false, CancellationToken.None);
        var line = r.StderrTail.Split('\n').Last(l => l.Contains("YAVG=", StringComparison.Ordinal));
        return double.Parse(line[(line.IndexOf("YAVG=", StringComparison.Ordinal) + 5)..].Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>A raw grey frame crop, for comparing two renders pixel by pixel.</summary>
    public static async Task<byte[]> CropPixelsAsync(string path, double seconds, int x, int y, int w, int h)
    {
        var file = Path.Combine(Path.GetTempPath(), "tccg-crop-" + Guid.NewGuid().ToString("N") + ".gray");
        try
        {
            await Runner.FfmpegAsync(["-v", "error", "-ss", seconds.ToString("0.###", CultureInfo.InvariantCulture), "-i", path, "-frames:v", "1",
                "-vf", $"crop={w}:{h}:{x}:{y},format=gray", "-f", "rawvideo", "-y", file], null, CancellationToken.None);
            return await File.ReadAllBytesAsync(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The first frame scaled to <paramref name="w"/>x<paramref name="h"/>, grey.</summary>
    public static async Task<byte[]> ScaledPixelsAsync(string path, int w, int h)
    {
        var file = Path.Combine(Path.GetTempPath(), "tccg-scaled-" + Guid.NewGuid().ToString("N") + ".gray");
        try
        {
            await Runner.FfmpegAsync(["-v", "error", "-i", path, "-frames:v", "1", "-vf", $"scale={w}:{h},format=gray", "-f", "rawvideo", "-y", file], null, CancellationToken.None);
            return await File.ReadAllBytesAsync(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The mean red, green and blue (0–255) of a crop of one frame at <paramref name="seconds"/>.</summary>
    public static async Task<(double R, double G, double B)> CropColorAsync(string path, double seconds, int x, int y, int w, int h)
    {
        var file = Path.Combine(Path.GetTempPath(), "tccg-crop-" + Guid.NewGuid().ToString("N") + ".rgb");
        try
        {
            // An image has no time to seek to: -ss 0 on a JPEG yields no frame at all.
            string[] seek = seconds > 0 ? ["-ss", seconds.ToString("0.###", CultureInfo.InvariantCulture)] : [];
            await Runner.FfmpegAsync(["-v", "error", .. seek, "-i", path, "-frames:v", "1",
                "-vf", $"crop={w}:{h}:{x}:{y},format=rgb24", "-f", "rawvideo", "-y", file], null, CancellationToken.None);
            var px = await File.ReadAllBytesAsync(file);
            double r = 0, g = 0, b = 0;
            for (var i = 0; i + 2 < px.Length; i += 3)
                (r, g, b) = (r + px[i], g + px[i + 1], b + px[i + 2]);
            var n = px.Length / 3.0;
            return (r / n, g / n, b / n);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string EscapeMovie(string path) => Rendering.FilterEscaping.Value(path);
}
