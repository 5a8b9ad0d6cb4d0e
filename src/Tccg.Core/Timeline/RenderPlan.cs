namespace Tccg.Core.Timeline;

/// <summary>One piece of the video, in play order: a timeline item or an inserted interval.</summary>
/// <param name="ItemIndex">The index in <c>items</c>, or null for the top-level interval inserted between clips.</param>
/// <param name="FilePath">Full path of the media file.</param>
/// <param name="TrimEnd">Seconds from the file start where the piece ends; null for the end of the file.</param>
/// <param name="Layout">The piece's layout; null: none given, <c>output.fill</c> decides (blur for narrower pictures, else fit).</param>
public sealed record PlanEntry(
    int? ItemIndex,
    ItemKind Kind,
    string FilePath,
    double TrimStart,
    double? TrimEnd,
    double Volume,
    string? StreamerName,
    string? StreamerLogin,
    string? Title,
    string? Url,
    string? Clipper = null,
    Layout? Layout = null)
{
    public string Label => ItemIndex is { } i ? $"items[{i}] ({TimelineNames.Name(Kind)})" : "interval";
}

/// <summary>Expands a validated timeline into the flat list of pieces to render.</summary>
public static class RenderPlan
{
    /// <summary>
    /// The items in order, with the top-level interval placed between each two consecutive clips
    /// (never before the first clip or after the last, so never next to the intro or outro).
    /// </summary>
    public static IReadOnlyList<PlanEntry> Expand(TimelineDocument doc, string baseDir)
    {
        var entries = new List<PlanEntry>();
        var items = doc.Items ?? [];
        var interval = string.IsNullOrWhiteSpace(doc.Interval) ? null : Full(baseDir, doc.Interval);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var kind = TimelineNames.ParseKind(item.Kind) ?? throw new TimelineValidationException([$"items[{i}]: unknown kind {item.Kind}"]);
            if (interval is not null && kind == ItemKind.Clip && i > 0 && TimelineNames.ParseKind(items[i - 1].Kind) == ItemKind.Clip)
                entries.Add(new PlanEntry(null, ItemKind.Interval, interval, 0, null, 1.0, null, null, null, null));
            entries.Add(new PlanEntry(i, kind, Full(baseDir, item.File!), item.TrimStart ?? 0, item.TrimEnd, item.Volume ?? 1.0,
                item.Streamer?.Name, item.Streamer?.Login, item.Title, item.Url,
                doc.Credits?.ClippedBy == false ? null : item.Clipper, LayoutOf(doc, item, kind)));
        }
        return entries;
    }

    /// <summary>
    /// Checks the trims against the media: <paramref name="durationOf"/> gives a file's duration in
    /// seconds, or null when it is missing or not media. Returns one message per problem.
    /// </summary>
    public static List<string> CheckMedia(IReadOnlyList<PlanEntry> plan, Func<string, double?> durationOf, string baseDir)
    {
        var errors = new List<string>();
        foreach (var e in plan.DistinctBy(p => (p.ItemIndex, p.FilePath)))
        {
            var shown = Path.GetRelativePath(baseDir, e.FilePath);
            if (durationOf(e.FilePath) is not { } duration)
            {
                errors.Add($"{e.Label}: file {shown} is missing or not a media file");
                continue;
            }
            if (e.TrimStart >= duration)
                errors.Add($"{e.Label}: trimStart ({TimelineLoader.F(e.TrimStart)}) must be less than the media duration ({TimelineLoader.F(duration)}) of {shown}");
            // One frame of slack: containers round durations.
            if (e.TrimEnd is { } end && end > duration + 0.05)
                errors.Add($"{e.Label}: trimEnd ({TimelineLoader.F(end)}) is past the end of {shown} ({TimelineLoader.F(duration)} s)");
        }
        return errors;
    }

    /// <summary>The piece's length in seconds given its file's duration.</summary>
    public static double TrimmedSeconds(PlanEntry e, double fileDuration) =>
        Math.Max(0, Math.Min(e.TrimEnd ?? fileDuration, fileDuration) - e.TrimStart);

    /// <summary>Frames a piece of <paramref name="seconds"/> gets at <paramref name="fps"/> (at least one).</summary>
    public static int Frames(double seconds, int fps) => Math.Max(1, (int)Math.Round(seconds * fps, MidpointRounding.AwayFromZero));

    /// <summary>Audio samples at <paramref name="sampleRate"/> that last exactly as long as <paramref name="frames"/> video frames.</summary>
    public static long Samples(int frames, int fps, int sampleRate = 48000) =>
        (long)Math.Round((double)frames * sampleRate / fps, MidpointRounding.AwayFromZero);

    /// <summary>An item's own layout, else the top-level one for clips; null when neither is given.</summary>
    public static Layout? LayoutOf(TimelineDocument doc, TimelineItem item, ItemKind kind) =>
        item.Layout is { } own ? Layout.From(own)
        : kind == ItemKind.Clip && doc.Layout is { } shared ? Layout.From(shared)
        : null;

    private static string Full(string baseDir, string path) => Path.GetFullPath(Path.Combine(baseDir, path));
}
