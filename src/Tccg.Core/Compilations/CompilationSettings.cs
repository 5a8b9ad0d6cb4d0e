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
