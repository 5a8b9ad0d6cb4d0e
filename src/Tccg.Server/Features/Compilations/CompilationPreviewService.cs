using System.Globalization;
using Microsoft.Extensions.Options;
using Tccg.Core.Compilations;
using Tccg.Core.Configuration;
using Tccg.Core.Timeline;
using Tccg.Media.Rendering;
using Tccg.Server.Application;
using Tccg.Storage.Compilations;

namespace Tccg.Server.Features.Compilations;

/// <summary>One piece of the preview, in play order (as the renderer plays it).</summary>
/// <param name="Kind">first, intro, clip, interval or outro.</param>
/// <param name="ClipId">The clip of a clip piece (the timeline row to highlight).</param>
/// <param name="Src">Where the browser reads the file (relative to the editor's base URL).</param>
/// <param name="Start">Seconds into the file where the piece starts (its trim in).</param>
/// <param name="Seconds">How long the piece lasts in the render (whole frames at the output rate).</param>
/// <param name="Offset">Where the piece starts in the compilation, in seconds.</param>
/// <param name="Gain">Linear gain of its sound: loudness normalisation (where the clip bin measured it) times its volume; 0 = muted.</param>
/// <param name="Layout">Its vertical layout (null: none, or a horizontal compilation).</param>
public sealed record PreviewPiece(string Kind, long? ClipId, string Src, double Start, double Seconds, double Offset, double Gain, LayoutSection? Layout);

/// <summary>A music track of the preview: tracks play in order, repeated to cover the compilation, as in the render.</summary>
public sealed record PreviewTrack(string Src, double Seconds, double Offset);

/// <summary>The music: <see cref="Gain"/> linear (the music volume), ducked under the sound of the pieces when <see cref="Duck"/>.</summary>
public sealed record PreviewMusic(IReadOnlyList<PreviewTrack> Tracks, double Gain, bool Duck, object Ducking);

/// <summary>Everything the in-page preview plays: the output size, the pieces, the music, and what was left out and why.</summary>
public sealed record PreviewPlan(double Seconds, int Width, int Height, int Fps, bool Vertical, IReadOnlyList<PreviewPiece> Pieces,
    PreviewMusic? Music, IReadOnlyList<string> LeftOut);

