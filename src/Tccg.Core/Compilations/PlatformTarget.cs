using System.Globalization;
using Tccg.Core.Configuration;
using Tccg.Core.Timeline;

namespace Tccg.Core.Compilations;

/// <summary>Where a compilation is published: decides the output size and, for the short-video apps, a length limit.</summary>
public enum PlatformTarget
{
    /// <summary>1920x1080, no length limit.</summary>
    YouTube,

    /// <summary>YouTube Shorts: 1080x1920, at most <see cref="EditorOptions.ShortsMaxSeconds"/>.</summary>
    Shorts,

    /// <summary>TikTok: 1080x1920, at most <see cref="EditorOptions.TikTokMaxSeconds"/>.</summary>
    TikTok,

    /// <summary>Instagram Reels: 1080x1920, at most <see cref="EditorOptions.ReelsMaxSeconds"/>.</summary>
    Reels,

    /// <summary>The compilation's own <c>output</c> width and height, no length limit.</summary>
    Custom,
}

/// <summary>Spellings, sizes and length limits of <see cref="PlatformTarget"/>s.</summary>
public static class PlatformTargets
{
    public static IReadOnlyList<string> Names { get; } = ["youtube", "shorts", "tiktok", "reels", "custom"];

    public static PlatformTarget? Parse(string? name) => name switch
    {
        "youtube" => PlatformTarget.YouTube,
        "shorts" => PlatformTarget.Shorts,
        "tiktok" => PlatformTarget.TikTok,
        "reels" => PlatformTarget.Reels,
        "custom" => PlatformTarget.Custom,
        _ => null,
    };

    public static string Name(PlatformTarget target) => Names[(int)target];

    /// <summary>A display name for messages.</summary>
    public static string Title(PlatformTarget target) => target switch
    {
        PlatformTarget.YouTube => "YouTube",
        PlatformTarget.Shorts => "YouTube Shorts",
        PlatformTarget.TikTok => "TikTok",
        PlatformTarget.Reels => "Instagram Reels",
        _ => "custom",
    };

    /// <summary>The output size the target fixes; null for <see cref="PlatformTarget.Custom"/>.</summary>
    public static (int Width, int Height)? Size(PlatformTarget target) => target switch
    {
        PlatformTarget.YouTube => (1920, 1080),
        PlatformTarget.Custom => null,
        _ => (1080, 1920),
    };

    public static bool IsVertical(PlatformTarget target) => Size(target) is { } s && s.Height > s.Width;

    /// <summary>The configured length limit in seconds; null when the platform has none (or it is set to 0).</summary>
    public static double? MaxSeconds(PlatformTarget target, EditorOptions rules)
    {
        var max = target switch
        {
            PlatformTarget.Shorts => rules.ShortsMaxSeconds,
            PlatformTarget.TikTok => rules.TikTokMaxSeconds,
            PlatformTarget.Reels => rules.ReelsMaxSeconds,
            _ => 0,
        };
        return max > 0 ? max : null;
    }

    /// <summary>
    /// The output section a compilation renders with: its own, with the target's width and height (a custom
    /// target keeps the compilation's own size).
    /// </summary>
    public static OutputSection? Output(PlatformTarget? target, OutputSection? own)
    {
        if (target is not { } t || Size(t) is not { } size)
            return own;
        var output = own is null ? new OutputSection() : Copy(own);
        (output.Width, output.Height) = size;
        return output;
    }

    private static OutputSection Copy(OutputSection o) => new()
    {
        Width = o.Width,
        Height = o.Height,
        Fps = o.Fps,
        Preset = o.Preset,
        Crf = o.Crf,
        AudioBitrateKbps = o.AudioBitrateKbps,
        LoudnessLufs = o.LoudnessLufs,
        TruePeak = o.TruePeak,
        Fill = o.Fill,
    };

    internal static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
}
