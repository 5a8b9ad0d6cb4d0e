using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Tccg.Core.Compilations;
using Tccg.Core.Configuration;
using Tccg.Server.Application;
using Tccg.Storage.Assets;
using Tccg.Storage.Compilations;

namespace Tccg.Server.Features.Assets;

/// <summary>
/// Intros, outros, intervals, first clips and music as users see them: own plus the shared library (admins: all);
/// upload (validated with ffprobe), stream, delete (uploader or admin, never while a compilation uses it).
/// </summary>
public sealed class AssetService(AssetAccess access, AssetUploader uploader, IAssetStore assets, ICompilationStore compilations, IOptions<StorageOptions> storage)
{
    public async Task<IReadOnlyList<Asset>> ListAsync(CurrentUser caller, AssetRole? kind, CancellationToken ct)
    {
        caller.RequireEditor();
        return await access.ListVisibleAsync(caller, kind, ct);
    }

    public async Task<Asset> GetAsync(CurrentUser caller, long id, CancellationToken ct)
    {
        caller.RequireEditor();
        return await access.GetVisibleAsync(caller, id, ct) ?? throw NotFound(id);
    }

    /// <summary>Reads a multipart upload (kind, file) from the request, checks it with ffprobe and stores it as the caller's.</summary>
    public async Task<Asset> UploadAsync(CurrentUser caller, HttpContext http, CancellationToken ct)
    {
        caller.RequireEditor();
        var outcome = await uploader.UploadAsync(http, caller.Id, ct);
        return outcome.Asset ?? throw new RuleException(outcome.Status, outcome.Title, outcome.Detail);
    }

    /// <summary>The asset's file, for streaming; 404 when it vanished.</summary>
    public async Task<(Asset Asset, string Path)> FileAsync(CurrentUser caller, long id, CancellationToken ct)
    {
        var asset = await GetAsync(caller, id, ct);
        var path = Path.GetFullPath(Path.Combine(storage.Value.AssetsDir, asset.StoredName));
        if (!File.Exists(path))
            throw RuleException.NotFound($"The file of asset {Id(id)} is missing from the assets folder.");
        return (asset, path);
    }

    public async Task DeleteAsync(CurrentUser caller, long id, CancellationToken ct)
    {
        var asset = await GetAsync(caller, id, ct);
        if (!AssetAccess.CanDelete(caller, asset))
            throw RuleException.Forbidden($"Asset {Id(id)} belongs to the shared library; only its uploader or an admin may delete it.");

        var users = (await compilations.ListAsync(null, ct)).Where(c => Uses(c, id)).ToList();
        if (users.Count > 0)
        {
            var named = users.Where(c => c.Shared || caller.OwnsOrAdmin(c.OwnerId)).Select(c => $"\"{c.Name}\" ({Id(c.Id)})").ToList();
            var others = users.Count - named.Count;
            var list = string.Join(", ", named) + (others > 0 ? $"{(named.Count > 0 ? " and " : "")}{others} other compilation(s)" : "");
            throw RuleException.Conflict($"Asset {Id(id)} is used by {list}.", "Pick another asset in those compilations (or clear the slot), then delete it.");
        }

        if (!await assets.DeleteAsync(id, ct))
            throw NotFound(id);
        try
        {
            File.Delete(Path.Combine(storage.Value.AssetsDir, asset.StoredName));
        }
        catch (IOException)
        {
            // The row is gone; a leftover file is harmless and the storage check reports stray files.
        }
    }

    /// <summary>Whether a compilation refers to the asset in a slot or as a music track.</summary>
    public static bool Uses(Compilation c, long assetId) =>
        c.IntroAssetId == assetId || c.OutroAssetId == assetId || c.IntervalAssetId == assetId || c.FirstAssetId == assetId
        || MusicChoice.FromJson(c.MusicJson).Tracks.Contains(assetId);

    private static RuleException NotFound(long id) => RuleException.NotFound($"No asset {Id(id)}.");

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
