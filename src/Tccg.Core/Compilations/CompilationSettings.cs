using System.Text.Json;
using System.Text.Json.Serialization;
using Tccg.Core.Timeline;

namespace Tccg.Core.Compilations;

/// <summary>A compilation's output and overlay settings (stored as JSON); what is left out comes from the generator defaults.</summary>
public sealed class CompilationSettings
{
    [JsonPropertyName("output")] public OutputSection? Output { get; set; }
    [JsonPropertyName("overlay")] public OverlaySection? Overlay { get; set; }
    [JsonPropertyName("credits")] public CreditsSection? Credits { get; set; }

    /// <summary>youtube, shorts, tiktok, reels or custom (see <see cref="PlatformTargets"/>); left out: custom.</summary>
    [JsonPropertyName("target")] public string? Target { get; set; }

    /// <summary>The default layout of the clips; left out: fit, or blur on a vertical target. Twitch's crop boxes of a clip come first.</summary>
    [JsonPropertyName("layout")] public LayoutSection? Layout { get; set; }

    /// <summary>The clip-title caption at the top of the safe area.</summary>
    [JsonPropertyName("caption")] public CaptionSection? Caption { get; set; }

    /// <summary>The parsed target; null when left out or misspelt (<see cref="EditorRules"/> reports the latter).</summary>
    [JsonIgnore] public PlatformTarget? PlatformTarget => PlatformTargets.Parse(Target);

    public string ToJson() => JsonSerializer.Serialize(this, CompilationJson.Options);

    /// <summary>Reads stored settings; an empty or broken document reads as no settings.</summary>
    public static CompilationSettings FromJson(string? json) => CompilationJson.Read<CompilationSettings>(json) ?? new();
}

/// <summary>Background music: asset ids of music tracks (played in order), volume and ducking under speech.</summary>
public sealed class MusicChoice
{
    [JsonPropertyName("tracks")] public List<long> Tracks { get; set; } = [];
    [JsonPropertyName("volume")] public double? Volume { get; set; }
    [JsonPropertyName("duck")] public bool? Duck { get; set; }

    public string ToJson() => JsonSerializer.Serialize(this, CompilationJson.Options);

    public static MusicChoice FromJson(string? json) => CompilationJson.Read<MusicChoice>(json) ?? new();
}

internal static class CompilationJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static T? Read<T>(string? json) where T : class
    {
        if (string.IsNullOrWhiteSpace(json))
            return null;
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
