using System.Globalization;
using System.Text;
using Tccg.Core.Timeline;

namespace Tccg.Core.Compilations;

/// <summary>How a compilation becomes one short per clip.</summary>
/// <param name="MaxClips">Only the first N clips; null: every kept clip.</param>
/// <param name="Caption">The clip title as a caption at the top of the safe area.</param>
/// <param name="IntroOutro">Keep the compilation's intro and outro around each clip.</param>
public sealed record ShortsOptions(int? MaxClips = null, bool Caption = true, bool IntroOutro = false);

/// <summary>One clip's short: its name, the render job's timeline and the description text for the upload.</summary>
public sealed record OneClipShort(long ClipId, string Name, FrozenTimeline Timeline, string Description);

/// <summary>
/// "Render each clip as a short" (pure): a compilation becomes N one-clip vertical timelines — the clip with its
/// layout (Twitch's boxes, else the compilation's), the streamer-name overlay, the title caption, optionally the
/// intro and outro — each with its own description: title, credit link, game hashtag. A compilation that is not
/// vertical already becomes <c>shorts</c> (1080x1920); a vertical one keeps its target and size.
/// </summary>
public static class ShortsSplitter
{
    public static IReadOnlyList<OneClipShort> Split(CompilationDraft draft, ShortsOptions? options = null)
    {
        options ??= new ShortsOptions();
        var settings = VerticalSettings(draft.Settings, options);
        var shorts = new List<OneClipShort>();
        var items = draft.Items.Where(i => i.Clip is not null).ToList();
        var count = Math.Min(items.Count, options.MaxClips is { } n && n > 0 ? n : items.Count);
        for (var i = 0; i < count; i++)
        {
            var item = items[i];
            var name = $"{draft.Name} - {(i + 1).ToString(CultureInfo.InvariantCulture)} - {item.Clip!.Title}";
            var one = draft with
            {
                Name = name.Length > 200 ? name[..200] : name,
                Items = [item],
                First = AssetChoice.None,
                Interval = AssetChoice.None,
                Intro = options.IntroOutro ? draft.Intro : AssetChoice.None,
                Outro = options.IntroOutro ? draft.Outro : AssetChoice.None,
                Settings = settings,
            };
            var frozen = TimelineBuilder.Build(one);
            var description = Description(item.Clip);
            frozen.Timeline.Description = description;
            shorts.Add(new OneClipShort(item.ClipId, one.Name, frozen, description));
        }
        return shorts;
    }

    /// <summary>The upload text of one clip's short: its title, the streamer's channel, the clip and a game hashtag.</summary>
    public static string Description(DraftClip clip)
    {
        var sb = new StringBuilder();
        sb.Append(clip.Title.Trim()).Append("\n\n");
        sb.Append("Clip by ").Append(clip.BroadcasterName).Append(": https://www.twitch.tv/").Append(TimelineBuilder.CreditLogin(clip)).Append('\n');
        if (!string.IsNullOrWhiteSpace(clip.Url))
            sb.Append(clip.Url).Append('\n');
        var tags = new List<string>();
        if (Hashtag(clip.Game) is { } game)
            tags.Add(game);
        tags.Add("#shorts");
        sb.Append('\n').Append(string.Join(' ', tags)).Append('\n');
        return sb.ToString();
    }

    /// <summary>A hashtag from a game name: its letters and digits (<c>Counter-Strike 2</c> → <c>#CounterStrike2</c>); null when none are left.</summary>
    public static string? Hashtag(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            return null;
        var kept = new string(name.Where(char.IsLetterOrDigit).ToArray());
        return kept.Length == 0 ? null : "#" + kept;
    }

    private static CompilationSettings VerticalSettings(CompilationSettings own, ShortsOptions options)
    {
        var target = own.PlatformTarget;
        var output = PlatformTargets.Output(target, own.Output);
        var vertical = output is { Width: { } w, Height: { } h } && h > w;
        return new CompilationSettings
        {
            Output = own.Output,
            Overlay = own.Overlay,
            Layout = own.Layout,
            Target = vertical ? own.Target : PlatformTargets.Name(PlatformTarget.Shorts),
            Caption = new CaptionSection { Enabled = options.Caption, Seconds = own.Caption?.Seconds },
        };
    }
}
