using Tccg.Media.Caching;

namespace Tccg.Media.Rendering;

/// <summary>
/// What lives in a segment cache, as units a trim may evict: a video segment (<c>v-KEY.mp4</c>), an audio
/// segment with its loudness measurement (<c>a-KEY.wav</c> + <c>a-KEY.loudness.json</c>, useless apart), an
/// overlay text file (<c>t-HASH.txt</c>) and each probe or loudness record under <c>info/</c>. Temp files of
/// encodes in flight and anything else in the folder are never part of an entry.
/// </summary>
public static class SegmentCache
{
    public const string Name = "segment";

    public static IReadOnlyList<CacheEntry> Entries(string root)
    {
        var groups = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var f in CacheTrimmer.Files(root, recursive: false, isRoot: true))
        {
            if (Group(f.Name) is { } key)
                Add(groups, key, f.FullName);
        }
        foreach (var f in CacheTrimmer.Files(Path.Combine(root, "info"), recursive: false))
        {
            if (f.Extension == ".json" && (f.Name.StartsWith("facts-", StringComparison.Ordinal) || f.Name.StartsWith("loudness-", StringComparison.Ordinal)))
                Add(groups, "info/" + f.Name, f.FullName);
        }
        return groups.Select(g => CacheTrimmer.Entry(g.Key, g.Value)).OfType<CacheEntry>().ToList();
    }

    /// <summary>Trims the segment cache at <paramref name="root"/> to <paramref name="capBytes"/> (0: unlimited).</summary>
    public static CacheTrimResult Trim(CacheTrimmer trimmer, string root, long capBytes, DateTimeOffset keepUsedSince) =>
        trimmer.Trim(Name, root, Entries, capBytes, keepUsedSince);

    private static string? Group(string name)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot < 3)
            return null;
        var stem = name[..dot];
        var rest = name[dot..];
        return (stem[..2], rest) switch
        {
            ("v-", ".mp4") => stem,
            ("a-", ".wav" or ".loudness.json") => stem,
            ("t-", ".txt") => stem,
            _ => null,
        };
    }

    private static void Add(Dictionary<string, List<string>> groups, string key, string file)
    {
        if (!groups.TryGetValue(key, out var list))
            groups[key] = list = [];
        list.Add(file);
    }
}
