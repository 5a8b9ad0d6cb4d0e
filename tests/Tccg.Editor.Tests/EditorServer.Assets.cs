using Microsoft.Extensions.DependencyInjection;
using Tccg.Storage;
using Tccg.Storage.Assets;
using Tccg.Core.Compilations;
using Tccg.Core.Media;

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
        var facts = new MediaFacts(TestMedia.ClipSeconds, 320, 180, 30, "h264", "aac", 48000, 2, "", 0);
        return await server.Service<IAssetStore>().AddAsync(new NewAsset(null, kind, originalName, stored, new FileInfo(full).Length, facts), CancellationToken.None);
    }
}
