using System.Text.Json.Serialization;

namespace Tccg.Twitch.Helix;

/// <summary>A category from <c>/games</c> or <c>/games/top</c>.</summary>
public sealed record HelixGame(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("box_art_url")] string? BoxArtUrl,
    [property: JsonPropertyName("igdb_id")] string? IgdbId);

/// <summary>A user from <c>/users</c>; <see cref="Login"/> is what channel links use.</summary>
public sealed record HelixUser(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("login")] string Login,
    [property: JsonPropertyName("display_name")] string? DisplayName,
    [property: JsonPropertyName("profile_image_url")] string? ProfileImageUrl = null);

/// <summary>A clip from <c>/clips</c>, with the quirks of the real API smoothed out.</summary>
public sealed record HelixClip
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("url")] public string? Url { get; init; }
    [JsonPropertyName("embed_url")] public string? EmbedUrl { get; init; }
    [JsonPropertyName("broadcaster_id")] public required string BroadcasterId { get; init; }
    [JsonPropertyName("broadcaster_name")] public string BroadcasterName { get; init; } = "";
    [JsonPropertyName("creator_id")] public string? CreatorId { get; init; }
    [JsonPropertyName("creator_name")] public string? CreatorName { get; init; }

    /// <summary>The VOD id; null when Twitch sends <c>""</c> (no VOD).</summary>
    [JsonPropertyName("video_id"), JsonConverter(typeof(EmptyStringAsNullConverter))]
    public string? VideoId { get; init; }

    [JsonPropertyName("game_id")] public string? GameId { get; init; }
    [JsonPropertyName("language")] public string Language { get; init; } = "";
    [JsonPropertyName("title")] public string Title { get; init; } = "";
    [JsonPropertyName("view_count")] public int ViewCount { get; init; }
    [JsonPropertyName("created_at")] public required DateTimeOffset CreatedAt { get; init; }
    [JsonPropertyName("thumbnail_url")] public string? ThumbnailUrl { get; init; }

    /// <summary>Seconds; Twitch sends a float that may arrive as an integer (or, rarely, a string).</summary>
    [JsonPropertyName("duration"), JsonConverter(typeof(FlexibleDoubleConverter))]
    public double Duration { get; init; }

    /// <summary>Seconds into the VOD; null when unknown.</summary>
    [JsonPropertyName("vod_offset"), JsonConverter(typeof(FlexibleNullableIntConverter))]
    public int? VodOffset { get; init; }

    [JsonPropertyName("is_featured")] public bool IsFeatured { get; init; }
}

/// <summary>A page of Helix data; <see cref="Cursor"/> is null on the last page.</summary>
public sealed record HelixPage<T>(IReadOnlyList<T> Data, string? Cursor);
