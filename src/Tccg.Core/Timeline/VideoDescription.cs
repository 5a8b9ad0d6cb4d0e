using System.Globalization;
using System.Text;

namespace Tccg.Core.Timeline;

/// <summary>A rendered piece for the description: its kind, streamer, title and exact length.</summary>
/// <param name="Clipper">Who clipped it on Twitch, when the credits should say so.</param>
public sealed record DescribedPiece(ItemKind Kind, string? StreamerName, string? StreamerLogin, string? Title, double Seconds, string? Clipper = null);

/// <summary>The <c>NAME.txt</c> beside a render: credits and chapter timestamps for a video description.</summary>
public static class VideoDescription
{
    public static string Build(IReadOnlyList<DescribedPiece> pieces)
    {
        var sb = new StringBuilder();
        var credits = Credits(pieces);
        if (credits.Count > 0)
        {
            sb.Append("Streamers in this video:\n");
            foreach (var line in credits)
                sb.Append(line).Append('\n');
            sb.Append('\n');
        }
        sb.Append("Chapters:\n");
        foreach (var line in Chapters(pieces))
            sb.Append(line).Append('\n');
        return sb.ToString();
    }

    /// <summary>
    /// One line per streamer (first appearance order, by login): display name and channel link, then who clipped their
    /// clips when known (<c>— clipped by A, B</c>, each name once, in order).
    /// </summary>
    public static List<string> Credits(IReadOnlyList<DescribedPiece> pieces)
    {
        var order = new List<string>();
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var clippers = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in pieces)
        {
            if (p.Kind != ItemKind.Clip || string.IsNullOrWhiteSpace(p.StreamerLogin))
                continue;
            if (names.TryAdd(p.StreamerLogin, p.StreamerName ?? p.StreamerLogin.ToLowerInvariant()))
            {
                order.Add(p.StreamerLogin);
                clippers[p.StreamerLogin] = [];
            }
            var clipper = string.IsNullOrWhiteSpace(p.Clipper) ? null : OneLine(p.Clipper);
            var list = clippers[p.StreamerLogin];
            if (clipper is not null && !list.Contains(clipper, StringComparer.OrdinalIgnoreCase))
                list.Add(clipper);
        }
        return [.. order.Select(login =>
        {
            var line = $"{OneLine(names[login])} https://www.twitch.tv/{login.ToLowerInvariant()}";
            return clippers[login].Count == 0 ? line : $"{line} — clipped by {string.Join(", ", clippers[login])}";
        })];
    }

    /// <summary>
    /// Chapter lines (<c>0:00 Intro</c>, <c>0:12 name — title</c>): the first always at 0:00 as
    /// YouTube requires; intervals belong to the chapter before them.
    /// </summary>
    public static List<string> Chapters(IReadOnlyList<DescribedPiece> pieces)
    {
        var lines = new List<string>();
        var at = 0.0;
        foreach (var p in pieces)
        {
            var title = p.Kind switch
            {
                ItemKind.First => "Opening",
                ItemKind.Intro => "Intro",
                ItemKind.Outro => "Outro",
                ItemKind.Clip => ClipTitle(p),
                _ => null,
            };
            if (title is not null || lines.Count == 0)
                lines.Add($"{Timestamp(lines.Count == 0 ? 0 : at)} {title ?? "Start"}");
            at += p.Seconds;
        }
        return lines;
    }

    /// <summary><c>m:ss</c> below an hour, <c>h:mm:ss</c> from then on (seconds rounded down).</summary>
    public static string Timestamp(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Floor(seconds + 1e-6));
        return t.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{t.Minutes}:{t.Seconds:00}");
    }

    private static string ClipTitle(DescribedPiece p)
    {
        var name = OneLine(p.StreamerName ?? p.StreamerLogin ?? "Clip");
        return string.IsNullOrWhiteSpace(p.Title) ? name : $"{name} — {OneLine(p.Title)}";
    }

    private static string OneLine(string s) => string.Join(' ', s.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
}
