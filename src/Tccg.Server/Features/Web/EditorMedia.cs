using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Tccg.Core.Configuration;
using Tccg.Server.Auth;
using Tccg.Storage.Assets;
using Tccg.Storage.Renders;

namespace Tccg.Server.Features.Web;

/// <summary>
/// Media for the editor's players, with Range support: assets and finished renders (clips come from /api/v1/clips/{id}/media).
/// Paths in the stores are relative to the storage root and never come from the request.
/// </summary>
internal static class EditorMedia
{
    public static string ClipUrl(long clipId) => $"/api/v1/clips/{clipId}/media";

    public static string AssetUrl(long assetId) => $"/ui/media/assets/{assetId}";

    public static string RenderUrl(long jobId, bool download = false) => $"/ui/media/renders/{jobId}" + (download ? "?download=1" : "");

    public static string CreditsUrl(long jobId) => $"/ui/media/renders/{jobId}/credits";

    public static void MapEditorMedia(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/ui/media").RequireAuthorization(Policies.Editor).ExcludeFromDescription();
        group.MapGet("/assets/{id:long}", AssetAsync);
        group.MapGet("/renders/{id:long}", RenderAsync);
        group.MapGet("/renders/{id:long}/credits", CreditsAsync);
    }

    private static async Task<IResult> AssetAsync(long id, IAssetStore assets, IOptions<StorageOptions> storage, CancellationToken ct)
    {
        var asset = await assets.GetAsync(id, ct);
        var type = asset?.StoredName.EndsWith(".mp4", StringComparison.OrdinalIgnoreCase) == false ? "audio/mpeg" : "video/mp4";
        return FileOrNotFound(storage.Value, asset is null ? null : Path.Combine("assets", asset.StoredName), type, null);
    }

    private static async Task<IResult> RenderAsync(long id, string? download, HttpContext http, IRenderJobStore jobs,
        IOptions<StorageOptions> storage, CancellationToken ct)
    {
        var job = await jobs.GetAsync(id, ct);
        if (job is null || !CanSee(http, job.OwnerId))
            return TypedResults.NotFound();
        return FileOrNotFound(storage.Value, job.OutputPath, "video/mp4", download is null ? null : $"render-{id}.mp4");
    }

    private static async Task<IResult> CreditsAsync(long id, HttpContext http, IRenderJobStore jobs, IOptions<StorageOptions> storage, CancellationToken ct)
    {
        var job = await jobs.GetAsync(id, ct);
        if (job is null || !CanSee(http, job.OwnerId))
            return TypedResults.NotFound();
        return FileOrNotFound(storage.Value, job.CreditsPath, "text/plain; charset=utf-8", $"render-{id}.txt");
    }

    private static bool CanSee(HttpContext http, long? ownerId) => http.User.IsAdmin() || ownerId == http.User.UserId();

    internal static string? FullPath(StorageOptions storage, string? stored)
    {
        if (string.IsNullOrEmpty(stored))
            return null;
        var root = Path.GetFullPath(storage.Root);
        var full = Path.GetFullPath(Path.IsPathRooted(stored) ? stored : Path.Combine(root, stored));
        return File.Exists(full) ? full : null;
    }

    private static IResult FileOrNotFound(StorageOptions storage, string? stored, string contentType, string? downloadName) =>
        FullPath(storage, stored) is { } full
            ? TypedResults.PhysicalFile(full, contentType, downloadName, enableRangeProcessing: true)
            : TypedResults.NotFound();
}
