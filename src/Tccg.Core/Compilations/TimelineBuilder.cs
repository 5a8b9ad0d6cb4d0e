using System.Text;
using Tccg.Core.Timeline;

namespace Tccg.Core.Compilations;

/// <summary>
/// Freezes a validated compilation into the render job's <see cref="FrozenTimeline"/> (pure): first clip, intro,
/// the clips in order, outro; the interval asset goes in the top-level <c>interval</c>, which renderers place
/// between consecutive clips only. Paths stay relative to the storage root.
/// </summary>
public static class TimelineBuilder
{
    /// <summary>True when the compilation renders taller than wide (its platform target or its output size).</summary>
    public static bool IsVertical(CompilationSettings settings) =>
        PlatformTargets.Output(settings.PlatformTarget, settings.Output) is { Width: { } w, Height: { } h } && h > w;

    /// <summary>The compilation's default clip layout: its own, else blur when vertical, else fit.</summary>
    public static Layout DefaultLayout(CompilationSettings settings)
    {
        if (settings.Layout is { } own)
        {
            var errors = new List<string>();
            LayoutRules.Validate(own, "layout", errors);
            if (errors.Count == 0)
                return Layout.From(own);
        }
        return IsVertical(settings) ? Layout.Blur : Layout.Fit;
    }

    public static FrozenTimeline Build(CompilationDraft draft)
    {
        var frozen = new FrozenTimeline { Name = draft.Name };
        var target = draft.Settings.PlatformTarget;
        var output = PlatformTargets.Output(target, draft.Settings.Output);
        var vertical = IsVertical(draft.Settings);
        var items = new List<TimelineItem>();

        void AddAsset(AssetChoice choice, ItemKind kind)
        {
            if (choice.Asset is not { } asset)
                return;
            items.Add(new TimelineItem { Kind = TimelineNames.Name(kind), File = asset.Media.Path });
            Remember(frozen, asset.Media);
        }

        AddAsset(draft.First, ItemKind.First);
        AddAsset(draft.Intro, ItemKind.Intro);
        foreach (var item in draft.Items)
        {
            var clip = item.Clip ?? throw new InvalidOperationException($"Clip {item.ClipId} is not in the clip bin; validate before building.");
            var media = clip.Media ?? throw new InvalidOperationException($"Clip {item.ClipId} has no file; validate before building.");
            items.Add(new TimelineItem
            {
                Kind = TimelineNames.Name(ItemKind.Clip),
                File = media.Path,
                TrimStart = item.TrimStart,
                TrimEnd = item.TrimEnd,
                Volume = item.Volume,
                Streamer = new StreamerRef { Name = clip.BroadcasterName, Login = CreditLogin(clip) },
                Title = clip.Title,
                Url = clip.Url,
                Clipper = string.IsNullOrWhiteSpace(clip.CreatorName) ? null : clip.CreatorName,
                // The item's own layout, else (vertical) the streamer's remembered box, else Twitch's own crop boxes.
                Layout = item.EffectiveLayout(vertical)?.ToSection(),
            });
            Remember(frozen, media);
            if (!frozen.ClipIds.Contains(clip.Id))
                frozen.ClipIds.Add(clip.Id);
        }
        AddAsset(draft.Outro, ItemKind.Outro);

        var tracks = draft.MusicTracks.Where(t => t.Asset is not null).Select(t => t.Asset!.Media).ToList();
        tracks.ForEach(t => Remember(frozen, t));
        if (draft.Interval.Asset is { } interval)
            Remember(frozen, interval.Media);

        frozen.Timeline = new TimelineDocument
        {
            Version = TimelineDocument.CurrentVersion,
            Output = output,
            Overlay = draft.Settings.Overlay,
            Credits = draft.Settings.Credits,
            Layout = draft.Settings.Layout ?? (vertical ? Layout.Blur.ToSection() : null),
            Caption = draft.Settings.Caption,
            Interval = draft.Interval.Asset?.Media.Path,
            Music = tracks.Count == 0 ? null : new MusicSection
            {
                Tracks = [.. tracks.Select(t => t.Path)],
                Volume = draft.Music.Volume,
                Duck = draft.Music.Duck,
            },
            Items = items,
        };
        return frozen;
    }

    /// <summary>
    /// The login credited for a clip: the Twitch login when known, else the display name lower-cased when that is a
    /// valid login, else the name's login characters, else the broadcaster id.
    /// </summary>
    public static string CreditLogin(DraftClip clip)
    {
        if (IsLogin(clip.BroadcasterLogin))
            return clip.BroadcasterLogin!;
        var lowered = clip.BroadcasterName.ToLowerInvariant();
        if (IsLogin(lowered))
            return lowered;
        var kept = new StringBuilder();
        foreach (var c in lowered)
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' && kept.Length < 25)
                kept.Append(c);
        }
        return kept.Length > 0 ? kept.ToString() : (IsLogin(clip.BroadcasterId) ? clip.BroadcasterId : "unknown");
    }

    private static bool IsLogin(string? s) =>
        s is { Length: >= 1 and <= 25 } && s.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_');

    private static void Remember(FrozenTimeline frozen, DraftMedia media)
    {
        if (media.LoudnessLufs is { } lufs)
            frozen.Loudness[media.Path] = lufs;
    }
}
