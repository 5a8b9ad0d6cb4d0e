using System.Globalization;
using Tccg.Media.Probing;
using Tccg.Storage.Assets;
using Tccg.Core.Compilations;

namespace Tccg.Server.Features.Assets;

/// <summary>What an uploaded file must be for its kind, and the extension and content type it is stored under.</summary>
public static class AssetMediaRules
{
    public const double MinVideoSeconds = 0.5;
    public const double MaxVideoSeconds = 30 * 60;
    public const double MinMusicSeconds = 1;
    public const double MaxMusicSeconds = 3 * 60 * 60;

    public static string KindName(AssetRole kind) => kind.ToString().ToLowerInvariant();

    public static AssetRole? ParseKind(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "intro" => AssetRole.Intro,
        "outro" => AssetRole.Outro,
        "interval" => AssetRole.Interval,
        "first" or "firstclip" or "first-clip" => AssetRole.First,
        "music" => AssetRole.Music,
        _ => null,
    };

    /// <summary>Why the probed file cannot be an asset of this kind, or null when it fits.</summary>
    public static string? Problem(MediaFacts facts, AssetRole kind)
    {
        if (IsStillImage(facts))
            return $"the file is a still image ({facts.VideoCodec}), not {(kind == AssetRole.Music ? "audio" : "a video")}";
        if (kind == AssetRole.Music)
        {
            if (!facts.HasAudio)
                return "music needs an audio stream and the file has none";
            if (facts.Duration < MinMusicSeconds || facts.Duration > MaxMusicSeconds)
                return $"music must last between {MinMusicSeconds} s and 3 hours (the file lasts {F(facts.Duration)} s)";
            return null;
        }

        if (!facts.HasVideo)
            return $"{Article(kind)} needs a video stream and the file has none";
        if (facts.Width < 16 || facts.Height < 16 || facts.Width > 7680 || facts.Height > 4320)
            return $"the video is {facts.Width}x{facts.Height}; it must be between 16x16 and 7680x4320";
        if (facts.Fps is <= 0 or > 240)
            return $"the video's frame rate ({F(facts.Fps)}) is not usable";
        if (facts.Duration < MinVideoSeconds || facts.Duration > MaxVideoSeconds)
            return $"{Article(kind)} must last between {F(MinVideoSeconds)} s and 30 minutes (the file lasts {F(facts.Duration)} s)";
        return null;
    }

    /// <summary>The stored file's extension (without dot) for the probed container, preferring the uploaded one when it names the same format.</summary>
    public static string? Extension(MediaFacts facts, AssetRole kind, string uploadedName)
    {
        var uploaded = Path.GetExtension(uploadedName).TrimStart('.').ToLowerInvariant();
        var formats = facts.Format.Split(',');
        string? Pick(string fallback, params string[] allowed) => allowed.Contains(uploaded, StringComparer.Ordinal) ? uploaded : fallback;

        if (formats.Contains("mp4", StringComparer.Ordinal) || formats.Contains("mov", StringComparer.Ordinal))
            return kind == AssetRole.Music && !facts.HasVideo ? Pick("m4a", "m4a", "mp4") : Pick("mp4", "mp4", "mov", "m4v");
        if (formats.Contains("matroska", StringComparer.Ordinal) || formats.Contains("webm", StringComparer.Ordinal))
            return Pick(kind == AssetRole.Music && !facts.HasVideo ? "mka" : "mkv", "mkv", "webm", "mka");
        return formats[0] switch
        {
            "mp3" => "mp3",
            "ogg" => "ogg",
            "wav" => "wav",
            "flac" => "flac",
            "aac" => "aac",
            "mpegts" => "ts",
            "avi" => "avi",
            "flv" => "flv",
            _ => null,
        };
    }

    public static string ContentType(string storedName) => Path.GetExtension(storedName).ToLowerInvariant() switch
    {
        ".mp4" or ".m4v" => "video/mp4",
        ".mov" => "video/quicktime",
        ".mkv" => "video/x-matroska",
        ".webm" => "video/webm",
        ".ts" => "video/mp2t",
        ".avi" => "video/x-msvideo",
        ".flv" => "video/x-flv",
        ".mp3" => "audio/mpeg",
        ".m4a" => "audio/mp4",
        ".mka" => "audio/x-matroska",
        ".ogg" => "audio/ogg",
        ".wav" => "audio/wav",
        ".flac" => "audio/flac",
        ".aac" => "audio/aac",
        _ => "application/octet-stream",
    };

    /// <summary>The image format a file starts like (PNG, JPEG, GIF, WebP, BMP), or null.</summary>
    public static string? StillImageType(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47]))
            return "PNG";
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
            return "JPEG";
        if (head.StartsWith("GIF8"u8))
            return "GIF";
        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
            return "WebP";
        return head.StartsWith("BM"u8) && head.Length >= 14 ? "BMP" : null;
    }

    private static bool IsStillImage(MediaFacts facts) =>
        facts.Format.EndsWith("_pipe", StringComparison.Ordinal) || facts.Format is "image2" or "gif" or "webp"
        || facts.VideoCodec is "png" or "mjpeg" or "bmp" or "gif" or "webp" && !facts.HasAudio && facts.Duration < 0.2;

    private static string Article(AssetRole kind) => kind switch
    {
        AssetRole.Intro => "an intro",
        AssetRole.Outro => "an outro",
        AssetRole.Interval => "an interval",
        _ => "a first clip",
    };

    private static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
