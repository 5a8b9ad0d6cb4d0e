using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tccg.Core.Timeline;

/// <summary>
/// What a submitted compilation freezes into a render job (the job's timeline JSON): the timeline with every
/// file path relative to the server's storage root (<c>clips/…</c>, <c>assets/…</c>), the loudness the clip
/// bin already measured per path, and the clips that become Used once the render succeeds. Generators
/// fetch each path from the server and map it to a local file.
/// </summary>
public sealed class FrozenTimeline
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";

    [JsonPropertyName("timeline")] public TimelineDocument Timeline { get; set; } = new() { Version = TimelineDocument.CurrentVersion, Items = [] };

    /// <summary>Integrated loudness (LUFS) per storage-relative path, when known.</summary>
    [JsonPropertyName("loudness")] public Dictionary<string, double> Loudness { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Clip-bin ids of the clips in the timeline.</summary>
    [JsonPropertyName("clipIds")] public List<long> ClipIds { get; set; } = [];

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static FrozenTimeline FromJson(string json) =>
        JsonSerializer.Deserialize<FrozenTimeline>(json, Json) ?? throw new JsonException("The render job's timeline is empty.");

    /// <summary>Every storage-relative path the timeline refers to (items, interval, music), each once.</summary>
    public IReadOnlyList<string> Paths()
    {
        var paths = new List<string>();
        void Add(string? p)
        {
            if (!string.IsNullOrEmpty(p) && !paths.Contains(p, StringComparer.Ordinal))
                paths.Add(p);
        }

        foreach (var item in Timeline.Items ?? [])
            Add(item.File);
        Add(Timeline.Interval);
        foreach (var track in Timeline.Music?.Tracks ?? [])
            Add(track);
        return paths;
    }
}
