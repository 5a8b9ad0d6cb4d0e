using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tccg.Core.Compilations;
using Tccg.Core.Configuration;
using Tccg.Server.Application;
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
        services.AddSingleton<AssetService>();
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

    public static AssetView View(Asset a, CurrentUser caller, ApiLinks links) => new(a.Id, AssetMediaRules.KindName(a.Kind), a.OriginalName, a.Size,
        a.MediaDuration ?? 0, a.Width is > 0 ? a.Width : null, a.Height is > 0 ? a.Height : null, a.Fps is > 0 ? a.Fps : null,
        a.HasAudio ?? false, a.OwnerId, AssetAccess.IsShared(a, caller), a.CreatedAt, links.To($"/assets/{a.Id}/media"));

    public static async Task<Ok<AssetView[]>> ListAsync(string? kind, HttpContext http, AssetService service, ApiLinks links, CancellationToken ct)
    {
        AssetRole? filter = null;
        if (!string.IsNullOrEmpty(kind))
            filter = AssetMediaRules.ParseKind(kind) ?? throw RuleException.Invalid("kind", "must be intro, outro, interval, first or music");
        var caller = http.Caller();
        var list = await service.ListAsync(caller, filter, ct);
        return TypedResults.Ok(list.Select(a => View(a, caller, links)).ToArray());
    }

    public static async Task<Created<AssetView>> UploadAsync(HttpContext http, AssetService service, ApiLinks links, CancellationToken ct)
    {
        var caller = http.Caller();
        var asset = await service.UploadAsync(caller, http, ct);
        return TypedResults.Created($"/api/v1/assets/{asset.Id}", View(asset, caller, links));
    }

    public static async Task<Ok<AssetView>> GetAsync(long id, HttpContext http, AssetService service, ApiLinks links, CancellationToken ct)
    {
        var caller = http.Caller();
        return TypedResults.Ok(View(await service.GetAsync(caller, id, ct), caller, links));
    }

    public static async Task<PhysicalFileHttpResult> StreamAsync(long id, HttpContext http, AssetService service, CancellationToken ct)
    {
        var (asset, path) = await service.FileAsync(http.Caller(), id, ct);
        return TypedResults.PhysicalFile(path, AssetMediaRules.ContentType(asset.StoredName), enableRangeProcessing: true);
    }

    public static async Task<NoContent> DeleteAsync(long id, HttpContext http, AssetService service, CancellationToken ct)
    {
        await service.DeleteAsync(http.Caller(), id, ct);
        return TypedResults.NoContent();
    }
}
