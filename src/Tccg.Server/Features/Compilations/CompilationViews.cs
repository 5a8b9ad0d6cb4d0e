using Tccg.Core.Clips;
using Tccg.Core.Compilations;
using Tccg.Core.Timeline;
using Tccg.Server.Features.Assets;
using Tccg.Server.Features.ClipBin;
using Tccg.Storage.Clips;
using Tccg.Storage.Compilations;

namespace Tccg.Server.Features.Compilations;

/// <param name="ChannelId">The Twitch user id of a saved channel whose clips are reviewed (instead of a game's).</param>
public sealed record NewCompilationRequest(string? Name, string? GameId, bool? Shared, string? ChannelId = null);

/// <summary>One timeline item as sent by the editor; a null volume means 1; a null layout: the default (streamer's, Twitch's or the compilation's).</summary>
public sealed record ItemRequest(long ClipId, double? TrimStart, double? TrimEnd, double? Volume, LayoutSection? Layout = null);

/// <summary>
/// PUT body: the whole editable document (what GET returned, changed). <see cref="Version"/> must be the value
/// last read; a different stored value means someone else saved in between (409).
/// </summary>
public sealed record UpdateCompilationRequest(
    long? Version,
    string? Name,
    string? GameId,
    bool? Shared,
    List<ItemRequest>? Items,
    long? FirstAssetId,
    long? IntroAssetId,
    long? IntervalAssetId,
    long? OutroAssetId,
    MusicChoice? Music,
    CompilationSettings? Settings)
{
    /// <summary>The document as it stands in <paramref name="view"/>, to change and send back.</summary>
    public static UpdateCompilationRequest From(CompilationView view) => new(
        view.Version, view.Name, view.GameId, view.Shared,
        [.. view.Items.Select(i => new ItemRequest(i.ClipId, i.TrimStart, i.TrimEnd, i.Volume, i.Layout))],
        view.FirstAssetId, view.IntroAssetId, view.IntervalAssetId, view.OutroAssetId, view.Music, view.Settings);
}

/// <summary>A timeline item with its clip looked up (null when the clip left the clip bin).</summary>
/// <param name="Layout">The item's own layout (set in the layout editor), if any.</param>
/// <param name="EffectiveLayout">The layout it renders with: its own, the streamer's remembered box, Twitch's boxes or the compilation's.</param>
/// <param name="LayoutSource">Where <paramref name="EffectiveLayout"/> comes from: item, streamer, twitch or compilation.</param>
/// <param name="StreamerLayout">Whether a facecam layout is remembered for the clip's broadcaster.</param>
public sealed record ItemView(long ClipId, double? TrimStart, double? TrimEnd, double Volume, ClipView? Clip,
    LayoutSection? Layout = null, LayoutSection? EffectiveLayout = null, string LayoutSource = "compilation", bool StreamerLayout = false);

public sealed record CompilationAssetsView(AssetView? First, AssetView? Intro, AssetView? Interval, AssetView? Outro, AssetView?[] Music);

public sealed record CompilationSummary(long Id, string Name, string? GameId, long? OwnerId, bool Shared, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, long Version)
{
    public static CompilationSummary From(Compilation c) => new(c.Id, c.Name, c.GameId, c.OwnerId, c.Shared, c.CreatedAt, c.UpdatedAt, c.Version);
}

/// <summary>A compilation with everything the editor shows: items with clip facts, the chosen assets and the estimated length.</summary>
public sealed record CompilationView(
    long Id,
    string Name,
    string? GameId,
    string? ChannelId,
    long? OwnerId,
    bool Shared,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version,
    ItemView[] Items,
    long? FirstAssetId,
    long? IntroAssetId,
    long? IntervalAssetId,
    long? OutroAssetId,
    MusicChoice Music,
    CompilationSettings Settings,
    CompilationAssetsView Assets,
    double EstimatedSeconds);

/// <summary>Keep, skip or undo; a keep may carry the trims and volume set while reviewing.</summary>
public sealed record ReviewRequest(long? ClipId, string? Decision, double? TrimStart = null, double? TrimEnd = null, double? Volume = null);

/// <summary>A clip's review state in a compilation after a decision: keep, skip or undecided.</summary>
public sealed record ReviewResult(long ClipId, string Decision, int ItemCount, DateTimeOffset UpdatedAt, long Version);

public sealed record DecisionView(long ClipId, string Decision, long? UserId, DateTimeOffset DecidedAt);

public sealed record ValidationView(bool Valid, ValidationMessage[] Messages);

public sealed record SubmittedView(long JobId, string Location, int ClipCount);
