using Microsoft.Extensions.DependencyInjection;
using Tccg.Storage;
using Tccg.Storage.Assets;
using Tccg.Core.Compilations;

namespace Tccg.Editor.Tests;

public static class EditorServerAssets
{
    /// <summary>Registers a tiny video as an asset of <paramref name="kind"/> (file copied under assets/).</summary>
    public static async Task<Asset> AddAssetAsync(this EditorServer server, AssetRole kind, string originalName)
    {
        var stored = AssetStore.NewStoredName(originalName);
        var full = Path.Combine(server.DataDir, "assets", stored);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.Copy(await TestMedia.ClipAsync(9), full);
        var facts = new MediaFacts(320, 180, 30, "h264", "aac", true, 48000, 2, TestMedia.ClipSeconds);
        return await server.Service<IAssetStore>().AddAsync(new NewAsset(null, kind, originalName, stored, new FileInfo(full).Length, facts), CancellationToken.None);
    }
}
