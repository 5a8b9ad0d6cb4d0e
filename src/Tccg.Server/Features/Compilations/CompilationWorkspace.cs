using Microsoft.Extensions.Options;
using Tccg.Core.Compilations;
using Tccg.Core.Configuration;
using Tccg.Server.Application;
using Tccg.Server.Features.Assets;
using Tccg.Storage.Assets;
using Tccg.Storage.Clips;
using Tccg.Storage.Compilations;
using Tccg.Storage.Games;
using Tccg.Storage.Layouts;

namespace Tccg.Server.Features.Compilations;

/// <summary>
/// The reads behind <see cref="CompilationService"/>: compilations the caller may see (own, shared, or any for admins)
/// and everything a compilation refers to, as a <see cref="CompilationDraft"/> for the editor rules.
/// </summary>
public sealed class CompilationWorkspace(
    ICompilationStore compilations, IClipStore clips, AssetAccess assets, IOptions<StorageOptions> storage,
    IStreamerLayoutStore streamerLayouts, IGameStore games, ApiLinks links)
{
    /// <summary>The compilation when the caller may see and change it; null otherwise (reported as 404).</summary>
    public async Task<Compilation?> GetAsync(CurrentUser caller, long id, CancellationToken ct)
    {
        var c = await compilations.GetAsync(id, ct);
        return c is not null && (c.Shared || caller.OwnsOrAdmin(c.OwnerId)) ? c : null;
    }

    public async Task<CompilationDraft> DraftAsync(CurrentUser caller, Compilation c, IReadOnlyList<CompilationItem> items, CancellationToken ct)
    {
        var found = await clips.GetManyAsync([.. items.Select(i => i.ClipId)], ct);
        var draftClips = await DraftClipsAsync(found.Values, ct);
        var draftItems = items.Select(item => new DraftItem(item.ClipId, item.TrimStart, item.TrimEnd, item.Volume,
            draftClips.GetValueOrDefault(item.ClipId), Tccg.Core.Timeline.Layout.FromJson(item.LayoutJson))).ToList();
        var music = MusicChoice.FromJson(c.MusicJson);
        var tracks = new List<AssetChoice>();
        foreach (var id in music.Tracks)
            tracks.Add(await ChoiceAsync(caller, id, ct));
        return new CompilationDraft
        {
            Name = c.Name,
            Items = draftItems,
            First = await ChoiceAsync(caller, c.FirstAssetId, ct),
            Intro = await ChoiceAsync(caller, c.IntroAssetId, ct),
            Interval = await ChoiceAsync(caller, c.IntervalAssetId, ct),
            Outro = await ChoiceAsync(caller, c.OutroAssetId, ct),
            MusicTracks = tracks,
            Music = music,
            Settings = CompilationSettings.FromJson(c.SettingsJson),
        };
    }

    /// <summary>
    /// The clips as the editor rules see them, with what comes from elsewhere: the remembered facecam layout of each
    /// broadcaster and the game's name (for hashtags).
    /// </summary>
    public async Task<IReadOnlyDictionary<long, DraftClip>> DraftClipsAsync(IEnumerable<ClipRecord> found, CancellationToken ct)
    {
        var list = found.ToList();
        var remembered = await streamerLayouts.GetManyAsync([.. list.Select(c => c.BroadcasterId).Where(b => b.Length > 0).Distinct(StringComparer.Ordinal)], ct);
        var gameNames = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var gameId in list.Select(c => c.GameId).Where(g => g.Length > 0).Distinct(StringComparer.Ordinal))
            gameNames[gameId] = (await games.GetByTwitchIdAsync(gameId, ct))?.Name;
        return list.ToDictionary(c => c.Id, c => ToDraft(c,
            remembered.TryGetValue(c.BroadcasterId, out var s) ? s : null,
            gameNames.GetValueOrDefault(c.GameId)));
    }

    public DraftClip ToDraft(ClipRecord clip, StreamerLayout? streamer = null, string? game = null)
    {
        DraftMedia? media = null;
        if (clip.FilePath is { Length: > 0 } stored && StorageRelative(stored) is { } relative)
        {
            var exists = File.Exists(Path.Combine(storage.Value.Root, relative));
            media = new DraftMedia(relative, exists, clip.MediaDuration, clip.LoudnessLufs);
        }
        return new DraftClip(clip.Id, clip.Status, media, clip.BroadcasterId, clip.BroadcasterName, clip.BroadcasterLogin, clip.Title, clip.Url,
            clip.CreatorName, Tccg.Core.Timeline.Layout.FromJson(clip.PortraitLayout), string.IsNullOrWhiteSpace(game) ? null : game,
            Tccg.Core.Timeline.Layout.FromJson(streamer?.LayoutJson));
    }

    public async Task<AssetView?> AssetViewAsync(CurrentUser caller, long? id, CancellationToken ct) =>
        id is { } assetId && await assets.GetVisibleAsync(caller, assetId, ct) is { } asset ? AssetsApi.View(asset, caller, links) : null;

    private async Task<AssetChoice> ChoiceAsync(CurrentUser caller, long? id, CancellationToken ct)
    {
        if (id is not { } assetId)
            return AssetChoice.None;
        if (await assets.GetVisibleAsync(caller, assetId, ct) is not { } asset)
            return new AssetChoice(assetId, null);
        var relative = "assets/" + asset.StoredName;
        var exists = File.Exists(Path.Combine(storage.Value.AssetsDir, asset.StoredName));
        return new AssetChoice(assetId, new DraftAsset(asset.Id, asset.Kind, new DraftMedia(relative, exists, asset.MediaDuration, null)));
    }

    /// <summary>A stored clip path as a path relative to the storage root with forward slashes; null when it points outside.</summary>
    private string? StorageRelative(string stored)
    {
        var root = Path.GetFullPath(storage.Value.Root);
        var full = Path.GetFullPath(Path.IsPathRooted(stored) ? stored : Path.Combine(root, stored));
        var relative = Path.GetRelativePath(root, full).Replace('\\', '/');
        return relative.StartsWith("../", StringComparison.Ordinal) || relative == ".." || Path.IsPathRooted(relative) ? null : relative;
    }
}
