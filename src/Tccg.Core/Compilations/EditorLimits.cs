using System.Globalization;

namespace Tccg.Core.Compilations;

/// <summary>
/// The editor's limits, written once: the editor rules, the timeline loader, the application layer (API, pages, CLI)
/// and the browser module <c>editor.js</c> (handed <see cref="ForClient"/>) all read them from here.
/// </summary>
public static class EditorLimits
{
    /// <summary>The shortest piece a trimmed clip may leave, in seconds.</summary>
    public const double MinimumClipSeconds = 0.5;

    /// <summary>Containers round durations: a trim end this far past the probed duration still counts as the end.</summary>
    public const double DurationSlack = 0.05;

    /// <summary>Names of compilations, assets, users and tokens: 1 to this many characters, no control characters.</summary>
    public const int MaxNameLength = 200;

    public const double MinVolume = 0;

    /// <summary>Clip and music volume: a gain factor, 2 = +6 dB.</summary>
    public const double MaxVolume = 2;

    /// <summary>The x264 presets, fastest first (for option validation attributes, which need a constant).</summary>
    public const string PresetPattern = "^(ultrafast|superfast|veryfast|faster|fast|medium|slow|slower|veryslow)$";

    public static readonly IReadOnlyList<string> Presets = ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"];

    public static bool IsPreset(string? preset) => preset is not null && Presets.Contains(preset, StringComparer.Ordinal);

    public static bool IsVolume(double volume) => double.IsFinite(volume) && volume is >= MinVolume and <= MaxVolume;

    /// <summary>What is wrong with a name, naming <paramref name="field"/>; null when it is fine (after trimming).</summary>
    public static ValidationMessage? CheckName(string field, string? name, int maxLength = MaxNameLength)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0)
            return new(field, "a name is required");
        if (trimmed.Length > maxLength)
            return new(field, $"a name has at most {maxLength.ToString(CultureInfo.InvariantCulture)} characters");
        if (trimmed.Any(char.IsControl))
            return new(field, "a name may not contain control characters (tabs, line breaks, NUL …)");
        return null;
    }

    /// <summary>The limits the browser needs, as one object handed to <c>editor.js</c>.</summary>
    public static object ForClient { get; } = new
    {
        minimumClipSeconds = MinimumClipSeconds,
        durationSlack = DurationSlack,
        maxNameLength = MaxNameLength,
        minVolume = MinVolume,
        maxVolume = MaxVolume,
        presets = Presets,
    };

    /// <summary>
    /// The one length estimate: trimmed clips, an interval between each two, and the first clip, intro and outro, in seconds.
    /// A clip's length is its media duration (or Twitch's) cut to its trims.
    /// </summary>
    public static double EstimateSeconds(IEnumerable<(double Duration, double? TrimStart, double? TrimEnd)> clips,
        double first = 0, double intro = 0, double interval = 0, double outro = 0)
    {
        var total = 0.0;
        var count = 0;
        foreach (var (duration, trimStart, trimEnd) in clips)
        {
            total += Math.Max(0, Math.Min(trimEnd ?? duration, duration) - (trimStart ?? 0));
            count++;
        }
        total += (Math.Max(0, count - 1) * interval) + first + intro + outro;
        return Math.Round(total, 3);
    }
}
