using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tccg.Core.Clips;
using Tccg.Core.Configuration;
using Tccg.Server.Application;
using Tccg.Server.Auth;
using Tccg.Server.Extensions;
using Tccg.Storage.Clips;
using Tccg.Twitch.Downloads;

namespace Tccg.Server.Features.ClipBin;

/// <summary>A clip as the API shows it, in the clip bin and in compilations (no server paths).</summary>
public sealed record ClipView(
    long Id,
    string TwitchClipId,
    string Url,
    string Title,
    string BroadcasterId,
    string BroadcasterName,
    string? BroadcasterLogin,
    string GameId,
    string Language,
    int ViewCount,
    DateTimeOffset CreatedAt,
    string ThumbnailUrl,
    double Duration,
    string Status,
    double? MediaDuration,
    int? Width,
    int? Height,
    double? Fps,
    double? LoudnessLufs,
    string? LastError,
    string? MediaUrl,
    long? DuplicateOf = null)
{
    /// <summary>The view of <paramref name="c"/>; its media's link under the server's path prefix (<paramref name="links"/>).</summary>
    public static ClipView From(ClipRecord c, ApiLinks links) => new(
        c.Id, c.TwitchClipId, c.Url, c.Title, c.BroadcasterId, c.BroadcasterName, c.BroadcasterLogin, c.GameId, c.Language,
        c.ViewCount, c.CreatedAt, c.ThumbnailUrl, c.Duration, c.Status.ToString(), c.MediaDuration, c.Width, c.Height, c.Fps,
        c.LoudnessLufs, c.LastError, c.FilePath is null ? null : $"{links.Root}/clips/{c.Id}/media", c.DuplicateOf);
}

public sealed record ClipPageView(IReadOnlyList<ClipView> Items, string? NextCursor);

/// <summary>
/// Compile-time JSON for the clip pages, as the rest of the API writes them (camelCase names, the default encoder): the
/// clip browser writes 50 clips a request. Without the web defaults' number handling (which only reads numbers from
/// strings), so the generated writer can write the page directly (<see cref="ClipPageResult"/>).
/// </summary>
[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(ClipPageView))]
internal sealed partial class ClipsJsonContext : System.Text.Json.Serialization.JsonSerializerContext;

/// <summary>
/// A clip page as JSON, written synchronously into the response's pipe by the generated writer of
/// <see cref="ClipsJsonContext"/> (the asynchronous serializer goes through the generic converters instead), then flushed.
/// </summary>
public sealed class ClipPageResult(ClipPageView page) : IResult, IValueHttpResult<ClipPageView>, IValueHttpResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public ClipPageView Value => page;

    object? IValueHttpResult.Value => page;

    public int? StatusCode => StatusCodes.Status200OK;

    public string ContentType => "application/json; charset=utf-8";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = ContentType;
        using (var writer = new System.Text.Json.Utf8JsonWriter(httpContext.Response.BodyWriter))
            System.Text.Json.JsonSerializer.Serialize(writer, page, ClipsJsonContext.Default.ClipPageView);
        // No token: a client that went away completes the flush (as the serializer's own writes do), it does not throw.
        await httpContext.Response.BodyWriter.FlushAsync();
    }
}

public sealed record MissingCheckResult(int MarkedMissing);

/// <summary>The clip bin: paged queries, one clip, its media (with Range) and the missing-files check.</summary>
public static class ClipsApi
{
    public static RouteGroupBuilder MapClipsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/clips").WithTags("Clips");
        group.MapGet("/", QueryAsync).RequireAuthorization(Policies.Editor).RequireRateLimiting(DatabaseWork.Policy).Produces<ClipPageView>()
            .WithName("QueryClips").WithSummary("The clip browser: filter by game, channel (Twitch user id), status, language, streamer, q (title text), from/before, minViews, minDuration/maxDuration; sort=views|date; keyset-paged with ?after=cursor");
        group.MapGet("/{id:long}", GetAsync).RequireAuthorization(Policies.Editor).RequireRateLimiting(DatabaseWork.Policy)
            .WithName("GetClip").WithSummary("One clip");
        group.MapGet("/{id:long}/media", MediaAsync).RequireAuthorization(Policies.Editor)
            .WithName("GetClipMedia").WithSummary("The clip's MP4, with Range support for seeking");
        group.MapPost("/check-missing", CheckMissingAsync).RequireAuthorization(Policies.Admin)
            .WithName("CheckMissingClips").WithSummary("Mark downloaded clips whose file vanished as Missing");
        return api;
    }

    public static async Task<ClipPageResult> QueryAsync(
        HttpContext http, ClipBrowserService browser, CancellationToken ct,
        string? game = null, string? status = null, int? minViews = null, DateTimeOffset? from = null,
        DateTimeOffset? before = null, string? order = null, int limit = 50, string? after = null,
        long? compilation = null, string? review = null, string? language = null, string? streamer = null,
        string? q = null, double? minDuration = null, double? maxDuration = null, string? sort = null, string? channel = null) =>
        new(await browser.BrowseAsync(http.Caller(), new ClipBrowseRequest(
            game, status, language, streamer, q, from, before, minViews, minDuration, maxDuration, sort ?? order, limit, after,
            compilation, review, channel), ct));

    public static async Task<Ok<ClipView>> GetAsync(long id, HttpContext http, ClipBinService service, ApiLinks links, CancellationToken ct) =>
        TypedResults.Ok(ClipView.From(await service.GetClipAsync(http.Caller(), id, ct), links));

    public static async Task<FileStreamHttpResult> MediaAsync(long id, HttpContext http, ClipBinService service, CancellationToken ct)
    {
        var path = await service.ClipFileAsync(http.Caller(), id, ct);
        // A plain (synchronous) sequential file stream: Kestrel copies it out faster than the asynchronous file
        // handle PhysicalFile opens, and ASP.NET still answers Range and If-Range requests.
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0, FileOptions.SequentialScan);
        return TypedResults.Stream(file, "video/mp4", lastModified: File.GetLastWriteTimeUtc(path), enableRangeProcessing: true);
    }

    public static async Task<Ok<MissingCheckResult>> CheckMissingAsync(HttpContext http, ClipBinService service, CancellationToken ct) =>
        TypedResults.Ok(new MissingCheckResult(await service.CheckMissingAsync(http.Caller(), ct)));
}
