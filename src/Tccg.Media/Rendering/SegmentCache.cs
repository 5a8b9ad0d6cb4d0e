using System.Security.Cryptography;
using System.Text;
using Tccg.Media.Caching;

namespace Tccg.Media.Rendering;

/// <summary>
/// The segment cache's file layout, in one place: the renderer and <see cref="MediaInfoCache"/> build names with it
/// and a trim reads them back. A video segment (<c>v-KEY.mp4</c>), an audio segment with its loudness measurement
/// (<c>a-KEY.wav</c> + <c>a-KEY.loudness.json</c>, useless apart), an overlay text file (<c>t-HASH.txt</c>) and each
/// probe or loudness record under <c>info/</c> are the units a trim may evict. Temp files of encodes in flight and
/// anything else in the folder are never part of an entry.
/// </summary>
public static class SegmentCache
{
    public const string Name = "segment";

    public const string VideoPrefix = "v-";
    public const string VideoSuffix = ".mp4";
    public const string AudioPrefix = "a-";
    public const string AudioSuffix = ".wav";
    public const string MeasurementSuffix = ".loudness.json";
    public const string TextPrefix = "t-";
    public const string TextSuffix = ".txt";
    public const string InfoDir = "info";
    public const string FactsRecord = "facts";
    public const string LoudnessRecord = "loudness";
    public const string InfoSuffix = ".json";
    private const string TempSuffix = ".tmp";

    /// <summary>The video segment with content key <paramref name="key"/>.</summary>
    public static string VideoFile(string root, string key) => Path.Combine(root, VideoPrefix + key + VideoSuffix);

    /// <summary>The audio segment with content key <paramref name="key"/>.</summary>
    public static string AudioFile(string root, string key) => Path.Combine(root, AudioPrefix + key + AudioSuffix);

    /// <summary>The loudness measurement of audio segment <paramref name="key"/>, evicted with it.</summary>
    public static string MeasurementFile(string root, string key) => Path.Combine(root, AudioPrefix + key + MeasurementSuffix);

    /// <summary>Where video segment <paramref name="key"/> is encoded before it is renamed into place (never evicted).</summary>
    public static string VideoTemp(string root, string key, string tag) => Path.Combine(root, VideoPrefix + key + "." + tag + TempSuffix);

    /// <summary>Where audio segment <paramref name="key"/> is rendered before it is renamed into place (never evicted).</summary>
    public static string AudioTemp(string root, string key, string tag) => Path.Combine(root, AudioPrefix + key + "." + tag + TempSuffix);

    /// <summary>The text file an overlay draws, named by a hash of the text.</summary>
    public static string TextFile(string root, string text) => Path.Combine(root, TextPrefix + Hash(text) + TextSuffix);

    /// <summary>A probe (<see cref="FactsRecord"/>) or loudness (<see cref="LoudnessRecord"/>) record for the file identity <paramref name="identityKey"/>.</summary>
    public static string InfoFile(string root, string record, string identityKey) =>
        Path.Combine(root, InfoDir, record + "-" + Hash(identityKey) + InfoSuffix);

    public static IReadOnlyList<CacheEntry> Entries(string root)
    {
        var groups = new Dictionary<string, List<FileInfo>>(StringComparer.Ordinal);
        foreach (var f in CacheTrimmer.Files(root, recursive: false, isRoot: true))
        {
            if (Group(f.Name) is { } key)
                Add(groups, key, f);
        }
        foreach (var f in CacheTrimmer.Files(Path.Combine(root, InfoDir), recursive: false))
        {
            if (f.Extension == InfoSuffix && (f.Name.StartsWith(FactsRecord + "-", StringComparison.Ordinal) || f.Name.StartsWith(LoudnessRecord + "-", StringComparison.Ordinal)))
                Add(groups, InfoDir + "/" + f.Name, f);
        }
        return groups.Select(g => CacheTrimmer.Entry(g.Key, g.Value)).OfType<CacheEntry>().ToList();
    }

    /// <summary>Trims the segment cache at <paramref name="root"/> to <paramref name="capBytes"/> (0: unlimited).</summary>
    public static CacheTrimResult Trim(CacheTrimmer trimmer, string root, long capBytes, DateTimeOffset keepUsedSince) =>
        trimmer.Trim(Name, root, Entries, capBytes, keepUsedSince);

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..24];

    /// <summary>The entry a file in the cache root belongs to (its name up to the first dot), or null when it is none.</summary>
    private static string? Group(string name)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
            return null;
        var stem = name[..dot];
        return name[dot..] switch
        {
            VideoSuffix when Keyed(stem, VideoPrefix) => stem,
            AudioSuffix or MeasurementSuffix when Keyed(stem, AudioPrefix) => stem,
            TextSuffix when Keyed(stem, TextPrefix) => stem,
            _ => null,
        };
    }

    private static bool Keyed(string stem, string prefix) => stem.Length > prefix.Length && stem.StartsWith(prefix, StringComparison.Ordinal);

    private static void Add(Dictionary<string, List<FileInfo>> groups, string key, FileInfo file)
    {
        if (!groups.TryGetValue(key, out var list))
            groups[key] = list = [];
        list.Add(file);
    }
}
