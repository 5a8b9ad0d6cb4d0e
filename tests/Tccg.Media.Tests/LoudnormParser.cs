using System.Globalization;
using System.Text.Json;

using Tccg.Media.Loudness;

namespace Tccg.Media.Tests;

/// <summary>
/// The tests' reference meter: ffmpeg's <c>loudnorm</c> (which the product no longer uses, being three times the CPU of
/// <c>ebur128</c>) checks that <see cref="LoudnessMeter"/> measures the same integrated loudness. Pure parser for the JSON block that <c>loudnorm=print_format=json</c> prints at the end of
/// ffmpeg's stderr (<c>input_i</c>, <c>input_tp</c>, <c>input_lra</c>, values as strings, "-inf" for silence).
/// </summary>
internal static class LoudnormParser
{
    public static LoudnessMeasurement Parse(string stderr)
    {
        var end = stderr.LastIndexOf('}');
        var start = end < 0 ? -1 : stderr.LastIndexOf('{', end);
        if (start < 0)
            throw new FormatException("ffmpeg printed no loudnorm summary.");

        using var doc = JsonDocument.Parse(stderr[start..(end + 1)]);
        var root = doc.RootElement;
        var integrated = Value(root, "input_i");
        var peak = Value(root, "input_tp");
        var range = Value(root, "input_lra");
        if (double.IsNaN(integrated) || double.IsNegativeInfinity(integrated) || integrated <= LoudnessMeasurement.SilenceLufs)
            return LoudnessMeasurement.Silence;
        return new LoudnessMeasurement(
            integrated,
            double.IsFinite(peak) ? peak : LoudnessMeasurement.SilenceDb,
            double.IsFinite(range) ? range : 0);
    }

    private static double Value(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var p))
            throw new FormatException($"loudnorm summary has no {name}.");
        var text = p.ValueKind == JsonValueKind.String ? p.GetString() ?? "" : p.GetRawText();
        return text.Trim() switch
        {
            "-inf" => double.NegativeInfinity,
            "inf" or "+inf" => double.PositiveInfinity,
            var t when double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => throw new FormatException($"loudnorm {name} is not a number: '{text}'."),
        };
    }
}
