using System.Globalization;

namespace Tccg.Media.Loudness;

/// <summary>
/// Pure parser for the summary the <c>ebur128=peak=true</c> filter logs (at info level) when ffmpeg
/// finishes: <c>I: -21.8 LUFS</c>, <c>LRA: 0.0 LU</c> and <c>Peak: -20.7 dBFS</c> after the last "Summary:".
/// </summary>
public static class Ebur128SummaryParser
{
    public static LoudnessMeasurement Parse(string stderr)
    {
        var at = stderr.LastIndexOf("Summary:", StringComparison.Ordinal);
        if (at < 0)
            throw new FormatException("ffmpeg printed no ebur128 summary.");
        var summary = stderr[at..];
        var integrated = Value(summary, "I:") ?? throw new FormatException("ebur128 summary has no integrated loudness.");
        var range = Value(summary, "LRA:") ?? 0;
        var peak = Value(summary, "Peak:") ?? double.NegativeInfinity;
        if (integrated <= LoudnessMeasurement.SilenceLufs)
            return LoudnessMeasurement.Silence;
        return new LoudnessMeasurement(integrated, double.IsFinite(peak) ? peak : LoudnessMeasurement.SilenceDb, range);
    }

    /// <summary>
    /// The summary of the meter named <paramref name="meter"/> (<c>ebur128@NAME</c>) when one process measured several:
    /// its last summary, up to the next line another filter logged.
    /// </summary>
    public static LoudnessMeasurement Parse(string stderr, string meter)
    {
        var at = stderr.LastIndexOf($"[ebur128@{meter} @ ", StringComparison.Ordinal);
        if (at < 0)
            throw new FormatException($"ffmpeg printed no ebur128 summary for meter {meter}.");
        var end = stderr.IndexOf("\n[", at + 1, StringComparison.Ordinal);
        return Parse(end < 0 ? stderr[at..] : stderr[at..end]);
    }

    private static double? Value(string summary, string label)
    {
        foreach (var raw in summary.Split('\n'))
        {
            var line = raw.Trim();
            if (!line.StartsWith(label, StringComparison.Ordinal))
                continue;
            var parts = line[label.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0)
                return null;
            if (parts[0] == "-inf")
                return double.NegativeInfinity;
            return double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
        }
        return null;
    }
}
