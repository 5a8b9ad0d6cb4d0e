using Tccg.Core.Compilations;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Tccg.Core.Timeline;

/// <summary>A timeline file is not valid; <see cref="Errors"/> names each item index, kind and field.</summary>
public sealed class TimelineValidationException : Exception
{
    public TimelineValidationException(IReadOnlyList<string> errors)
        : base("Invalid timeline: " + string.Join("; ", errors))
    {
        Errors = errors;
    }

    public TimelineValidationException() : this(["invalid timeline"]) { }
    public TimelineValidationException(string message) : this([message]) { }
    public TimelineValidationException(string message, Exception inner) : base(message, inner) => Errors = [message];

    public IReadOnlyList<string> Errors { get; } = [];
}

/// <summary>Reads and validates timeline JSON (pure: no file system access besides <see cref="LoadFile"/>).</summary>
public static partial class TimelineLoader
{
    private static readonly JsonSerializerOptions Json = new()
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static TimelineDocument LoadFile(string path)
    {
        if (!File.Exists(path))
            throw new TimelineValidationException([$"timeline file {path} does not exist"]);
        return Parse(File.ReadAllText(path));
    }

    /// <summary>Parses and validates; throws <see cref="TimelineValidationException"/> listing every problem.</summary>
    public static TimelineDocument Parse(string json)
    {
        TimelineDocument? doc;
        try
        {
            doc = JsonSerializer.Deserialize<TimelineDocument>(json, Json);
        }
        catch (JsonException ex)
        {
            var where = ex.Path is { Length: > 0 } p ? $" at {p}" : "";
            throw new TimelineValidationException([$"not valid timeline JSON{where}: {FirstSentence(ex.Message)}"]);
        }
        if (doc is null)
            throw new TimelineValidationException(["the timeline is empty (null)"]);
        var errors = Validate(doc);
        if (errors.Count > 0)
            throw new TimelineValidationException(errors);
        return doc;
    }

    public static string Serialize(TimelineDocument doc) => JsonSerializer.Serialize(doc, Json);

    /// <summary>Every problem with a timeline's structure and values (media durations are checked separately).</summary>
    public static List<string> Validate(TimelineDocument doc)
    {
        var errors = new List<string>();
        if (doc.Version != TimelineDocument.CurrentVersion)
            errors.Add($"version must be {TimelineDocument.CurrentVersion} (found {doc.Version.ToString(CultureInfo.InvariantCulture)})");
        ValidateSettings(doc, errors);
        if (doc.Interval is { } interval && string.IsNullOrWhiteSpace(interval))
            errors.Add("interval: must be a file path or left out");

        var items = doc.Items;
        if (items is null || items.Count == 0)
        {
            errors.Add("items: the timeline needs at least one item");
            return errors;
        }

        var seen = new HashSet<ItemKind>();
        ItemKind? previous = null;
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item is null)
            {
                errors.Add($"items[{i}]: is null");
                continue;
            }
            var kind = TimelineNames.ParseKind(item.Kind);
            var label = $"items[{i}] ({item.Kind ?? "no kind"})";
            if (kind is not { } k)
            {
                errors.Add($"{label}: kind must be first, intro, clip, interval or outro");
                continue;
            }
            if (k is ItemKind.First or ItemKind.Intro or ItemKind.Outro && !seen.Add(k))
                errors.Add($"{label}: only one {item.Kind} item is allowed");
            if (previous is { } p && Rank(k) < Rank(p))
                errors.Add($"{label}: must not come after a {TimelineNames.Name(p)} item (order: first, intro, clips and intervals, outro)");
            previous = k;

