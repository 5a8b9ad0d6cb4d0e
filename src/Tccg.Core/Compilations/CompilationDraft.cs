using Tccg.Core.Clips;
using Tccg.Core.Timeline;

namespace Tccg.Core.Compilations;

/// <summary>What an uploaded asset is for.</summary>
public enum AssetRole
{
    Intro,
    Outro,
    Interval,
    First,
    Music,
}

/// <summary>A media file as the server found it: <paramref name="Path"/> is relative to the storage root (<c>clips/…</c>, <c>assets/…</c>).</summary>
/// <param name="Duration">Seconds, as probed when the file was stored.</param>
public sealed record DraftMedia(string Path, bool Exists, double? Duration, double? LoudnessLufs);

/// <summary>An uploaded asset the compilation refers to.</summary>
public sealed record DraftAsset(long Id, AssetRole Kind, DraftMedia Media);

/// <summary>A clip-bin clip the compilation refers to; <see cref="Media"/> is null while it has no file.</summary>
/// <param name="CreatorName">Who clipped it on Twitch (Helix <c>creator_name</c>), credited as "clipped by NAME".</param>
/// <param name="Portrait">The clip's default layout in vertical compilations (from Twitch's crop boxes), if any.</param>
/// <param name="Game">The clip's game name, for hashtags in a short's description.</param>
/// <param name="Streamer">The facecam layout remembered for the clip's broadcaster (set on one of their clips), if any.</param>
public sealed record DraftClip(long Id, ClipStatus Status, DraftMedia? Media, string BroadcasterId, string BroadcasterName,
    string? BroadcasterLogin, string Title, string Url, string? CreatorName = null, Layout? Portrait = null, string? Game = null,
    Layout? Streamer = null);

/// <summary>One timeline item; <see cref="Clip"/> is null when the clip id is not in the clip bin.</summary>
/// <param name="Layout">The item's own layout (set in the layout editor); it comes before every default.</param>
public sealed record DraftItem(long ClipId, double? TrimStart, double? TrimEnd, double Volume, DraftClip? Clip, Layout? Layout = null)
{
    /// <summary>
    /// The layout this item renders with, when it has one of its own or a default from the clip: the item's own, else (in
    /// vertical compilations) the streamer's remembered box, else Twitch's portrait boxes; null leaves it to the
    /// compilation's layout.
    /// </summary>
    public Layout? EffectiveLayout(bool vertical) => Resolve(vertical).Layout;

    /// <summary>The layout this item renders with and where it comes from: <c>item</c>, <c>streamer</c>, <c>twitch</c>, or null (the compilation's).</summary>
    public (Layout? Layout, string? Source) Resolve(bool vertical) =>
        Layout is { } own ? (own, "item")
        : vertical && Clip?.Streamer is { } streamer ? (streamer, "streamer")
        : vertical && Clip?.Portrait is { } portrait ? (portrait, "twitch")
        : (null, null);
}

/// <summary>An asset slot: <see cref="Asset"/> is null when <see cref="AssetId"/> is empty or names no visible asset.</summary>
public sealed record AssetChoice(long? AssetId, DraftAsset? Asset)
{
    public static AssetChoice None { get; } = new(null, null);
}

/// <summary>A compilation with everything it refers to looked up: the input of <see cref="EditorRules"/> and <see cref="TimelineBuilder"/>.</summary>
public sealed record CompilationDraft
{
    public string Name { get; init; } = "";
    public IReadOnlyList<DraftItem> Items { get; init; } = [];
    public AssetChoice First { get; init; } = AssetChoice.None;
    public AssetChoice Intro { get; init; } = AssetChoice.None;
    public AssetChoice Interval { get; init; } = AssetChoice.None;
    public AssetChoice Outro { get; init; } = AssetChoice.None;
    public IReadOnlyList<AssetChoice> MusicTracks { get; init; } = [];
    public CompilationSettings Settings { get; init; } = new();
    public MusicChoice Music { get; init; } = new();
}

/// <summary>A problem that blocks saving or submitting, naming the field (<c>items[2].trimEnd</c>, <c>introAssetId</c>, …).</summary>
public sealed record ValidationMessage(string Field, string Message);
