using System.Globalization;
using System.Text.RegularExpressions;
using Tccg.Core.Media;

namespace Tccg.Media.Probing;

/// <summary>
/// Pure parser from the stderr of an ffmpeg run that read a whole file (<see cref="MediaInspector"/>) to
/// <see cref="MediaFacts"/>: the <c>Input #0</c> dump gives format, duration and the first video and audio
/// streams; the demuxer's errors and the final <c>time=</c> report show truncation and corruption.
/// Throws <see cref="MediaProbeException"/> with the reason for files that are not usable media.
/// </summary>
public static partial class FfmpegInputParser
{
    /// <summary>What libavformat logs when a file's packets run out or do not parse; <see cref="FfprobeParser"/> checks the same list.</summary>
    private static readonly string[] CorruptionMarks =
        ["partial file", "ended prematurely", "truncated", "Invalid NAL unit size", "error reading header", "corrupt input packet"];

    /// <summary>
    /// The first logged error that means truncation or corruption, or null. ffmpeg's descriptions of inputs and
    /// outputs (indented metadata such as a title, the <c>Input #</c> lines) and the files' own
    /// <paramref name="paths"/> are not searched: a clip called "Truncated…" is not a truncated clip.
    /// Serves ffprobe's stderr too (<see cref="FfprobeParser.Parse"/>), which logs errors the same way.
    /// </summary>
    public static string? CorruptionIn(string stderr, IReadOnlyCollection<string> paths) => CorruptionIn(stderr.Split('\n'), paths);

    /// <inheritdoc cref="CorruptionIn(string, IReadOnlyCollection{string})"/>
    public static string? CorruptionIn(IEnumerable<string> lines, IReadOnlyCollection<string> paths)
    {
        foreach (var raw in lines)
        {
            if (raw.Length == 0 || char.IsWhiteSpace(raw[0])
                || raw.StartsWith("Input #", StringComparison.Ordinal) || raw.StartsWith("Output #", StringComparison.Ordinal))
                continue;
            var line = paths.Aggregate(raw, (l, p) => l.Replace(p, "", StringComparison.Ordinal));
            foreach (var mark in CorruptionMarks)
            {
                if (line.Contains(mark, StringComparison.OrdinalIgnoreCase))
                    return Message(line);
            }
        }
        return null;
    }

    /// <summary>
    /// The facts of input <paramref name="input"/> of the run. With one input, the final <c>time=</c> report must
    /// also reach the container's duration; with several it sums them all, so only the demuxer errors count.
    /// </summary>
    public static MediaFacts Parse(string path, string stderr, long sizeBytes, int input = 0)
    {
        var lines = stderr.Split('\n');
        if (CorruptionIn(lines, [path]) is { } corruption)
            throw new MediaProbeException(path, $"the file is truncated or corrupt ({corruption}).");
        return ParseInput(path, lines, sizeBytes, input);
    }

