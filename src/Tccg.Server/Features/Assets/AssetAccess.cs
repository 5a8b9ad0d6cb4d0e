using Tccg.Server.Application;
using Tccg.Storage.Accounts;
using Tccg.Storage.Assets;
using Tccg.Core.Compilations;

namespace Tccg.Server.Features.Assets;

/// <summary>
/// Who sees which asset: admins see every asset; an editor sees their own plus the shared library (assets
/// uploaded by admins or whose uploader was removed). Only the uploader or an admin may delete one.
/// </summary>
public sealed class AssetAccess(IAssetStore assets, IUserStore users)
{
    public async Task<IReadOnlyList<Asset>> ListVisibleAsync(CurrentUser caller, AssetRole? kind, CancellationToken ct)
    {
        var all = await assets.ListAsync(kind, ct);
        if (caller.IsAdmin)
            return all;
        var admins = (await users.ListAsync(ct)).Where(u => u.Role == UserRole.Admin).Select(u => u.Id).ToHashSet();
        var me = caller.Id;
        return [.. all.Where(a => a.OwnerId is not { } owner || owner == me || admins.Contains(owner))];
    }

    /// <summary>The asset when the caller may see it, else null (so others' private assets read as not found).</summary>
    public async Task<Asset?> GetVisibleAsync(CurrentUser caller, long id, CancellationToken ct)
    {
        var asset = await assets.GetAsync(id, ct);
        if (asset is null || caller.IsAdmin || asset.OwnerId is null || asset.OwnerId == caller.Id)
            return asset;
        var owner = await users.GetAsync(asset.OwnerId.Value, ct);
        return owner is null || owner.Role == UserRole.Admin ? asset : null;
    }

    public static bool CanDelete(CurrentUser caller, Asset asset) => caller.IsAdmin || asset.OwnerId == caller.Id;

    public static bool IsShared(Asset asset, CurrentUser caller) => asset.OwnerId != caller.Id;
}
