using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Tccg.TwitchSim.World;

namespace Tccg.TwitchSim.Helix;

/// <summary>One clips query: a game or a channel, an optional window, an optional featured filter.</summary>
internal readonly record struct ClipQuery(bool ByGame, string Key, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, bool? Featured);

/// <summary>A page of a clips query and the offset of the next one (null on the last page).</summary>
internal readonly record struct ClipPage(IReadOnlyList<SimClip> Clips, int? NextOffset);

/// <summary>
/// Answers clips queries from the world's sorted lists, the way Helix does: view count descending, windows with
/// loose edges (a few clips just outside come back), about 1,000 results per query after which pages repeat
/// earlier clips. Filtered result lists are cached per query so paging a 50,000-clip game stays cheap.
/// </summary>
internal sealed class ClipIndex(SimWorld world, TwitchSimOptions options)
{
    private const int MaxCachedQueries = 512;
    private readonly ConcurrentDictionary<(ClipQuery Query, int Version), SimClip[]> _cache = new();
    private int _version;

    public SimClip[] Resolve(ClipQuery query)
    {
        // Results computed while a clip was being deleted carry the old version and are never read again.
        var version = Volatile.Read(ref _version);
        if (_cache.TryGetValue((query, version), out var cached))
            return cached;
        var source = (query.ByGame ? world.ClipsByGame : world.ClipsByBroadcaster).TryGetValue(query.Key, out var list)
            ? list
            : [];
        var margin = options.OutOfWindowMargin;
        var result = new List<SimClip>();
        foreach (var clip in source)
        {
            if (clip.IsDeleted || (query.Featured is { } featured && clip.IsFeatured != featured))
                continue;
            if (query.StartedAt is { } start && query.EndedAt is { } end)
            {
                var inside = clip.CreatedAt >= start && clip.CreatedAt <= end;
                var nearby = clip.LeaksOutOfWindow && clip.CreatedAt >= start - margin && clip.CreatedAt <= end + margin;
                if (!inside && !nearby)
                    continue;
            }

            result.Add(clip);
        }

        var array = result.ToArray();
        if (_cache.Count >= MaxCachedQueries)
            _cache.Clear();
        _cache[(query, version)] = array;
        return array;
    }

    /// <summary>Forget cached results (after a clip was deleted).</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _version);
        _cache.Clear();
    }

    /// <summary>
    /// Pages over <paramref name="results"/>. Past the cap, positions map back to the top of the list, so pages
    /// repeat clips already seen; after <see cref="TwitchSimOptions.RepeatPagesAfterCap"/> such pages the cursor ends.
    /// </summary>
    public ClipPage Page(SimClip[] results, int offset, int first)
    {
        var cap = Math.Max(1, options.PaginationCap);
        var length = results.Length <= cap ? results.Length : cap + (Math.Max(0, options.RepeatPagesAfterCap) * first);
        var end = Math.Min(offset + first, length);
        var page = new List<SimClip>(Math.Max(0, end - offset));
        for (var p = offset; p < end; p++)
            page.Add(p < cap ? results[p] : results[(p - cap) % cap]);
        return new ClipPage(page, end < length ? end : null);
    }

    /// <summary>Twitch-like opaque cursor: base64 of <c>{"b":null,"a":{"Cursor":"base64(offset)"}}</c>.</summary>
    public static string EncodeCursor(int offset)
    {
        var inner = Convert.ToBase64String(Encoding.UTF8.GetBytes(offset.ToString(CultureInfo.InvariantCulture)));
        var json = "{\"b\":null,\"a\":{\"Cursor\":\"" + inner + "\"}}";
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=');
    }

    public static bool TryDecodeCursor(string cursor, out int offset)
    {
        offset = 0;
        try
        {
            var padded = cursor.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            using var doc = JsonDocument.Parse(Convert.FromBase64String(padded));
            var inner = doc.RootElement.GetProperty("a").GetProperty("Cursor").GetString() ?? "";
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(inner));
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out offset) && offset >= 0;
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }
}
