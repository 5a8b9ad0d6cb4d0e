using System.Collections.Frozen;

namespace Tccg.TwitchSim.World;

/// <summary>The seeded world: games, users and clips, with clips kept sorted by view count (descending) per game and per channel.</summary>
public sealed class SimWorld
{
    internal SimWorld(DateTimeOffset anchor, IReadOnlyList<SimGame> games, IReadOnlyList<SimUser> broadcasters,
        IReadOnlyList<SimUser> creators, IReadOnlyList<SimClip> clips)
    {
        Anchor = anchor;
        Games = games;
        Broadcasters = broadcasters;
        Creators = creators;
        Clips = clips;
        GamesById = games.ToFrozenDictionary(g => g.Id, StringComparer.Ordinal);
        GamesByName = games.ToFrozenDictionary(g => g.Name, StringComparer.OrdinalIgnoreCase);
        var users = broadcasters.Concat(creators).ToList();
        UsersById = users.ToFrozenDictionary(u => u.Id, StringComparer.Ordinal);
        UsersByLogin = users.ToFrozenDictionary(u => u.Login, StringComparer.OrdinalIgnoreCase);
        ClipsById = clips.ToFrozenDictionary(c => c.Id, StringComparer.Ordinal);
        ClipsByLegacyName = clips.Where(c => c.LegacyMediaName is not null)
            .ToFrozenDictionary(c => c.LegacyMediaName!, StringComparer.Ordinal);
        ClipsByGame = clips.GroupBy(c => c.GameId, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => SortByViews(g), StringComparer.Ordinal);
        ClipsByBroadcaster = clips.GroupBy(c => c.Broadcaster.Id, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => SortByViews(g), StringComparer.Ordinal);
    }

    /// <summary>The world's "now": every modern clip was created before it.</summary>
    public DateTimeOffset Anchor { get; }

    /// <summary>Games in <c>/games/top</c> order.</summary>
    public IReadOnlyList<SimGame> Games { get; }

    public IReadOnlyList<SimUser> Broadcasters { get; }
    public IReadOnlyList<SimUser> Creators { get; }

    /// <summary>Every clip, in generation order.</summary>
    public IReadOnlyList<SimClip> Clips { get; }

    public FrozenDictionary<string, SimGame> GamesById { get; }
    public FrozenDictionary<string, SimGame> GamesByName { get; }
    public FrozenDictionary<string, SimUser> UsersById { get; }
    public FrozenDictionary<string, SimUser> UsersByLogin { get; }
    public FrozenDictionary<string, SimClip> ClipsById { get; }
    internal FrozenDictionary<string, SimClip> ClipsByLegacyName { get; }

    /// <summary>A game's clips sorted by view count descending (ties by id).</summary>
    public FrozenDictionary<string, SimClip[]> ClipsByGame { get; }

    /// <summary>A channel's clips sorted by view count descending (ties by id).</summary>
    public FrozenDictionary<string, SimClip[]> ClipsByBroadcaster { get; }

    /// <summary>The clips of a game created in [<paramref name="from"/>, <paramref name="to"/>], by views descending.</summary>
    public IEnumerable<SimClip> ClipsOf(string gameId, DateTimeOffset from, DateTimeOffset to) =>
        (ClipsByGame.TryGetValue(gameId, out var list) ? list : [])
            .Where(c => !c.IsDeleted && c.CreatedAt >= from && c.CreatedAt <= to);

    private static SimClip[] SortByViews(IEnumerable<SimClip> clips)
    {
        var array = clips.ToArray();
        Array.Sort(array, CompareByViews);
        return array;
    }

    internal static int CompareByViews(SimClip a, SimClip b)
    {
        var byViews = b.ViewCount.CompareTo(a.ViewCount);
        return byViews != 0 ? byViews : string.CompareOrdinal(a.Id, b.Id);
    }
}