/// <summary>
/// The compilation as it will render, for the editor's Preview: the same draft, the same freeze
/// (<see cref="TimelineBuilder"/>), the same order and intervals (<see cref="RenderPlan.Expand"/>), the same frame-rounded
/// lengths, loudness and volume gains (<see cref="AudioRules"/>), music sequence (<see cref="FinalCommand.MusicSequence"/>)
/// and ducking. Nothing is rendered: the browser plays the files. Clips without a file are left out (and named).
/// </summary>
public sealed class CompilationPreviewService(
    ICompilationStore store, CompilationService compilations, CompilationWorkspace workspace,
    IOptions<StorageOptions> storage, IOptions<GeneratorOptions> generator, ApiLinks links)
{
    public async Task<PreviewPlan> PlanAsync(CurrentUser caller, long id, CancellationToken ct)
    {
        var compilation = await compilations.FindAsync(caller, id, ct);
        var draft = await workspace.DraftAsync(caller, compilation, await store.GetItemsAsync(id, ct), ct);
        return Plan(draft, Path.GetFullPath(storage.Value.Root), generator.Value, links);
    }

    private sealed record Source(string Src, double? Duration, double? Lufs);

    /// <summary>The preview of a draft whose media paths are relative to <paramref name="root"/>, its sources as <paramref name="links"/> gives them (pure but for paths).</summary>
    private static PreviewPlan Plan(CompilationDraft draft, string root, GeneratorOptions defaults, ApiLinks links)
    {
        var leftOut = new List<string>();
        var sources = new Dictionary<string, Source>(StringComparer.Ordinal);
        string Full(string relative) => Path.GetFullPath(Path.Combine(root, relative));

        var items = new List<DraftItem>();
        foreach (var item in draft.Items)
        {
            if (item.Clip?.Media is not { Exists: true, Duration: > 0 } media)
            {
                leftOut.Add($"clip {item.ClipId.ToString(CultureInfo.InvariantCulture)} ({item.Clip?.Title ?? "not in the clip bin"}): no file to play");
                continue;
            }
            items.Add(item);
            sources[Full(media.Path)] = new Source(links.To($"/clips/{item.ClipId.ToString(CultureInfo.InvariantCulture)}/media"), media.Duration, media.LoudnessLufs);
        }
        AssetChoice Usable(AssetChoice choice, string slot)
        {
            if (choice.Asset is not { } asset)
                return AssetChoice.None;
            if (asset.Media is not { Exists: true, Duration: > 0 })
            {
                leftOut.Add($"{slot}: asset {asset.Id.ToString(CultureInfo.InvariantCulture)} has no file to play");
                return AssetChoice.None;
            }
            sources[Full(asset.Media.Path)] = new Source(links.To($"/assets/{asset.Id.ToString(CultureInfo.InvariantCulture)}/media"), asset.Media.Duration, asset.Media.LoudnessLufs);
            return choice;
        }
        var playable = draft with
        {
            Items = items,
            First = Usable(draft.First, "first clip"),
            Intro = Usable(draft.Intro, "intro"),
            Interval = Usable(draft.Interval, "interval"),
            Outro = Usable(draft.Outro, "outro"),
            MusicTracks = [.. draft.MusicTracks.Select(t => Usable(t, "music"))],
        };

        var frozen = TimelineBuilder.Build(playable);
        var settings = TimelineSettings.Resolve(frozen.Timeline, defaults, root);
        var output = settings.Output;
        var pieces = new List<PreviewPiece>();
        var offset = 0.0;
        foreach (var e in RenderPlan.Expand(frozen.Timeline, root))
        {
            var source = sources[e.FilePath];
            var frames = RenderPlan.Frames(RenderPlan.TrimmedSeconds(e, source.Duration!.Value), output.Fps);
            var seconds = (double)frames / output.Fps;
            var mute = e.Volume <= 0;
            var gainDb = mute ? 0 : AudioRules.LoudnessGainDb(source.Lufs ?? AudioRules.SilenceLufs, output.LoudnessLufs) + AudioRules.VolumeDb(e.Volume);
            long? clipId = e.Kind == ItemKind.Clip && e.ItemIndex is { } index ? ClipIdAt(playable, frozen.Timeline, index) : null;
            pieces.Add(new PreviewPiece(TimelineNames.Name(e.Kind), clipId, source.Src, Math.Round(e.TrimStart, 6), Math.Round(seconds, 6),
                Math.Round(offset, 6), mute ? 0 : Math.Round(Math.Pow(10, gainDb / 20), 6), e.Layout?.ToSection()));
            offset += seconds;
        }

        PreviewMusic? music = null;
        var tracks = settings.Music.Tracks.Where(sources.ContainsKey)
            .Select(t => new MusicTrack(t, sources[t].Duration ?? 0, 0)).ToList();
        if (tracks.Count > 0 && settings.Music.Volume > 0 && offset > 0)
        {
            var at = 0.0;
            var sequence = new List<PreviewTrack>();
            foreach (var t in FinalCommand.MusicSequence(tracks, offset))
            {
                sequence.Add(new PreviewTrack(sources[t.Path].Src, t.Duration, Math.Round(at, 6)));
                at += t.Duration;
            }
            var gainDb = AudioRules.VolumeDb(settings.Music.Volume);
            music = new PreviewMusic(sequence, Math.Round(Math.Pow(10, gainDb / 20), 6), settings.Music.Duck, AudioRules.DuckingForClient);
        }
        return new PreviewPlan(Math.Round(offset, 6), output.Width, output.Height, output.Fps, output.Height > output.Width, pieces, music, leftOut);
    }

    /// <summary>The clip of <c>items[index]</c> of the frozen document (its clip pieces follow the draft's items in order).</summary>
    private static long? ClipIdAt(CompilationDraft draft, TimelineDocument doc, int index)
    {
        var clipIndex = doc.Items!.Take(index).Count(i => TimelineNames.ParseKind(i.Kind) == ItemKind.Clip);
        return clipIndex < draft.Items.Count ? draft.Items[clipIndex].ClipId : null;
    }
}
