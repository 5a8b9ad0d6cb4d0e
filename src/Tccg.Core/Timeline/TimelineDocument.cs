using System.Text.Json.Serialization;

namespace Tccg.Core.Timeline;

// The timeline file of docs/render.md (version 1). Everything but version and items is optional;
// missing settings come from GeneratorOptions (see TimelineSettings.Resolve). Paths are relative to
// the timeline file.

/// <summary>A timeline file as written: <c>tccg render TIMELINE.json -o OUT.mp4</c>.</summary>
public sealed class TimelineDocument
{
    public const int CurrentVersion = 1;

    [JsonPropertyName("version")] public int Version { get; set; }
    [JsonPropertyName("output")] public OutputSection? Output { get; set; }
    [JsonPropertyName("overlay")] public OverlaySection? Overlay { get; set; }
    [JsonPropertyName("music")] public MusicSection? Music { get; set; }

    /// <summary>A media file placed between consecutive clip items.</summary>
    [JsonPropertyName("interval")] public string? Interval { get; set; }

    [JsonPropertyName("items")] public List<TimelineItem>? Items { get; set; }
}

public sealed class OutputSection
{
    [JsonPropertyName("width")] public int? Width { get; set; }
    [JsonPropertyName("height")] public int? Height { get; set; }
    [JsonPropertyName("fps")] public int? Fps { get; set; }
    [JsonPropertyName("preset")] public string? Preset { get; set; }
    [JsonPropertyName("crf")] public int? Crf { get; set; }
    [JsonPropertyName("audioBitrateKbps")] public int? AudioBitrateKbps { get; set; }
    [JsonPropertyName("loudnessLufs")] public double? LoudnessLufs { get; set; }
    [JsonPropertyName("truePeak")] public double? TruePeak { get; set; }

    /// <summary><c>blur</c> (blurred copy behind) or <c>letterbox</c> (black bars) for clips narrower than the output.</summary>
    [JsonPropertyName("fill")] public string? Fill { get; set; }
}

public sealed class OverlaySection
{
    [JsonPropertyName("enabled")] public bool? Enabled { get; set; }

    /// <summary>A font file path (relative to the timeline) or a fontconfig family name.</summary>
    [JsonPropertyName("font")] public string? Font { get; set; }
    [JsonPropertyName("color")] public string? Color { get; set; }
    [JsonPropertyName("outlineColor")] public string? OutlineColor { get; set; }
    [JsonPropertyName("position")] public string? Position { get; set; }
    [JsonPropertyName("seconds")] public double? Seconds { get; set; }
}

public sealed class MusicSection
{
    [JsonPropertyName("tracks")] public List<string>? Tracks { get; set; }
    [JsonPropertyName("volume")] public double? Volume { get; set; }
    [JsonPropertyName("duck")] public bool? Duck { get; set; }
}

public sealed class TimelineItem
{
    [JsonPropertyName("kind")] public string? Kind { get; set; }
    [JsonPropertyName("file")] public string? File { get; set; }
    [JsonPropertyName("trimStart")] public double? TrimStart { get; set; }
    [JsonPropertyName("trimEnd")] public double? TrimEnd { get; set; }
    [JsonPropertyName("volume")] public double? Volume { get; set; }
    [JsonPropertyName("streamer")] public StreamerRef? Streamer { get; set; }
    [JsonPropertyName("title")] public string? Title { get; set; }
    [JsonPropertyName("url")] public string? Url { get; set; }
}

public sealed class StreamerRef
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("login")] public string? Login { get; set; }
}

/// <summary>Kinds of timeline items, in the order they may appear.</summary>
public enum ItemKind
{
    First,
    Intro,
    Clip,
    Interval,
    Outro,
}