    /// <summary>
    /// <see cref="Parse"/> over stderr already split into <paramref name="lines"/>, WITHOUT the corruption check:
    /// for a shared run whose caller ran <see cref="CorruptionIn(IEnumerable{string}, IReadOnlyCollection{string})"/>
    /// once over all its inputs' paths, instead of once per input.
    /// </summary>
    public static MediaFacts ParseInput(string path, string[] lines, long sizeBytes, int input)
    {
        var prefix = string.Create(CultureInfo.InvariantCulture, $"Input #{input}, ");
        var start = Array.FindIndex(lines, l => l.StartsWith(prefix, StringComparison.Ordinal));
        if (start < 0)
            throw new MediaProbeException(path, "not a media file (ffmpeg printed no input description).");
        var header = lines[start];
        var from = header.IndexOf(", from '", StringComparison.Ordinal);
        var format = from > 0 ? header[prefix.Length..from] : "unknown";
        var streamPrefix = string.Create(CultureInfo.InvariantCulture, $"Stream #{input}:");

        // The input's block: indented lines up to "Stream mapping:" / "Output #0".
        var block = lines.Skip(start + 1).TakeWhile(l => l.StartsWith(' ')).ToList();
        double? duration = null;
        string? video = null, audio = null;
        double rotation = 0;
        var inVideo = false;
        foreach (var line in block)
        {
            var t = line.Trim();
            if (t.StartsWith("Duration: ", StringComparison.Ordinal))
                duration = Clock(t["Duration: ".Length..]);
            else if (t.StartsWith(streamPrefix, StringComparison.Ordinal))
            {
                inVideo = false;
                if (video is null && StreamBody(t, "Video: ") is { } v && !t.Contains("(attached pic)", StringComparison.Ordinal))
                {
                    video = v;
                    inVideo = true;
                }
                else if (audio is null && StreamBody(t, "Audio: ") is { } a)
                    audio = a;
            }
            else if (inVideo && RotationPattern().Match(t) is { Success: true } r)
                rotation = double.Parse(r.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        if (video is null && audio is null)
            throw new MediaProbeException(path, "not a media file (no audio or video stream).");
        if (duration is not > 0)
            throw new MediaProbeException(path, "the file has no duration (empty or corrupt).");
        var alone = !lines.Any(l => l.StartsWith("Input #1, ", StringComparison.Ordinal));
        if (alone && ReadUpTo(lines) is { } read && read < duration * 0.9 - 0.5)
            throw new MediaProbeException(path, $"the file is truncated (its packets end at {read.ToString("0.00", CultureInfo.InvariantCulture)} s of {duration.Value.ToString("0.00", CultureInfo.InvariantCulture)} s).");

        int width = 0, height = 0;
        double fps = 0;
        if (video is not null)
        {
            var size = SizePattern().Match(video);
            if (!size.Success)
                throw new MediaProbeException(path, "the video stream has no frame size (corrupt).");
            width = int.Parse(size.Groups[1].Value, CultureInfo.InvariantCulture);
            height = int.Parse(size.Groups[2].Value, CultureInfo.InvariantCulture);
            if (width <= 0 || height <= 0)
                throw new MediaProbeException(path, "the video stream has no frame size (corrupt).");
            if (Math.Abs(rotation) % 180 == 90)
                (width, height) = (height, width);
            fps = Rate(video, "fps") ?? Rate(video, "tbr") ?? 0;
        }

        var sampleRate = 0;
        var channels = 0;
        if (audio is not null)
        {
            var hz = HertzPattern().Match(audio);
            if (hz.Success)
            {
                sampleRate = int.Parse(hz.Groups[1].Value, CultureInfo.InvariantCulture);
                var rest = audio[(hz.Index + hz.Length)..].TrimStart(',', ' ');
                channels = Channels(rest.Split(',')[0].Trim());
            }
        }

        return new MediaFacts(
            Duration: duration.Value,
            Width: width,
            Height: height,
            Fps: fps,
            VideoCodec: video is null ? null : Codec(video),
            AudioCodec: audio is null ? null : Codec(audio),
            SampleRate: sampleRate,
            Channels: channels,
            Format: format,
            SizeBytes: sizeBytes);
    }

    /// <summary>ffmpeg prints NTSC rates rounded (29.97); the exact n*1000/1001 is what ffprobe would say.</summary>
    public static double SnapFrameRate(double printed)
    {
        var ntsc = Math.Round(printed * 1.001) * 1000 / 1001;
        return Math.Abs(ntsc - printed) < 0.006 && Math.Abs(printed - Math.Round(printed)) > 0.01 ? ntsc : printed;
    }

    private static string? StreamBody(string line, string kind)
    {
        var at = line.IndexOf(kind, StringComparison.Ordinal);
        return at < 0 ? null : line[(at + kind.Length)..];
    }

    private static string Codec(string body)
    {
        var end = body.IndexOfAny([' ', ',']);
        return end < 0 ? body : body[..end];
    }

    private static double? Rate(string body, string unit)
    {
        var m = Regex.Match(body, @", ([0-9.]+)(k?) " + unit + @"\b", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        if (!m.Success || !double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
            return null;
        return SnapFrameRate(m.Groups[2].Value == "k" ? v * 1000 : v);
    }

    private static int Channels(string layout)
    {
        var n = ChannelCountPattern().Match(layout);
        if (n.Success)
            return int.Parse(n.Groups[1].Value, CultureInfo.InvariantCulture);
        var name = layout.Split('(')[0];
        return name switch
        {
            "mono" => 1,
            "stereo" or "downmix" => 2,
            "quad" => 4,
            "hexagonal" => 6,
            "octagonal" or "cube" => 8,
            "hexadecagonal" => 16,
            "22.2" => 24,
            _ when LayoutPattern().Match(name) is { Success: true } d =>
                int.Parse(d.Groups[1].Value, CultureInfo.InvariantCulture) + int.Parse(d.Groups[2].Value, CultureInfo.InvariantCulture),
            _ => 0,
        };
    }

    /// <summary>The last <c>time=HH:MM:SS.cc</c> of ffmpeg's final report: how far the packets went.</summary>
    private static double? ReadUpTo(string[] lines)
    {
        for (var i = lines.Length - 1; i >= 0; i--)
        {
            var at = lines[i].LastIndexOf("time=", StringComparison.Ordinal);
            if (at >= 0)
                return Clock(lines[i][(at + 5)..]);
        }
        return null;
    }

    private static double? Clock(string text)
    {
        var m = ClockPattern().Match(text);
        if (!m.Success)
            return null;
        var inv = CultureInfo.InvariantCulture;
        var value = int.Parse(m.Groups[2].Value, inv) * 3600 + int.Parse(m.Groups[3].Value, inv) * 60 + double.Parse(m.Groups[4].Value, inv);
        return m.Groups[1].Value == "-" ? -value : value;
    }

    private static string Message(string line)
    {
        var t = line.Trim().TrimStart(':', ' ');
        var close = t.StartsWith('[') ? t.IndexOf("] ", StringComparison.Ordinal) : -1;
        return close > 0 ? t[(close + 2)..] : t;
    }

    [GeneratedRegex(@"^(-?)(\d+):(\d{2}):(\d{2}(?:\.\d+)?)", RegexOptions.CultureInvariant)]
    private static partial Regex ClockPattern();

    [GeneratedRegex(@"(?:^|, )(\d+)x(\d+)(?=[ ,\[]|$)", RegexOptions.CultureInvariant)]
    private static partial Regex SizePattern();

    [GeneratedRegex(@"(\d+) Hz\b", RegexOptions.CultureInvariant)]
    private static partial Regex HertzPattern();

    [GeneratedRegex(@"^(\d+) channels", RegexOptions.CultureInvariant)]
    private static partial Regex ChannelCountPattern();

    [GeneratedRegex(@"^(\d+)\.(\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex LayoutPattern();

    [GeneratedRegex(@"rotation of (-?[0-9.]+) degrees", RegexOptions.CultureInvariant)]
    private static partial Regex RotationPattern();
}
