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
public sealed record DraftClip(long Id, ClipStatus Status, DraftMedia? Media, string BroadcasterId, string BroadcasterName,
    string? BroadcasterLogin, string Title, string Url, string? CreatorName = null, Layout? Portrait = null, string? Game = null);

/// <summary>One timeline item; <see cref="Clip"/> is null when the clip id is not in the clip bin.</summary>
public sealed record DraftItem(long ClipId, double? TrimStart, double? TrimEnd, double Volume, DraftClip? Clip);

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
