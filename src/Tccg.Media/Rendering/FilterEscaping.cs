using System.Globalization;
using System.Text;

namespace Tccg.Media.Rendering;

/// <summary>
/// Escaping for values placed inside an ffmpeg filtergraph (see "Notes on filtergraph escaping" in
/// the ffmpeg docs): first for the filter's option parser (<c>\ ' :</c>), then for the graph parser
/// (<c>\ ' [ ] , ;</c>).
/// </summary>
public static class FilterEscaping
{
    /// <summary>A value (a path, a colour) ready to follow <c>option=</c> in a filtergraph.</summary>
    public static string Value(string value) => Graph(Option(value));

    /// <summary>First level: the filter's own <c>key=value:key=value</c> parser.</summary>
    public static string Option(string value) => Escape(value, "\\':");

    /// <summary>Second level: the filtergraph parser.</summary>
    public static string Graph(string value) => Escape(value, "\\'[],;");

    /// <summary>An invariant-culture number for a filter argument (no exponent, up to 6 decimals).</summary>
    public static string Num(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    private static string Escape(string value, string special)
    {
        var sb = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (special.Contains(c, StringComparison.Ordinal))
                sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }
}
