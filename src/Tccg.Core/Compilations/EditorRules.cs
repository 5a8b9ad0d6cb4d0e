using System.Globalization;
using Tccg.Core.Clips;
using Tccg.Core.Configuration;
using Tccg.Core.Timeline;

namespace Tccg.Core.Compilations;

/// <summary>
/// The editor's rules for a compilation (pure). <see cref="CheckEdit"/> lists what an edit may never save
/// (unknown clips or assets, assets of the wrong kind, trims outside the media, bad volumes or settings);
/// <see cref="Validate"/> adds what must hold before submitting (enough clips, required assets, files present).
/// </summary>
public static class EditorRules
{
    public const int MinimumClips = 2;

    public const double MinimumClipSeconds = EditorLimits.MinimumClipSeconds;

    public const double DurationSlack = EditorLimits.DurationSlack;

    /// <summary>Problems that make an edit unsavable.</summary>
    public static List<ValidationMessage> CheckEdit(CompilationDraft draft)
    {
        var messages = new List<ValidationMessage>();
        if (EditorLimits.CheckName("name", draft.Name) is { } nameProblem)
            messages.Add(nameProblem);

        var seen = new HashSet<long>();
        for (var i = 0; i < draft.Items.Count; i++)
        {
            var item = draft.Items[i];
            var at = $"items[{i}]";
            var label = Label(item);
            if (!seen.Add(item.ClipId))
                messages.Add(new(at + ".clipId", $"{label} is on the timeline more than once"));
            if (item.Clip is null)
            {
                messages.Add(new(at + ".clipId", $"{label} is not in the clip bin"));
                continue;
            }
            CheckTrims(item, at, label, messages);
            if (!EditorLimits.IsVolume(item.Volume))
                messages.Add(new(at + ".volume", $"{label}: volume must be between {F(EditorLimits.MinVolume)} and {F(EditorLimits.MaxVolume)} (found {F(item.Volume)})"));
        }

        CheckSlot(draft.First, AssetRole.First, "firstAssetId", messages);
        CheckSlot(draft.Intro, AssetRole.Intro, "introAssetId", messages);
        CheckSlot(draft.Interval, AssetRole.Interval, "intervalAssetId", messages);
        CheckSlot(draft.Outro, AssetRole.Outro, "outroAssetId", messages);
        for (var i = 0; i < draft.MusicTracks.Count; i++)
            CheckSlot(draft.MusicTracks[i], AssetRole.Music, $"music.tracks[{i}]", messages);
        CheckSettings(draft, messages);
        return messages;
    }

    /// <summary>Everything that blocks a submit: <see cref="CheckEdit"/> plus the editor rules and the files on disk.</summary>
    public static List<ValidationMessage> Validate(CompilationDraft draft, EditorOptions rules)
    {
        var messages = CheckEdit(draft);
        if (draft.Items.Count < MinimumClips)
            messages.Add(new("items", $"a compilation needs at least {MinimumClips} clips (it has {draft.Items.Count})"));
        for (var i = 0; i < draft.Items.Count; i++)
        {
            var item = draft.Items[i];
            if (item.Clip is not { } clip)
                continue;
            var at = $"items[{i}].clipId";
            if (clip.Status is not (ClipStatus.Downloaded or ClipStatus.Used))
                messages.Add(new(at, $"{Label(item)} is {clip.Status.ToString().ToLowerInvariant()}, not downloaded"));
            else if (clip.Media is not { Exists: true })
                messages.Add(new(at, $"{Label(item)}: its file is missing from the clip bin"));
        }

        Require(rules.EnforceFirstClip, draft.First, "firstAssetId", "a first clip", "EnforceFirstClip", messages);
        Require(rules.EnforceIntro, draft.Intro, "introAssetId", "an intro", "EnforceIntro", messages);
        Require(rules.EnforceInterval, draft.Interval, "intervalAssetId", "an interval", "EnforceInterval", messages);
        Require(rules.EnforceOutro, draft.Outro, "outroAssetId", "an outro", "EnforceOutro", messages);
        foreach (var (choice, field) in Slots(draft))
        {
            if (choice.Asset is { Media.Exists: false } asset)
                messages.Add(new(field, $"asset {asset.Id}: its file is missing from the assets folder"));
        }
        return messages;
    }

