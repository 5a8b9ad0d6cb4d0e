using System.Text.Json.Serialization;
using Tccg.TwitchSim.Hosting;
using Tccg.TwitchSim.World;

namespace Tccg.TwitchSim.Helix;

/// <summary><c>{"data":[…],"pagination":{…}}</c>; <c>pagination</c> is <c>{}</c> on the last page.</summary>
internal sealed record HelixPage<T>(IReadOnlyList<T> Data, Pagination Pagination);

internal sealed record HelixData<T>(IReadOnlyList<T> Data);

internal sealed record Pagination([property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Cursor);

internal sealed record GameDto(string Id, string Name, string BoxArtUrl, string IgdbId);

internal sealed record UserDto(
    string Id,
    string Login,
    string DisplayName,
    string Type,
    string BroadcasterType,
    string Description,
    string ProfileImageUrl,
    string OfflineImageUrl,
    long ViewCount,
    string CreatedAt);

/// <summary>Exactly Helix's clip field set and types (duration a float, vod_offset an int or null).</summary>
internal sealed record ClipDto(
    string Id,
    string Url,
    string EmbedUrl,
    string BroadcasterId,
    string BroadcasterName,
    string CreatorId,
    string CreatorName,
    string VideoId,
    string GameId,
    string Language,
    string Title,
    int ViewCount,
    string CreatedAt,
    string ThumbnailUrl,
    double Duration,
    int? VodOffset,
    bool IsFeatured);

internal static class HelixMapping
{
    public static GameDto ToDto(this SimGame game, string baseUrl) =>
        new(game.Id, game.Name, $"{baseUrl}/thumbs/boxart/{game.Id}-{{width}}x{{height}}.jpg", game.IgdbId);

    public static UserDto ToDto(this SimUser user, string baseUrl) =>
        new(user.Id, user.Login, user.DisplayName, "", user.BroadcasterType, user.Description,
            $"{baseUrl}/thumbs/profile/{user.Id}-profile_image-300x300.jpg", "", 0, TwitchJson.Rfc3339(user.CreatedAt));

    public static ClipDto ToDto(this SimClip clip, string baseUrl) =>
        new(clip.Id,
            $"https://clips.twitch.tv/{clip.Id}",
            $"https://clips.twitch.tv/embed?clip={clip.Id}",
            clip.Broadcaster.Id,
            clip.Broadcaster.DisplayName,
            clip.Creator.Id,
            clip.Creator.DisplayName,
            clip.VideoId,
            clip.GameId,
            clip.Language,
            clip.Title,
            clip.ViewCount,
            TwitchJson.Rfc3339(clip.CreatedAt),
            ThumbnailUrl(clip, baseUrl),
            clip.Duration,
            clip.VodOffset,
            clip.IsFeatured);

    /// <summary>Modern clips: a static-cdn style path; legacy clips: <c>…/clips-media-assets2/{name}-preview-480x272.jpg</c>.</summary>
    public static string ThumbnailUrl(SimClip clip, string baseUrl) => clip.LegacyMediaName is { } legacy
        ? $"{baseUrl}/clips-media-assets2/{Uri.EscapeDataString(legacy)}-preview-480x272.jpg"
        : $"{baseUrl}/thumbs/twitch-clips-thumbnails-prod/{clip.Id}/{clip.AssetId}/preview-480x272.jpg";
}
