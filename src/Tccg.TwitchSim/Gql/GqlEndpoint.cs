using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tccg.TwitchSim.Cdn;
using Tccg.TwitchSim.Helix;
using Tccg.TwitchSim.Hosting;
using Tccg.TwitchSim.World;

namespace Tccg.TwitchSim.Gql;

/// <summary>
/// <c>POST /gql</c>: the persisted queries <c>ShareClipRenderStatus</c> and <c>VideoAccessToken_Clip</c> (one
/// operation, or a JSON array answered with an array). An operation and hash not in
/// <see cref="SimState.GqlAccepted"/>: <c>{"errors":[{"message":"PersistedQueryNotFound"}]}</c> with 200, like Twitch.
/// </summary>
internal static class GqlEndpoint
{
    public const string ShareClipRenderStatus = "ShareClipRenderStatus";
    public const string VideoAccessTokenClip = "VideoAccessToken_Clip";

    public static void MapGql(this IEndpointRouteBuilder app) => app.MapPost("/gql", HandleAsync);

    private static async Task<IResult> HandleAsync(HttpContext context, SimState state)
    {
        var clientId = context.Request.Headers["Client-ID"].ToString();
        if (clientId.Length == 0)
            return TwitchJson.Error(400, "The \"Client-ID\" header is missing from the request.");
        if (!string.Equals(clientId, state.Options.GqlClientId, StringComparison.Ordinal))
            return TwitchJson.Error(400, "The \"Client-ID\" header is invalid.");

        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException)
        {
            return TwitchJson.Error(400, "The request body is not valid JSON.");
        }

