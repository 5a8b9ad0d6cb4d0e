using System.Globalization;
using System.Text.Json;
using Tccg.Core.Media;

namespace Tccg.Media.Probing;

/// <summary>
/// Pure parser from the output of
/// <c>ffprobe -v error -count_packets -show_format -show_streams -of json FILE</c> (stdout and stderr)
/// to <see cref="MediaFacts"/>. Throws <see cref="MediaProbeException"/> with the reason for files
/// that are not usable media.
/// </summary>
public static class FfprobeParser
{
    public static readonly IReadOnlyList<string> Arguments =
        ["-v", "error", "-count_packets", "-show_format", "-show_streams", "-of", "json"];

    public static MediaFacts Parse(string path, string json, string stderr)
    {
        // The same marks and the same rule as ffmpeg's check: the file's own name is not a logged error.
        if (FfmpegInputParser.CorruptionIn(stderr, [path]) is { } corruption)
            throw new MediaProbeException(path, $"the file is truncated or corrupt ({corruption}).");

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "{}" : json);
        }
        catch (JsonException ex)
        {
            throw new MediaProbeException(path, $"ffprobe output could not be read ({ex.Message}).");
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (!root.TryGetProperty("format", out var format))
                throw new MediaProbeException(path, "not a media file (ffprobe found no container format).");

            JsonElement? video = null, audio = null;
            if (root.TryGetProperty("streams", out var streams))
            {
                foreach (var s in streams.EnumerateArray())
                {
                    var type = Str(s, "codec_type");
                    if (type == "video" && video is null && !IsAttachedPicture(s))
                        video = s;
                    else if (type == "audio" && audio is null)
                        audio = s;
                }
            }

            if (video is null && audio is null)
                throw new MediaProbeException(path, "not a media file (no audio or video stream).");

            foreach (var s in new[] { video, audio })
            {
                if (s is { } st && Long(st, "nb_frames") is { } declared && Long(st, "nb_read_packets") is { } read && declared > 0 && read < declared * 0.98)
                    throw new MediaProbeException(path, $"the file is truncated ({Str(st, "codec_type")} stream has {read} of {declared} packets).");
            }

            var duration = Double(format, "duration")
                ?? Math.Max(video is { } v0 ? Double(v0, "duration") ?? 0 : 0, audio is { } a0 ? Double(audio.Value, "duration") ?? 0 : 0);
            if (double.IsNaN(duration) || duration <= 0)
                throw new MediaProbeException(path, "the file has no duration (empty or corrupt).");

            int width = 0, height = 0;
            double fps = 0;
            if (video is { } v)
            {
                width = (int)(Long(v, "width") ?? 0);
                height = (int)(Long(v, "height") ?? 0);
                if (width <= 0 || height <= 0)
                    throw new MediaProbeException(path, "the video stream has no frame size (corrupt).");
                if (Math.Abs(Rotation(v)) % 180 == 90)
                    (width, height) = (height, width);
                fps = Rate(Str(v, "avg_frame_rate")) is > 0 and var avg ? avg : Rate(Str(v, "r_frame_rate"));
            }

            return new MediaFacts(
                Duration: duration,
                Width: width,
                Height: height,
                Fps: fps,
                VideoCodec: video is { } vv ? Str(vv, "codec_name") ?? "unknown" : null,
                AudioCodec: audio is { } aa ? Str(aa, "codec_name") ?? "unknown" : null,
                SampleRate: audio is { } a1 ? (int)(Long(a1, "sample_rate") ?? 0) : 0,
                Channels: audio is { } a2 ? (int)(Long(a2, "channels") ?? 0) : 0,
                Format: Str(format, "format_name") ?? "unknown",
                SizeBytes: Long(format, "size") ?? 0);
        }
    }

    /// <summary>Parses an ffmpeg rational such as <c>30000/1001</c>; 0 for <c>0/0</c> or junk.</summary>
    public static double Rate(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return 0;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain) ? plain : 0;
        if (!double.TryParse(text[..slash], NumberStyles.Float, CultureInfo.InvariantCulture, out var num)
            || !double.TryParse(text[(slash + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var den)
            || den == 0)
            return 0;
        return num / den;
    }

    private static bool IsAttachedPicture(JsonElement s) =>
        s.TryGetProperty("disposition", out var d) && d.TryGetProperty("attached_pic", out var ap) && ap.ValueKind == JsonValueKind.Number && ap.GetInt32() == 1;

    private static double Rotation(JsonElement s)
    {
        if (s.TryGetProperty("tags", out var tags) && Double(tags, "rotate") is { } r)
            return r;
        if (s.TryGetProperty("side_data_list", out var sdl) && sdl.ValueKind == JsonValueKind.Array)
        {
            foreach (var sd in sdl.EnumerateArray())
            {
                if (Double(sd, "rotation") is { } rot)
                    return rot;
            }
        }
        return 0;
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var p) ? p.ValueKind switch
        {
            JsonValueKind.String => p.GetString(),
            JsonValueKind.Number => p.GetRawText(),
            _ => null,
        } : null;

    private static double? Double(JsonElement e, string name) =>
        Str(e, name) is { } s && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    private static long? Long(JsonElement e, string name) =>
        Str(e, name) is { } s && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : null;
}
