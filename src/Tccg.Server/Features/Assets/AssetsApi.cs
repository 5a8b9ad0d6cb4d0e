using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tccg.Core.Compilations;
using Tccg.Core.Configuration;
using Tccg.Server.Auth;
using Tccg.Storage.Assets;
using Tccg.Storage.Compilations;

namespace Tccg.Server.Features.Assets;

/// <summary>An uploaded intro, outro, interval, first clip or music track as the API shows it.</summary>
public sealed record AssetView(long Id, string Kind, string Name, long Size, double Duration, int? Width, int? Height, double? Fps,
    bool HasAudio, long? OwnerId, bool Shared, DateTimeOffset CreatedAt, string MediaUrl);

/// <summary><c>/api/v1/assets</c>: upload (multipart, streamed and probed), list, get, stream with Range, delete.</summary>
public static class AssetsApi
{
    public static IServiceCollection AddAssetsFeature(this IServiceCollection services)
    {
        services.AddSingleton<AssetUploader>();
        services.AddSingleton<AssetAccess>();
        return services;
    }

    public static RouteGroupBuilder MapAssetsApi(this RouteGroupBuilder api)
    {
        var assets = api.MapGroup("/assets").WithTags("Assets").RequireAuthorization(Policies.Editor);
        assets.MapGet("/", ListAsync).WithName("ListAssets").WithSummary("Assets the caller may use (own plus the shared library), newest first; ?kind= filters");
        assets.MapPost("/", UploadAsync).WithName("UploadAsset").DisableAntiforgery()
            .WithSummary("Upload an intro, outro, interval, first clip or music track (multipart: kind, file)");
        assets.MapGet("/{id:long}", GetAsync).WithName("GetAsset").WithSummary("One asset");
        assets.MapGet("/{id:long}/media", StreamAsync).WithName("StreamAsset").WithSummary("The asset's file, with Range support");
        assets.MapDelete("/{id:long}", DeleteAsync).WithName("DeleteAsset")
            .WithSummary("Delete an asset; refused (409) while a compilation uses it");
        return api;
    }

    public static AssetView View(Asset a, long? callerId) => new(a.Id, AssetMediaRules.KindName(a.Kind), a.OriginalName, a.Size,
        a.MediaDuration ?? 0, a.Width is > 0 ? a.Width : null, a.Height is > 0 ? a.Height : null, a.Fps is > 0 ? a.Fps : null,
        a.HasAudio ?? false, a.OwnerId, a.OwnerId != callerId, a.CreatedAt, $"/api/v1/assets/{a.Id}/media");

    public static async Task<Results<Ok<AssetView[]>, ProblemHttpResult>> ListAsync(string? kind, HttpContext http, AssetAccess access, CancellationToken ct)
    {
        AssetKind? filter = null;
        if (!string.IsNullOrEmpty(kind))
        {
            filter = AssetMediaRules.ParseKind(kind);
            if (filter is null)
                return TypedResults.Problem(statusCode: 400, title: "kind must be intro, outro, interval, first or music.");
        }
        var list = await access.ListVisibleAsync(http.User, filter, ct);
        return TypedResults.Ok(list.Select(a => View(a, http.User.UserId())).ToArray());
    }

    public static async Task<Results<Created<AssetView>, ProblemHttpResult>> UploadAsync(HttpContext http, AssetUploader uploader, CancellationToken ct)
    {
        var outcome = await uploader.UploadAsync(http, http.User.UserId(), ct);
        if (outcome.Asset is not { } asset)
            return TypedResults.Problem(statusCode: outcome.Status, title: outcome.Title, detail: outcome.Detail);
        return TypedResults.Created($"/api/v1/assets/{asset.Id}", View(asset, http.User.UserId()));
    }

    public static async Task<Results<Ok<AssetView>, ProblemHttpResult>> GetAsync(long id, HttpContext http, AssetAccess access, CancellationToken ct) =>
        await access.GetVisibleAsync(http.User, id, ct) is { } asset
            ? TypedResults.Ok(View(asset, http.User.UserId()))
            : NotFound(id);

    public static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> StreamAsync(
        long id, HttpContext http, AssetAccess access, IOptions<StorageOptions> storage, CancellationToken ct)
    {
        if (await access.GetVisibleAsync(http.User, id, ct) is not { } asset)
            return NotFound(id);
        var path = Path.GetFullPath(Path.Combine(storage.Value.AssetsDir, asset.StoredName));
        if (!File.Exists(path))
            return TypedResults.Problem(statusCode: 404, title: $"The file of asset {id} is missing from the assets folder.");
        return TypedResults.PhysicalFile(path, AssetMediaRules.ContentType(asset.StoredName), enableRangeProcessing: true);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        long id, HttpContext http, AssetAccess access, IAssetStore assets, ICompilationStore compilations, IOptions<StorageOptions> storage, CancellationToken ct)
    {
        if (await access.GetVisibleAsync(http.User, id, ct) is not { } asset)
            return NotFound(id);
        if (!AssetAccess.CanDelete(http.User, asset))
            return TypedResults.Problem(statusCode: 403, title: $"Asset {id} belongs to the shared library; only its uploader or an admin may delete it.");

        var users = (await compilations.ListAsync(null, ct)).Where(c => Uses(c, id)).ToList();
        if (users.Count > 0)
        {
            var me = http.User.UserId();
            var named = users.Where(c => c.OwnerId == me || c.Shared || http.User.IsAdmin()).Select(c => $"\"{c.Name}\" ({c.Id})").ToList();
            var others = users.Count - named.Count;
            var list = string.Join(", ", named) + (others > 0 ? $"{(named.Count > 0 ? " and " : "")}{others} other compilation(s)" : "");
            return TypedResults.Problem(statusCode: 409, title: $"Asset {id} is used by {list}.",
                detail: "Pick another asset in those compilations (or clear the slot), then delete it.");
        }

        if (!await assets.DeleteAsync(id, ct))
            return NotFound(id);
        try
        {
            File.Delete(Path.Combine(storage.Value.AssetsDir, asset.StoredName));
        }
        catch (IOException)
        {
            // The row is gone; a leftover file is harmless and the storage check reports stray files.
        }
        return TypedResults.NoContent();
    }

    /// <summary>Whether a compilation refers to the asset in a slot or as a music track.</summary>
    public static bool Uses(Compilation c, long assetId) =>
        c.IntroAssetId == assetId || c.OutroAssetId == assetId || c.IntervalAssetId == assetId || c.FirstAssetId == assetId
        || MusicChoice.FromJson(c.MusicJson).Tracks.Contains(assetId);

    private static ProblemHttpResult NotFound(long id) => TypedResults.Problem(statusCode: 404, title: $"No asset {id}.");
}