        JsonNode response = body switch
        {
            JsonArray batch => new JsonArray(batch.Select(op => (JsonNode?)Answer(op as JsonObject, state)).ToArray()),
            JsonObject op => Answer(op, state),
            _ => new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["message"] = "invalid request body" }) },
        };
        return Results.Text(response.ToJsonString(TwitchJson.Gql), "application/json");
    }

    private static JsonObject Answer(JsonObject? operation, SimState state)
    {
        state.Counters.GqlOperation();
        var name = Text(operation?["operationName"]);
        var hash = Text(operation?["extensions"]?["persistedQuery"]?["sha256Hash"]);
        if (!state.AcceptsGql(name, hash))
        {
            return new JsonObject
            {
                ["errors"] = new JsonArray(new JsonObject { ["message"] = "PersistedQueryNotFound" }),
                ["extensions"] = Extensions(name),
            };
        }

        var slug = Text(operation?["variables"]?["slug"]);
        var clip = slug is not null && state.World.ClipsById.TryGetValue(slug, out var found) && !found.IsDeleted ? found : null;
        JsonNode? node = clip is null ? null
            : name == VideoAccessTokenClip ? VideoAccessTokenNode(clip, state)
            : ClipNode(clip, state);
        return new JsonObject
        {
            ["data"] = new JsonObject { ["clip"] = node },
            ["extensions"] = Extensions(name),
        };
    }

    /// <summary><c>VideoAccessToken_Clip</c>: the token and the landscape qualities, no assets.</summary>
    private static JsonObject VideoAccessTokenNode(SimClip clip, SimState state)
    {
        var (signature, value) = state.Signer.Sign(clip.Id, state.Options.PlaybackTokenLifetime);
        var qualities = new JsonArray();
        if (!(clip.IsLegacy && state.Options.LegacyGql == LegacyGqlBehaviour.EmptyAssets))
        {
            foreach (var (quality, fps) in MediaSpec.Qualities(clip.Profile))
            {
                qualities.Add(new JsonObject
                {
                    ["frameRate"] = fps,
                    ["quality"] = quality.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["sourceURL"] = clip.IsCreating ? "" : CdnEndpoints.SourceUrl(state.BaseUrl, clip, portrait: false, quality),
                    ["__typename"] = "ClipVideoQuality",
                });
            }
        }
        return new JsonObject
        {
            ["id"] = clip.AssetId,
            ["playbackAccessToken"] = new JsonObject
            {
                ["signature"] = signature,
                ["value"] = value,
                ["__typename"] = "PlaybackAccessToken",
            },
            ["videoQualities"] = qualities,
            ["__typename"] = "Clip",
        };
    }

    private static JsonObject ClipNode(SimClip clip, SimState state)
    {
        var (signature, value) = state.Signer.Sign(clip.Id, state.Options.PlaybackTokenLifetime);
        var assets = new JsonArray();
        if (!(clip.IsLegacy && state.Options.LegacyGql == LegacyGqlBehaviour.EmptyAssets))
        {
            if (clip.HasPortrait)
                assets.Add(AssetNode(clip, portrait: true, state));
            assets.Add(AssetNode(clip, portrait: false, state));
        }

        var game = state.World.GamesById.GetValueOrDefault(clip.GameId);
        var landscape = assets.Count > 0 ? assets[^1]!["videoQualities"]!.DeepClone() : new JsonArray();
        return new JsonObject
        {
            ["id"] = clip.AssetId,
            ["slug"] = clip.Id,
            ["url"] = $"https://clips.twitch.tv/{clip.Id}",
            ["embedURL"] = $"https://clips.twitch.tv/embed?clip={clip.Id}",
            ["title"] = clip.Title,
            ["viewCount"] = clip.ViewCount,
            ["language"] = clip.Language.ToUpperInvariant(),
            ["isFeatured"] = clip.IsFeatured,
            ["isPublished"] = true,
            ["createdAt"] = TwitchJson.Rfc3339(clip.CreatedAt),
            ["thumbnailURL"] = HelixMapping.ThumbnailUrl(clip, state.BaseUrl),
            ["durationSeconds"] = (int)Math.Round(clip.Duration, MidpointRounding.AwayFromZero),
            ["videoOffsetSeconds"] = clip.VodOffset,
            ["video"] = clip.VideoId.Length == 0 ? null : new JsonObject { ["id"] = clip.VideoId, ["__typename"] = "Video" },
            ["broadcaster"] = UserNode(clip.Broadcaster, state, "User"),
            ["curator"] = UserNode(clip.Creator, state, "User"),
            ["game"] = game is null ? null : new JsonObject
            {
                ["id"] = game.Id,
                ["name"] = game.Name,
                ["displayName"] = game.Name,
                ["boxArtURL"] = $"{state.BaseUrl}/thumbs/boxart/{game.Id}-52x72.jpg",
                ["__typename"] = "Game",
            },
            ["playbackAccessToken"] = new JsonObject
            {
                ["signature"] = signature,
                ["value"] = value,
                ["__typename"] = "PlaybackAccessToken",
            },
            ["assets"] = assets,
            ["videoQualities"] = landscape,
            ["__typename"] = "Clip",
        };
    }

    private static JsonObject UserNode(SimUser user, SimState state, string typename) => new()
    {
        ["id"] = user.Id,
        ["login"] = user.Login,
        ["displayName"] = user.DisplayName,
        ["profileImageURL"] = $"{state.BaseUrl}/thumbs/profile/{user.Id}-profile_image-70x70.jpg",
        ["__typename"] = typename,
    };

    private static JsonObject AssetNode(SimClip clip, bool portrait, SimState state)
    {
        var profile = portrait ? MediaProfile.Vertical1080x1920 : clip.Profile;
        var creating = clip.IsCreating;
        var qualities = new JsonArray();
        foreach (var (quality, fps) in MediaSpec.Qualities(profile))
        {
            var (width, height) = MediaSpec.Dimensions(profile, quality);
            qualities.Add(new JsonObject
            {
                ["quality"] = quality.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["frameRate"] = fps,
                ["width"] = width,
                ["height"] = height,
                ["sourceURL"] = creating ? "" : CdnEndpoints.SourceUrl(state.BaseUrl, clip, portrait, quality),
                ["__typename"] = "ClipVideoQuality",
            });
        }

        return new JsonObject
        {
            ["id"] = portrait ? clip.AssetId + "-portrait" : clip.AssetId,
            ["aspectRatio"] = portrait ? 9 / 16.0 : 16 / 9.0,
            ["type"] = portrait ? "RECOMPOSED" : "SOURCE",
            ["createdAt"] = TwitchJson.Rfc3339(clip.CreatedAt),
            ["curator"] = UserNode(clip.Creator, state, "User"),
            ["thumbnailURL"] = HelixMapping.ThumbnailUrl(clip, state.BaseUrl),
            ["creationState"] = creating ? "CREATING" : "CREATED",
            ["videoQualities"] = qualities,
            // Twitch's crop boxes for the portrait rendition; the source asset carries none.
            ["portraitMetadata"] = portrait ? SimPortrait.For(clip).ToJson() : null,
            ["__typename"] = "ClipAsset",
        };
    }

    private static JsonObject Extensions(string? operationName) => new()
    {
        ["durationMilliseconds"] = Random.Shared.Next(3, 40),
        ["operationName"] = operationName,
        ["requestID"] = Guid.NewGuid().ToString("N").ToUpperInvariant()[..26],
    };

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
