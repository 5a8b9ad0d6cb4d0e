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
    private readonly ConcurrentDictionary<string, Task<FontCharset?>> _charsets = new(StringComparer.Ordinal);

    public FontResolver() : this(new MediaProcessRunner()) { }

    /// <summary>
    /// The font and text to draw. Results are shared between callers (the work is a few quick
    /// fontconfig calls, run without the caller's token so one caller's cancellation cannot spoil
    /// the shared result); failures are not kept.
    /// </summary>
    public async Task<ResolvedFont> ResolveAsync(string font, string text, CancellationToken ct)
    {
        var key = (font, text);
        var task = _cache.GetOrAdd(key, k => ResolveCoreAsync(k.Item1, k.Item2, CancellationToken.None));
        try
        {
            return await task.WaitAsync(ct);
        }
        catch (Exception) when (task.IsFaulted || task.IsCanceled)
        {
            _cache.TryRemove(KeyValuePair.Create(key, task));
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

    private async Task<string> MatchFamilyAsync(string pattern, CancellationToken ct)
    {
        var task = _families.GetOrAdd(pattern, async p =>
        {
            var r = await runner.RunCheckedAsync("fc-match", ["-f", "%{file}", p], null, captureStdout: true, CancellationToken.None);
            var file = r.Stdout.Trim();
            return file.Length > 0 ? file : throw new MediaToolException($"fontconfig found no font for '{p}'.");
        });
        try
        {
            return await task.WaitAsync(ct);
        }
        catch (Exception) when (task.IsFaulted || task.IsCanceled)
        {
            _families.TryRemove(KeyValuePair.Create(pattern, task));
            throw;
        }
    }

    private async Task<bool> CoversAsync(string file, IReadOnlyCollection<int> codepoints, CancellationToken ct)
    {
        // A font file fontconfig does not know (the user's own) is trusted to have the glyphs.
        var charset = await CharsetOfAsync(file, ct);
        return charset is null || codepoints.All(charset.Contains);
    }

    /// <summary>
    /// The characters a font file has, read once per file (<c>fc-list :file=… charset</c>) and kept, so every text
    /// of a render is checked without starting a process; null when fontconfig does not know the file.
    /// </summary>
    private async Task<FontCharset?> CharsetOfAsync(string file, CancellationToken ct)
    {
        var task = _charsets.GetOrAdd(file, async f =>
        {
            var r = await runner.RunAsync("fc-list", [":file=" + FcEscape(f), "charset"], null, captureStdout: true, CancellationToken.None);
            if (r.ExitCode != 0)
                return FontCharset.Empty;
            return r.Stdout.Trim().Length == 0 ? null : FontCharset.Parse(r.Stdout);
        });
        try
        {
            return await task.WaitAsync(ct);
        }
        catch (Exception) when (task.IsFaulted || task.IsCanceled)
        {
            _charsets.TryRemove(KeyValuePair.Create(file, task));
            throw;
        }
    }

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

/// <summary>A font's characters as fontconfig prints them (<c>charset=20-7e a0-2e9 …</c>, hexadecimal ranges).</summary>
internal sealed class FontCharset
{
    public static readonly FontCharset Empty = new([]);

    private readonly (int From, int To)[] _ranges;

    private FontCharset((int From, int To)[] ranges) => _ranges = ranges;

    /// <summary>Every <c>charset=</c> of the output (a file with several faces prints one line each): their union.</summary>
    public static FontCharset Parse(string fcListOutput)
    {
        var ranges = new List<(int, int)>();
        foreach (var line in fcListOutput.Split('\n'))
        {
            var at = line.IndexOf("charset=", StringComparison.Ordinal);
            if (at < 0)
                continue;
            foreach (var item in line[(at + "charset=".Length)..].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var dash = item.IndexOf('-', StringComparison.Ordinal);
                if (dash < 0 && int.TryParse(item, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var one))
                    ranges.Add((one, one));
                else if (dash > 0 && int.TryParse(item.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var from)
                    && int.TryParse(item.AsSpan(dash + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var to))
                    ranges.Add((from, to));
            }
        }
        return new FontCharset([.. ranges]);
    }

    public bool Contains(int codepoint)
    {
        foreach (var (from, to) in _ranges)
        {
            if (codepoint >= from && codepoint <= to)
                return true;
        }
        return false;
    }
}
