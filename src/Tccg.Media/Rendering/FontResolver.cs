using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tccg.Media.Processes;

namespace Tccg.Media.Rendering;

/// <summary>The font file to draw a text with, and the text as it will be drawn.</summary>
/// <param name="FontFile">An outline font file (drawtext cannot scale colour bitmap fonts such as Noto Color Emoji).</param>
/// <param name="Text">The text; characters that no installed outline font has are left out.</param>
public sealed record ResolvedFont(string FontFile, string Text);

/// <summary>
/// Picks a font file that has glyphs for every character of a text, starting from the configured
/// font (a file path or a fontconfig family) and falling back through fontconfig
/// (<c>fc-list ':charset=…'</c>, <c>fc-match</c>) — e.g. to Noto Sans CJK for Japanese names.
/// </summary>
public sealed class FontResolver(MediaProcessRunner runner, ILogger<FontResolver>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<FontResolver>.Instance;
    private readonly ConcurrentDictionary<(string, string), Task<ResolvedFont>> _cache = new();
    private readonly ConcurrentDictionary<string, Task<string>> _families = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<FontFaces?>> _faces = new(StringComparer.Ordinal);

    public FontResolver() : this(new MediaProcessRunner()) { }

    /// <summary>
    /// The font and text to draw. Results are shared between callers (the work is a few quick
    /// fontconfig calls, run without the caller's token so one caller's cancellation cannot spoil
    /// the shared result); failures are not kept.
    /// </summary>
    public Task<ResolvedFont> ResolveAsync(string font, string text, CancellationToken ct) =>
        SharedAsync(_cache, (font, text), k => ResolveCoreAsync(k.Item1, k.Item2, CancellationToken.None), ct);

    /// <summary>
    /// The cached task of <paramref name="key"/> (started once, without the caller's token), awaited with the caller's
    /// token; a failed or cancelled one is dropped so the next caller tries again.
    /// </summary>
    private static async Task<T> SharedAsync<TKey, T>(ConcurrentDictionary<TKey, Task<T>> cache, TKey key, Func<TKey, Task<T>> start, CancellationToken ct)
        where TKey : notnull
    {
        var task = cache.GetOrAdd(key, start);
        try
        {
            return await task.WaitAsync(ct);
        }
        catch (Exception) when (task.IsFaulted || task.IsCanceled)
        {
            cache.TryRemove(KeyValuePair.Create(key, task));
            throw;
        }
    }

    private async Task<ResolvedFont> ResolveCoreAsync(string font, string text, CancellationToken ct)
    {
        var baseFile = File.Exists(font) ? Path.GetFullPath(font) : await MatchFamilyAsync(font, ct);
        var codepoints = Codepoints(text);
        if (codepoints.Count == 0 || await CoversAsync(baseFile, codepoints, ct))
            return new ResolvedFont(baseFile, text);

        // One outline font with every glyph, fontconfig's best match for the family first.
        var candidates = await ListAsync(codepoints, ct);
        if (candidates.Count > 0)
        {
            var best = await MatchFamilyAsync(FamilyOf(font) + ":charset=" + Charset(codepoints) + ":color=false", ct);
            var chosen = candidates.Contains(best) ? best : Preferred(candidates);
            _logger.LogInformation("Overlay text {Text} uses fallback font {Font}", text, chosen);
            return new ResolvedFont(chosen, text);
        }

        // No single font has them all: drop characters no outline font has, then take the font
        // with the most of the rest (letters win over symbols: the name stays readable).
        var drawable = new List<int>();
        foreach (var cp in codepoints)
        {
            if ((await ListAsync([cp], ct)).Count > 0)
                drawable.Add(cp);
        }
        var file = baseFile;
        if (drawable.Count > 0 && !await CoversAsync(baseFile, drawable, ct))
        {
            var letters = drawable.Where(cp => cp < 0x2000 || (cp >= 0x2E80 && cp < 0xFE00)).ToList();
            var set = letters.Count > 0 ? letters : drawable;
            if (!await CoversAsync(baseFile, set, ct))
            {
                var match = await ListAsync(set, ct);
                file = match.Count > 0 ? Preferred(match) : await MatchFamilyAsync(FamilyOf(font) + ":charset=" + Charset(set) + ":color=false", ct);
            }
        }
        var kept = new HashSet<int>();
        foreach (var cp in codepoints)
        {
            if (await CoversAsync(file, [cp], ct))
                kept.Add(cp);
        }
        var filtered = Filter(text, kept);
        _logger.LogWarning("No installed font has every character of {Text}; drawing {Filtered} with {Font}", text, filtered, file);
        return new ResolvedFont(file, filtered);
    }

    private Task<string> MatchFamilyAsync(string pattern, CancellationToken ct) =>
        SharedAsync(_families, pattern, async p =>
        {
            var r = await runner.RunCheckedAsync("fc-match", ["-f", "%{file}", p], null, captureStdout: true, CancellationToken.None);
            var file = r.Stdout.Trim();
            return file.Length > 0 ? file : throw new MediaToolException($"fontconfig found no font for '{p}'.");
        }, ct);

    private async Task<bool> CoversAsync(string file, IReadOnlyCollection<int> codepoints, CancellationToken ct)
    {
        // A font file fontconfig does not know (the user's own) is trusted to have the glyphs.
        var faces = await FacesOfAsync(file, ct);
        return faces is null || faces.AnyHasAll(codepoints);
    }

    /// <summary>
    /// The characters of each face of a font file, read once per file (<c>fc-list :file=… file charset</c>) and kept,
    /// so every text of a render is checked without starting a process; null when fontconfig does not know the file.
    /// A failed fc-list is not kept (the next text asks again).
    /// </summary>
    private Task<FontFaces?> FacesOfAsync(string file, CancellationToken ct) =>
        SharedAsync(_faces, file, async f =>
        {
            var r = await runner.RunCheckedAsync("fc-list", [":file=" + FcEscape(f), "file", "charset"], null, captureStdout: true, CancellationToken.None);
            return r.Stdout.Trim().Length == 0 ? null : FontFaces.Parse(r.Stdout);
        }, ct);

    private async Task<List<string>> ListAsync(IReadOnlyCollection<int> codepoints, CancellationToken ct)
    {
        var r = await runner.RunAsync("fc-list", [":charset=" + Charset(codepoints) + ":color=false:outline=true", "file"], null, captureStdout: true, ct);
        return r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Trim().TrimEnd(':').Trim())
            .Where(l => l.Length > 0)
            .ToList();
    }

    /// <summary>Deterministic pick: regular Sans faces before bold, serif or odd ones.</summary>
    internal static string Preferred(IEnumerable<string> files) =>
        files.OrderBy(f => Score(Path.GetFileName(f))).ThenBy(f => f, StringComparer.Ordinal).First();

    private static int Score(string name)
    {
        var score = 0;
        if (!name.Contains("Sans", StringComparison.Ordinal)) score += 4;
        if (name.Contains("Serif", StringComparison.Ordinal)) score += 4;
        if (name.Contains("Bold", StringComparison.Ordinal) || name.Contains("Italic", StringComparison.Ordinal) || name.Contains("Oblique", StringComparison.Ordinal)) score += 2;
        if (!name.Contains("Regular", StringComparison.Ordinal) && name.Contains('-', StringComparison.Ordinal)) score += 1;
        return score;
    }

    /// <summary>Distinct code points of the text that need a glyph (not whitespace or controls).</summary>
    internal static List<int> Codepoints(string text)
    {
        var set = new SortedSet<int>();
        foreach (var rune in text.EnumerateRunes())
        {
            if (!Rune.IsWhiteSpace(rune) && !Rune.IsControl(rune) && Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.Format or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark))
                set.Add(rune.Value);
        }
        return set.ToList();
    }

    internal static string Charset(IEnumerable<int> codepoints) =>
        string.Join(' ', codepoints.Select(cp => cp.ToString("x", CultureInfo.InvariantCulture)));

    private static string FamilyOf(string font) =>
        File.Exists(font) ? "sans-serif" : FcEscape(font);

    /// <summary>Escapes a value for a fontconfig pattern string.</summary>
    internal static string FcEscape(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '\\' or ':' or ',' or '=')
                sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>The text without characters outside <paramref name="kept"/> (whitespace and marks stay).</summary>
    internal static string Filter(string text, HashSet<int> kept)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (kept.Contains(rune.Value) || Codepoints(rune.ToString()).Count == 0)
                sb.Append(rune.ToString());
        }
        var result = sb.ToString().Trim();
        return result.Length > 0 ? result : "?";
    }
}

