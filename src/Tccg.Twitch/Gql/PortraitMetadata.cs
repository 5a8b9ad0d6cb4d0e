using System.Text.Json;
using Tccg.Core.Timeline;

namespace Tccg.Twitch.Gql;

/// <summary>
/// Twitch's own portrait crop boxes (<c>ShareClipRenderStatus</c> → <c>clip.assets[].portraitMetadata</c>):
/// <c>portraitClipLayout</c> <c>STACKED</c> becomes a stacked layout of <c>stackedTemplateMetadata.topFrame</c> over
/// <c>bottomFrame</c>, <c>FULL</c> a crop of <c>fullTemplateMetadata.mainFrame</c>. Corners are
/// <c>{xPercentage, yPercentage}</c> in percent of the source frame.
/// </summary>
public static class PortraitMetadata
{
    /// <summary>The layout from the first asset that carries boxes; null when none does or they make no valid layout.</summary>
    public static Layout? FromClip(JsonElement clip)
    {
        if (!clip.TryGetProperty("assets", out var assets) || assets.ValueKind != JsonValueKind.Array)
            return null;
        foreach (var asset in assets.EnumerateArray())
        {
            if (asset.ValueKind == JsonValueKind.Object && asset.TryGetProperty("portraitMetadata", out var meta)
                && meta.ValueKind == JsonValueKind.Object && FromMetadata(meta) is { } layout)
                return layout;
        }
        return null;
    }

    public static Layout? FromMetadata(JsonElement meta)
    {
        var kind = meta.TryGetProperty("portraitClipLayout", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
        LayoutSection? section = null;
        if (kind == "STACKED" && Child(meta, "stackedTemplateMetadata") is { } stacked
            && Box(stacked, "topFrame") is { } top && Box(stacked, "bottomFrame") is { } bottom)
            section = new LayoutSection { Mode = "stacked", Top = top, Bottom = bottom, Split = Split(top) };
        else if (Child(meta, "fullTemplateMetadata") is { } full && Box(full, "mainFrame") is { } main)
            section = new LayoutSection { Mode = "crop", Rect = main };
        if (section is null)
            return null;
        var errors = new List<string>();
        LayoutRules.Validate(section, "portraitMetadata", errors);
        return errors.Count == 0 ? Layout.From(section) : null;
    }

    /// <summary>
    /// The share of a 9:16 output the facecam box gets: the height that shows the whole box (of a 16:9 source) at
    /// the output's width, kept between 0.2 and 0.6.
    /// </summary>
    public static double Split(RectSection top)
    {
        var boxAspect = top.W * 16 / (top.H * 9);
        return Math.Round(Math.Clamp(9.0 / 16 / boxAspect, 0.2, 0.6), 4);
    }

    private static JsonElement? Child(JsonElement e, string name) =>
        e.TryGetProperty(name, out var c) && c.ValueKind == JsonValueKind.Object ? c : null;

    private static RectSection? Box(JsonElement parent, string name)
    {
        if (Child(parent, name) is not { } box || Point(box, "topLeft") is not { } tl || Point(box, "bottomRight") is not { } br)
            return null;
        var (x0, y0) = (Math.Clamp(tl.X / 100, 0, 1), Math.Clamp(tl.Y / 100, 0, 1));
        var (x1, y1) = (Math.Clamp(br.X / 100, 0, 1), Math.Clamp(br.Y / 100, 0, 1));
        return new RectSection { X = Math.Round(x0, 6), Y = Math.Round(y0, 6), W = Math.Round(x1 - x0, 6), H = Math.Round(y1 - y0, 6) };
    }

    private static (double X, double Y)? Point(JsonElement box, string name) =>
        Child(box, name) is { } p && p.TryGetProperty("xPercentage", out var x) && x.ValueKind == JsonValueKind.Number
            && p.TryGetProperty("yPercentage", out var y) && y.ValueKind == JsonValueKind.Number
            ? (x.GetDouble(), y.GetDouble())
            : null;
}
