using Tccg.Core.Configuration;

namespace Tccg.Core.Timeline;

public enum FillMode
{
    Blur,
    Letterbox,
}

public enum OverlayPosition
{
    TopLeft,
    TopCenter,
    TopRight,
    BottomLeft,
    BottomCenter,
    BottomRight,
}

/// <summary>Output format and encoder settings, with every default filled in.</summary>
public sealed record OutputSettings(int Width, int Height, int Fps, string Preset, int Crf, int AudioBitrateKbps,
    double LoudnessLufs, double TruePeakDb, FillMode Fill);

/// <summary>Streamer-name overlay settings; <see cref="Font"/> is a file path or a fontconfig family.</summary>
public sealed record OverlaySettings(bool Enabled, string Font, string Color, string OutlineColor, OverlayPosition Position, double Seconds);

/// <summary>Background music: tracks (full paths) played in order and repeated to cover the video.</summary>
public sealed record MusicSettings(IReadOnlyList<string> Tracks, double Volume, bool Duck);

/// <summary>The clip-title caption: drawn top-centre in the safe area for <see cref="Seconds"/> (0: the whole clip).</summary>
public sealed record CaptionSettings(bool Enabled, double Seconds);

/// <summary>A timeline's settings with defaults from <see cref="GeneratorOptions"/>.</summary>
public sealed record TimelineSettings(OutputSettings Output, OverlaySettings Overlay, MusicSettings Music, CaptionSettings? Caption = null)
{
    public const double DefaultMusicVolume = 0.2;

    /// <summary>Fills settings the timeline leaves out from the generator defaults; relative paths resolve against <paramref name="baseDir"/>.</summary>
    public static TimelineSettings Resolve(TimelineDocument doc, GeneratorOptions defaults, string baseDir)
    {
        var o = doc.Output ?? new OutputSection();
        var output = new OutputSettings(
            o.Width ?? defaults.Width,
            o.Height ?? defaults.Height,
            o.Fps ?? defaults.Fps,
            o.Preset ?? defaults.Preset,
            o.Crf ?? defaults.Crf,
            o.AudioBitrateKbps ?? defaults.AudioBitrateKbps,
            o.LoudnessLufs ?? defaults.LoudnessLufs,
            o.TruePeak ?? defaults.TruePeakDb,
            TimelineNames.ParseFill(o.Fill) ?? FillMode.Blur);

        var v = doc.Overlay ?? new OverlaySection();
        var font = v.Font ?? defaults.Font;
        if (LooksLikeFontFile(font))
            font = Path.GetFullPath(Path.Combine(baseDir, font));
        var overlay = new OverlaySettings(
            v.Enabled ?? defaults.OverlayEnabled,
            font,
            v.Color ?? defaults.OverlayColor,
            v.OutlineColor ?? defaults.OverlayOutlineColor,
            TimelineNames.ParsePosition(v.Position ?? defaults.OverlayPosition) ?? OverlayPosition.TopLeft,
            v.Seconds ?? defaults.OverlaySeconds);

        var m = doc.Music ?? new MusicSection();
        var music = new MusicSettings(
            (m.Tracks ?? []).Select(t => Path.GetFullPath(Path.Combine(baseDir, t))).ToList(),
            m.Volume ?? DefaultMusicVolume,
            m.Duck ?? true);
        var caption = new CaptionSettings(doc.Caption?.Enabled ?? false, doc.Caption?.Seconds ?? 0);
        return new TimelineSettings(output, overlay, music, caption);
    }

    /// <summary>A font setting naming a file (has a font extension or a directory part) rather than a family.</summary>
    public static bool LooksLikeFontFile(string font) =>
        font.EndsWith(".ttf", StringComparison.OrdinalIgnoreCase) || font.EndsWith(".otf", StringComparison.OrdinalIgnoreCase)
        || font.EndsWith(".ttc", StringComparison.OrdinalIgnoreCase) || font.Contains('/', StringComparison.Ordinal);
}

/// <summary>The spellings used in timeline files.</summary>
public static class TimelineNames
{
    public static ItemKind? ParseKind(string? kind) => kind switch
    {
        "first" => ItemKind.First,
        "intro" => ItemKind.Intro,
        "clip" => ItemKind.Clip,
        "interval" => ItemKind.Interval,
        "outro" => ItemKind.Outro,
        _ => null,
    };

    public static string Name(ItemKind kind) => kind.ToString().ToLowerInvariant();

    public static FillMode? ParseFill(string? fill) => fill switch
    {
        null or "blur" => FillMode.Blur,
        "letterbox" => FillMode.Letterbox,
        _ => null,
    };

    public static OverlayPosition? ParsePosition(string? position) => position switch
    {
        "top-left" => OverlayPosition.TopLeft,
        "top-center" => OverlayPosition.TopCenter,
        "top-right" => OverlayPosition.TopRight,
        "bottom-left" => OverlayPosition.BottomLeft,
        "bottom-center" => OverlayPosition.BottomCenter,
        "bottom-right" => OverlayPosition.BottomRight,
        _ => null,
    };
}