            if (string.IsNullOrWhiteSpace(item.File))
                errors.Add($"{label}: file is required");
            if (item.TrimStart is { } ts && (ts < 0 || !double.IsFinite(ts)))
                errors.Add($"{label}: trimStart must be 0 or more seconds");
            if (item.TrimEnd is { } te && (te <= 0 || !double.IsFinite(te)))
                errors.Add($"{label}: trimEnd must be more than 0 seconds");
            if (item.TrimEnd is { } e && e <= (item.TrimStart ?? 0))
                errors.Add($"{label}: trimEnd ({F(e)}) must be greater than trimStart ({F(item.TrimStart ?? 0)})");
            if (item.Volume is { } v && !EditorLimits.IsVolume(v))
                errors.Add($"{label}: volume must be between {F(EditorLimits.MinVolume)} and {F(EditorLimits.MaxVolume)} (found {F(v)})");
            if (k == ItemKind.Clip)
            {
                if (string.IsNullOrWhiteSpace(item.Streamer?.Name))
                    errors.Add($"{label}: streamer.name is required for a clip");
                if (item.Streamer?.Login is not { } login || !LoginPattern().IsMatch(login))
                    errors.Add($"{label}: streamer.login must be a Twitch login (letters, digits, underscore; 1-25)");
            }
        }
        return errors;
    }

    private static void ValidateSettings(TimelineDocument doc, List<string> errors)
    {
        if (doc.Output is { } o)
        {
            if (o.Width is { } w && (w < 16 || w > 7680 || w % 2 != 0))
                errors.Add("output.width must be an even number from 16 to 7680");
            if (o.Height is { } h && (h < 16 || h > 4320 || h % 2 != 0))
                errors.Add("output.height must be an even number from 16 to 4320");
            if (o.Fps is { } fps && (fps < 1 || fps > 120))
                errors.Add("output.fps must be between 1 and 120");
            if (o.Preset is { } preset && !EditorLimits.IsPreset(preset))
                errors.Add("output.preset must be an x264 preset (ultrafast … veryslow)");
            if (o.Crf is { } crf && (crf < 0 || crf > 51))
                errors.Add("output.crf must be between 0 and 51");
            if (o.AudioBitrateKbps is { } ab && (ab < 32 || ab > 512))
                errors.Add("output.audioBitrateKbps must be between 32 and 512");
            if (o.LoudnessLufs is { } lufs && (lufs < -70 || lufs > -5))
                errors.Add("output.loudnessLufs must be between -70 and -5");
            if (o.TruePeak is { } tp && (tp < -9 || tp > 0))
                errors.Add("output.truePeak must be between -9 and 0");
            if (TimelineNames.ParseFill(o.Fill) is null)
                errors.Add("output.fill must be blur or letterbox");
        }
        if (doc.Overlay is { } v)
        {
            if (v.Position is not null && TimelineNames.ParsePosition(v.Position) is null)
                errors.Add("overlay.position must be top-left, top-center, top-right, bottom-left, bottom-center or bottom-right");
            if (v.Seconds is { } s && (s < 0 || s > 3600))
                errors.Add("overlay.seconds must be between 0 and 3600");
            if (v.Font is { } font && string.IsNullOrWhiteSpace(font))
                errors.Add("overlay.font must be a font file or a fontconfig family name");
            if (v.Color is { } c && !ColorPattern().IsMatch(c))
                errors.Add("overlay.color must be a colour name or #RRGGBB[AA]");
            if (v.OutlineColor is { } oc && !ColorPattern().IsMatch(oc))
                errors.Add("overlay.outlineColor must be a colour name or #RRGGBB[AA]");
        }
        if (doc.Music is { } m)
        {
            if (m.Volume is { } mv && !EditorLimits.IsVolume(mv))
                errors.Add($"music.volume must be between {F(EditorLimits.MinVolume)} and {F(EditorLimits.MaxVolume)}");
            for (var i = 0; i < (m.Tracks?.Count ?? 0); i++)
            {
                if (string.IsNullOrWhiteSpace(m.Tracks![i]))
                    errors.Add($"music.tracks[{i}] must be a file path");
            }
        }
    }

    private static int Rank(ItemKind k) => k switch
    {
        ItemKind.First => 0,
        ItemKind.Intro => 1,
        ItemKind.Clip or ItemKind.Interval => 2,
        _ => 3,
    };

    internal static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    private static string FirstSentence(string message)
    {
        var dot = message.IndexOf(". ", StringComparison.Ordinal);
        return dot > 0 ? message[..dot] : message;
    }

    [GeneratedRegex("^[A-Za-z0-9_]{1,25}$")]
    private static partial Regex LoginPattern();


    [GeneratedRegex("^([A-Za-z]{3,30}|#[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?)(@[0-9.]+)?$")]
    private static partial Regex ColorPattern();
}
