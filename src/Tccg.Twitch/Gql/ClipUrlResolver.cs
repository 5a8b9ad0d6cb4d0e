using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tccg.Core.Configuration;

namespace Tccg.Twitch.Gql;

/// <summary>What the resolver found out about one clip.</summary>
public abstract record ClipUrlResult
{
    private ClipUrlResult() { }

    /// <summary>A signed URL, fresh: use it at once, never store it.</summary>
    public sealed record Ready(Uri Url, string Quality, int? Width, int? Height) : ClipUrlResult;

    /// <summary>The clip is gone from Twitch (<c>data.clip</c> is null).</summary>
    public sealed record Deleted : ClipUrlResult;

    /// <summary>Twitch is still creating the clip (<c>CREATING</c> or no source URL yet): try again later.</summary>
    public sealed record NotReady(string Reason) : ClipUrlResult;
}

/// <summary>
/// Resolves a clip's download URL with the unofficial GQL <c>ShareClipRenderStatus</c> query (docs/twitch.md).
/// A rotated persisted-query hash throws <see cref="ClipAccessHashRotatedException"/>.
/// </summary>
public sealed partial class ClipUrlResolver(HttpClient http, IOptions<TwitchOptions> options, ILogger<ClipUrlResolver> logger)
{
    public async Task<ClipUrlResult> ResolveAsync(string clipId, string? thumbnailUrl, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clipId);
        var o = options.Value;
        var body = new
        {
            operationName = "ShareClipRenderStatus",
            variables = new { slug = clipId },
            extensions = new { persistedQuery = new { version = 1, sha256Hash = o.ClipAccessHash } },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(o.GqlUrl)) { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("Client-ID", o.GqlClientId);
        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized
            && text.Contains("Client-ID", StringComparison.OrdinalIgnoreCase))
            throw new GqlClientIdRejectedException(o.GqlClientId, Helix.HelixJson.ErrorMessage(text));
        if (!response.IsSuccessStatusCode && !LooksLikeGql(text))
            throw new TwitchApiException(
                $"Twitch GQL answered {(int)response.StatusCode} {response.StatusCode} for clip {clipId}: {Snippet(text)}", response.StatusCode);
        var result = Parse(text, clipId, o.ClipAccessHash);
        if (result is not ClipUrlResult.Ready && LegacyUrl(thumbnailUrl) is { } legacy)
        {
            logger.LogInformation("Clip {ClipId} has no GQL record; using its legacy media URL", clipId);
            return new ClipUrlResult.Ready(legacy, "legacy", null, null);
        }
        return result;
    }

    /// <summary>Reads a ShareClipRenderStatus response (object, or a one-element array when batched).</summary>
    public static ClipUrlResult Parse(string json, string clipId, string hash)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new TwitchApiException($"Twitch GQL sent a malformed response for clip {clipId}: {Snippet(json)}", HttpStatusCode.OK, e);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0)
                root = root[0];
            if (root.ValueKind != JsonValueKind.Object)
                throw Malformed(clipId, json, "not an object");
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
            {
                var messages = errors.EnumerateArray()
                    .Select(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("message", out var m) ? m.ToString() : e.ToString())
                    .ToList();
                if (messages.Any(m => m.Contains("PersistedQueryNotFound", StringComparison.OrdinalIgnoreCase)))
                    throw new ClipAccessHashRotatedException(hash);
                if (!root.TryGetProperty("data", out var d) || d.ValueKind != JsonValueKind.Object)
                    throw new TwitchApiException($"Twitch GQL refused clip {clipId}: {string.Join("; ", messages)}");
            }
            if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
                throw Malformed(clipId, json, "no \"data\" object");
            if (!data.TryGetProperty("clip", out var clip) || clip.ValueKind == JsonValueKind.Null)
                return new ClipUrlResult.Deleted();
            if (clip.ValueKind != JsonValueKind.Object)
                throw Malformed(clipId, json, "\"clip\" is not an object");
            return FromClip(clip, clipId, json);
        }
    }

    private static ClipUrlResult FromClip(JsonElement clip, string clipId, string json)
    {
        var assets = clip.TryGetProperty("assets", out var a) && a.ValueKind == JsonValueKind.Array
            ? a.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Object).ToList()
            : [];
        // Older responses carry videoQualities on the clip itself: treat it as one landscape asset.
        if (assets.Count == 0 && clip.TryGetProperty("videoQualities", out var vq) && vq.ValueKind == JsonValueKind.Array)
            assets.Add(clip);
        if (assets.Count == 0)
            return new ClipUrlResult.NotReady("no assets yet");

        var ordered = assets
            .OrderByDescending(x => Number(x, "aspectRatio") is > 1 ? 1 : 0)
            .ToList();
        var creating = false;
        foreach (var asset in ordered)
        {
            if (asset.TryGetProperty("creationState", out var state) && state.ValueKind == JsonValueKind.String
                && !string.Equals(state.GetString(), "CREATED", StringComparison.OrdinalIgnoreCase))
            {
                creating = true;
                continue;
            }
            var best = Qualities(asset).Where(q => q.Url.Length > 0).OrderByDescending(q => q.Rank).FirstOrDefault();
            if (best is null)
                continue;
            if (!clip.TryGetProperty("playbackAccessToken", out var token) || token.ValueKind != JsonValueKind.Object
                || !token.TryGetProperty("signature", out var sig) || sig.ValueKind != JsonValueKind.String
                || !token.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.String)
                throw Malformed(clipId, json, "no playbackAccessToken");
            var url = best.Url + (best.Url.Contains('?', StringComparison.Ordinal) ? "&" : "?")
                + "sig=" + sig.GetString() + "&token=" + Uri.EscapeDataString(value.GetString()!);
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
                throw Malformed(clipId, json, "sourceURL is not an absolute URL");
            return new ClipUrlResult.Ready(uri, best.Quality, best.Width, best.Height);
        }
        return new ClipUrlResult.NotReady(creating ? "Twitch is still creating the clip" : "no source URL yet");
    }

    private sealed record QualityChoice(string Url, string Quality, int? Width, int? Height, double Rank);

    private static IEnumerable<QualityChoice> Qualities(JsonElement asset)
    {
        if (!asset.TryGetProperty("videoQualities", out var list) || list.ValueKind != JsonValueKind.Array)
            yield break;
        foreach (var q in list.EnumerateArray().Where(q => q.ValueKind == JsonValueKind.Object))
        {
            var url = q.TryGetProperty("sourceURL", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : "";
            var name = q.TryGetProperty("quality", out var n) ? n.ToString() : "";
            var width = (int?)Number(q, "width");
            var height = (int?)Number(q, "height");
            var fps = Number(q, "frameRate") ?? 0;
            var lines = height ?? (double.TryParse(name, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var p) ? p : 0);
            yield return new QualityChoice(url, name, width, height, lines * 1000 + fps);
        }
    }

    private static double? Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.Number => v.GetDouble(),
            JsonValueKind.String when double.TryParse(v.GetString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) => d,
            _ => null,
        } : null;

    /// <summary>
    /// Very old clips: <c>https://clips-media-assets2.twitch.tv/…-preview-480x272.jpg</c> → <c>….mp4</c>. A proxy or
    /// simulator that serves the host under a <c>/clips-media-assets2/</c> path is recognised too.
    /// </summary>
    public static Uri? LegacyUrl(string? thumbnailUrl)
    {
        if (string.IsNullOrEmpty(thumbnailUrl) || !Uri.TryCreate(thumbnailUrl, UriKind.Absolute, out var uri))
            return null;
        var onLegacyHost = uri.Host.StartsWith("clips-media-assets2.", StringComparison.OrdinalIgnoreCase)
            || uri.AbsolutePath.StartsWith("/clips-media-assets2/", StringComparison.OrdinalIgnoreCase);
        if (!onLegacyHost)
            return null;
        var match = LegacyPreview().Match(uri.AbsolutePath);
        return match.Success ? new UriBuilder(uri) { Path = match.Groups[1].Value + ".mp4", Query = "" }.Uri : null;
    }

    [GeneratedRegex(@"^(.+)-preview-480x272\.jpg$", RegexOptions.CultureInvariant)]
    private static partial Regex LegacyPreview();

    private static bool LooksLikeGql(string text) =>
        text.Contains("\"errors\"", StringComparison.Ordinal) || text.Contains("\"data\"", StringComparison.Ordinal);

    private static TwitchApiException Malformed(string clipId, string json, string reason) =>
        new($"Twitch GQL sent a malformed response for clip {clipId} ({reason}): {Snippet(json)}", HttpStatusCode.OK);

    private static string Snippet(string text)
    {
        var flat = text.ReplaceLineEndings(" ").Trim();
        return flat.Length <= 200 ? flat : string.Concat(flat.AsSpan(0, 200), "…");
    }
}
