using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tccg.TwitchSim.Cdn;
using Tccg.TwitchSim.Hosting;

namespace Tccg.TwitchSim.Helix;

/// <summary>
/// <c>GET /helix/clips/downloads?editor_id=&amp;broadcaster_id=&amp;clip_id=</c> (official downloads, 2025-09): a user
/// token with <c>editor:manage:clips</c> or <c>channel:manage:clips</c>; <c>editor_id</c> must be the token's user
/// and that user the broadcaster or one of its editors; 1 to 10 <c>clip_id</c>s (more: 400); 100 requests a minute per user (<c>Ratelimit-Limit/Remaining/Reset</c> of
/// that bucket on every answer past authentication, 429 when it is empty).
/// URLs are signed and expire (<see cref="TwitchSimOptions.OfficialDownloadLifetime"/>); the portrait one is null
/// for clips without a portrait asset.
/// </summary>
internal static class ClipDownloadsEndpoint
{
    public const int MaxClipIds = 10;
    private static readonly string[] Scopes = ["editor:manage:clips", "channel:manage:clips"];

    public static void MapClipDownloads(this IEndpointRouteBuilder app) => app.MapGet("/helix/clips/downloads", Get);

    private static IResult Get(HttpContext context, SimState state)
    {
        if (context.Items[SimGate.UserGrantKey] is not UserGrant user)
            return Unauthorized(state, "Missing User OAuth Token");
        if (!user.Scopes.Any(s => Scopes.Contains(s, StringComparer.Ordinal)))
            return Unauthorized(state, "Missing scope: editor:manage:clips or channel:manage:clips");
        var query = context.Request.Query;
        var editor = query["editor_id"].FirstOrDefault() ?? "";
        var broadcaster = query["broadcaster_id"].FirstOrDefault() ?? "";
        var ids = query["clip_id"].Where(id => !string.IsNullOrEmpty(id)).Select(id => id!).ToList();
        if (editor.Length == 0)
            return TwitchJson.Error(400, "Missing required parameter \"editor_id\"");
        if (broadcaster.Length == 0)
            return TwitchJson.Error(400, "Missing required parameter \"broadcaster_id\"");
        if (ids.Count == 0)
            return TwitchJson.Error(400, "Missing required parameter \"clip_id\"");
        if (ids.Count > MaxClipIds)
            return TwitchJson.Error(400, "The number of clip_id parameters exceeds the maximum of 10");
        if (!string.Equals(editor, user.UserId, StringComparison.Ordinal))
            return TwitchJson.Error(403, "editor_id must match the user ID in the access token");
        if (!state.UserTokens.MayEdit(user.UserId, broadcaster))
            return TwitchJson.Error(403, "The user in editor_id is not the broadcaster or one of its editors");
        // This endpoint's own bucket (per user, not the app's points): its Ratelimit-* headers replace the gate's.
        var allowed = state.UserRateLimiter.TryTake(user.UserId, out var remaining, out var reset);
        var headers = context.Response.Headers;
        headers["Ratelimit-Limit"] = state.UserRateLimiter.Limit.ToString(CultureInfo.InvariantCulture);
        headers["Ratelimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        headers["Ratelimit-Reset"] = ((long)Math.Ceiling(reset.ToUnixTimeMilliseconds() / 1000.0)).ToString(CultureInfo.InvariantCulture);
        if (!allowed)
        {
            state.Counters.RateLimitHit();
            return TwitchJson.Error(429, "Too Many Requests");
        }

        var data = new List<object>();
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            if (!state.World.ClipsById.TryGetValue(id, out var clip) || clip.IsDeleted || clip.Broadcaster.Id != broadcaster)
                continue;
            string? Url(bool portrait)
            {
                if (clip.IsCreating || (portrait && !clip.HasPortrait) || clip.IsLegacy)
                    return null;
                var profile = portrait ? World.MediaProfile.Vertical1080x1920 : clip.Profile;
                var (signature, value) = state.Signer.Sign(clip.Id, state.Options.OfficialDownloadLifetime);
                return $"{CdnEndpoints.SourceUrl(state.BaseUrl, clip, portrait, MediaSpec.Qualities(profile)[0].Quality)}?sig={signature}&token={Uri.EscapeDataString(value)}";
            }
            data.Add(new Dictionary<string, string?>
            {
                ["clip_id"] = clip.Id,
                ["landscape_download_url"] = Url(portrait: false),
                ["portrait_download_url"] = Url(portrait: true),
            });
        }
        state.Counters.OfficialDownloadServed(data.Count);
        return Results.Json(new { data }, TwitchJson.Helix);
    }

    private static IResult Unauthorized(SimState state, string message)
    {
        state.Counters.UnauthorizedSent();
        return TwitchJson.Error(401, message);
    }
}