/// <summary>
/// A font file's faces (one line each in <c>fc-list … file charset</c>: <c>PATH: :charset=20-7e a0-2e9 …</c>, hexadecimal
/// ranges) and the characters each has.
/// </summary>
internal sealed class FontFaces
{
    private readonly List<(int From, int To)[]> _faces;

    private FontFaces(List<(int From, int To)[]> faces) => _faces = faces;

    public int Count => _faces.Count;

    public static FontFaces Parse(string fcListOutput)
    {
        var faces = new List<(int, int)[]>();
        foreach (var line in fcListOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var ranges = new List<(int, int)>();
            var at = line.IndexOf("charset=", StringComparison.Ordinal);
            var items = at < 0 ? [] : line[(at + "charset=".Length)..].Split(':')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (var item in items)
            {
                var dash = item.IndexOf('-', StringComparison.Ordinal);
                if (dash < 0 && int.TryParse(item, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var one))
                    ranges.Add((one, one));
                else if (dash > 0 && int.TryParse(item.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var from)
                    && int.TryParse(item.AsSpan(dash + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var to))
                    ranges.Add((from, to));
            }
            faces.Add([.. ranges]);
        }
        return new FontFaces(faces);
    }

    /// <summary>True when one face has every code point (drawtext draws with one face).</summary>
    public bool AnyHasAll(IEnumerable<int> codepoints) => _faces.Any(face => codepoints.All(cp => Has(face, cp)));

    private static bool Has((int From, int To)[] face, int codepoint)
    {
        foreach (var (from, to) in face)
        {
            if (codepoint >= from && codepoint <= to)
                return true;
        }
        return false;
    }
}