    private static void CheckTrims(DraftItem item, string at, string label, List<ValidationMessage> messages)
    {
        var duration = item.Clip?.Media?.Duration;
        var malformed = false;
        if (item.TrimStart is { } start && (!double.IsFinite(start) || start < 0))
        {
            messages.Add(new(at + ".trimStart", $"{label}: trimStart must be 0 or more seconds (found {F(start)})"));
            malformed = true;
        }
        if (item.TrimEnd is { } end && (!double.IsFinite(end) || end <= 0))
        {
            messages.Add(new(at + ".trimEnd", $"{label}: trimEnd must be more than 0 seconds (found {F(end)})"));
            malformed = true;
        }
        if (malformed)
            return;

        var from = item.TrimStart ?? 0;
        if (duration is { } d && from >= d)
            messages.Add(new(at + ".trimStart", $"{label}: trimStart ({F(from)}) must be less than the clip's length ({F(d)} s)"));
        if (item.TrimEnd is { } to)
        {
            if (to <= from)
                messages.Add(new(at + ".trimEnd", $"{label}: trimEnd ({F(to)}) must be greater than trimStart ({F(from)})"));
            else if (duration is { } d2 && to > d2 + DurationSlack)
                messages.Add(new(at + ".trimEnd", $"{label}: trimEnd ({F(to)}) is past the end of the clip ({F(d2)} s)"));
        }
        var until = Math.Min(item.TrimEnd ?? duration ?? double.MaxValue, duration ?? double.MaxValue);
        if (until > from && until - from < MinimumClipSeconds)
            messages.Add(new(at + ".trimEnd", $"{label}: the trimmed clip must last at least {F(MinimumClipSeconds)} s (it lasts {F(until - from)} s)"));
    }

    private static void CheckSlot(AssetChoice choice, AssetRole role, string field, List<ValidationMessage> messages)
    {
        if (choice.AssetId is not { } id)
            return;
        if (choice.Asset is not { } asset)
            messages.Add(new(field, $"asset {id} does not exist"));
        else if (asset.Kind != role)
            messages.Add(new(field, $"asset {id} is {Article(asset.Kind)}, not {Article(role)}"));
    }

    private static void Require(bool enforced, AssetChoice choice, string field, string what, string option, List<ValidationMessage> messages)
    {
        if (enforced && choice.AssetId is null)
            messages.Add(new(field, $"{what} is required (Tccg:Editor:{option})"));
    }

    private static void CheckSettings(CompilationDraft draft, List<ValidationMessage> messages)
    {
        // The timeline loader owns the setting ranges; ask it about a document carrying only the settings.
        var doc = new TimelineDocument
        {
            Version = TimelineDocument.CurrentVersion,
            Output = draft.Settings.Output,
            Overlay = draft.Settings.Overlay,
            Music = new MusicSection { Volume = draft.Music.Volume },
        };
        foreach (var error in TimelineLoader.Validate(doc))
        {
            if (error.StartsWith("items", StringComparison.Ordinal) || error.StartsWith("version", StringComparison.Ordinal))
                continue;
            var field = error.Split(' ', 2)[0].TrimEnd(':');
            messages.Add(new(field.StartsWith("music", StringComparison.Ordinal) ? field : "settings." + field, error));
        }
    }

    private static IEnumerable<(AssetChoice Choice, string Field)> Slots(CompilationDraft draft)
    {
        yield return (draft.First, "firstAssetId");
        yield return (draft.Intro, "introAssetId");
        yield return (draft.Interval, "intervalAssetId");
        yield return (draft.Outro, "outroAssetId");
        for (var i = 0; i < draft.MusicTracks.Count; i++)
            yield return (draft.MusicTracks[i], $"music.tracks[{i}]");
    }

    private static string Label(DraftItem item) =>
        item.Clip is { } c && !string.IsNullOrWhiteSpace(c.Title)
            ? $"clip {item.ClipId.ToString(CultureInfo.InvariantCulture)} (\"{c.Title}\" by {c.BroadcasterName})"
            : $"clip {item.ClipId.ToString(CultureInfo.InvariantCulture)}";

    private static string Article(AssetRole role) => role switch
    {
        AssetRole.Intro => "an intro",
        AssetRole.Outro => "an outro",
        AssetRole.Interval => "an interval",
        AssetRole.First => "a first clip",
        _ => "a music track",
    };

    private static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
