using System.Globalization;
using System.Text.Json.Serialization;

namespace Tccg.Core.Timeline;

/// <summary>How a clip's picture fills the output frame (timeline <c>layout.mode</c>).</summary>
public enum LayoutMode
{
    /// <summary>The whole frame, letterboxed.</summary>
    Fit,

    /// <summary>The whole frame over a blurred, darkened fill of itself.</summary>
    Blur,

    /// <summary><c>rect</c> of the source scaled to fill the output.</summary>
    Crop,

    /// <summary>The output's top <c>split</c> fraction shows <c>top</c>, the rest <c>bottom</c>.</summary>
    Stacked,
}

/// <summary>A rectangle as fractions (0–1) of the source frame, as written in a timeline file.</summary>
public sealed class RectSection
{
    [JsonPropertyName("x")] public double X { get; set; }
    [JsonPropertyName("y")] public double Y { get; set; }
    [JsonPropertyName("w")] public double W { get; set; }
    [JsonPropertyName("h")] public double H { get; set; }
}

/// <summary>A <c>layout</c> object: at the top level the default for clip items, on an item that item's own.</summary>
public sealed class LayoutSection
{
    [JsonPropertyName("mode")] public string? Mode { get; set; }
    [JsonPropertyName("rect")] public RectSection? Rect { get; set; }
    [JsonPropertyName("top")] public RectSection? Top { get; set; }
    [JsonPropertyName("bottom")] public RectSection? Bottom { get; set; }
    [JsonPropertyName("split")] public double? Split { get; set; }
}

/// <summary>A validated rectangle in fractions of the source frame.</summary>
public sealed record LayoutRect(double X, double Y, double W, double H)
{
    public static LayoutRect Full { get; } = new(0, 0, 1, 1);

    public static LayoutRect From(RectSection r) => new(r.X, r.Y, r.W, r.H);

    public RectSection ToSection() => new() { X = X, Y = Y, W = W, H = H };

    public string Key => string.Join(',', N(X), N(Y), N(W), N(H));

    private static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>A resolved layout: the mode and, for <c>crop</c> / <c>stacked</c>, its rectangles.</summary>
public sealed record Layout(LayoutMode Mode, LayoutRect? Rect = null, LayoutRect? Top = null, LayoutRect? Bottom = null, double Split = Layout.DefaultSplit)
{
    public const double DefaultSplit = 0.4;
    public const double MinSplit = 0.1;
    public const double MaxSplit = 0.9;

    public static Layout Fit { get; } = new(LayoutMode.Fit);
    public static Layout Blur { get; } = new(LayoutMode.Blur);

    /// <summary>A layout from a validated section (see <see cref="LayoutRules.Validate"/>).</summary>
    public static Layout From(LayoutSection s)
    {
        var mode = LayoutRules.ParseMode(s.Mode) ?? throw new TimelineValidationException([$"layout.mode {s.Mode} is not a layout mode"]);
        return mode switch
        {
            LayoutMode.Crop => new Layout(mode, Rect: LayoutRect.From(s.Rect!)),
            LayoutMode.Stacked => new Layout(mode, Top: LayoutRect.From(s.Top!), Bottom: LayoutRect.From(s.Bottom!), Split: s.Split ?? DefaultSplit),
            _ => new Layout(mode),
        };
    }

    /// <summary>A stored layout object (JSON, as <see cref="ToSection"/> writes it); null when empty, broken or invalid.</summary>
    public static Layout? FromJson(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
            return null;
        try
        {
            if (System.Text.Json.JsonSerializer.Deserialize<LayoutSection>(json) is not { } section)
                return null;
            var errors = new List<string>();
            LayoutRules.Validate(section, "layout", errors);
            return errors.Count == 0 ? From(section) : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>The layout as a stored JSON object (what <see cref="FromJson"/> reads).</summary>
    public string ToJson() => System.Text.Json.JsonSerializer.Serialize(ToSection(), JsonOptions);

    private static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>A facecam layout (stacked, or crop): the kind a user sets per streamer.</summary>
    public bool IsFacecam => Mode is LayoutMode.Stacked or LayoutMode.Crop;

    public LayoutSection ToSection() => new()
    {
        Mode = LayoutRules.Name(Mode),
        Rect = Rect?.ToSection(),
        Top = Top?.ToSection(),
        Bottom = Bottom?.ToSection(),
        Split = Mode == LayoutMode.Stacked ? Split : null,
    };

    /// <summary>Everything that decides the picture, for segment keys.</summary>
    public string Key => Mode switch
    {
        LayoutMode.Crop => "crop:" + Rect!.Key,
        LayoutMode.Stacked => "stacked:" + Top!.Key + ";" + Bottom!.Key + ";" + Split.ToString("R", CultureInfo.InvariantCulture),
        _ => LayoutRules.Name(Mode),
    };
}

/// <summary>Spellings and validation of layouts.</summary>
public static class LayoutRules
{
    private const double Tolerance = 1e-9;

    public static LayoutMode? ParseMode(string? mode) => mode switch
    {
        "fit" => LayoutMode.Fit,
        "blur" => LayoutMode.Blur,
        "crop" => LayoutMode.Crop,
        "stacked" => LayoutMode.Stacked,
        _ => null,
    };

    public static string Name(LayoutMode mode) => mode.ToString().ToLowerInvariant();

    /// <summary>
    /// Problems with <paramref name="layout"/>, each starting with <paramref name="where"/> (e.g. <c>layout</c> or
    /// <c>items[2] (clip): layout</c>) and naming the field.
    /// </summary>
    public static void Validate(LayoutSection layout, string where, List<string> errors)
    {
        var mode = ParseMode(layout.Mode);
        if (mode is null)
        {
            errors.Add($"{where}.mode must be fit, blur, crop or stacked (found {layout.Mode ?? "nothing"})");
            return;
        }
        if (mode == LayoutMode.Crop)
            Rect(layout.Rect, where + ".rect", "crop", errors);
        if (mode == LayoutMode.Stacked)
        {
            Rect(layout.Top, where + ".top", "stacked", errors);
            Rect(layout.Bottom, where + ".bottom", "stacked", errors);
            if (layout.Split is { } split && (!double.IsFinite(split) || split < Layout.MinSplit || split > Layout.MaxSplit))
                errors.Add($"{where}.split must be between {F(Layout.MinSplit)} and {F(Layout.MaxSplit)} (found {F(split)})");
        }
    }

    private static void Rect(RectSection? r, string field, string mode, List<string> errors)
    {
        if (r is null)
        {
            errors.Add($"{field} is required for the {mode} layout");
            return;
        }
        if (new[] { r.X, r.Y, r.W, r.H }.Any(v => !double.IsFinite(v)))
            errors.Add($"{field} must have finite x, y, w and h");
        else if (r.W <= 0 || r.H <= 0)
            errors.Add($"{field} has zero size (w {F(r.W)}, h {F(r.H)}): w and h must be more than 0");
        else if (r.X < 0 || r.Y < 0 || r.X + r.W > 1 + Tolerance || r.Y + r.H > 1 + Tolerance)
            errors.Add($"{field} ({F(r.X)}, {F(r.Y)}, {F(r.W)} x {F(r.H)}) is outside the frame: x, y ≥ 0 and x + w, y + h ≤ 1 (fractions of the source frame)");
    }

    private static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
