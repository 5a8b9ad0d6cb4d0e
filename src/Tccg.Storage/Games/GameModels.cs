using Tccg.Core.Twitch;

namespace Tccg.Storage.Games;

/// <summary>When and how much the finder searches for a game.</summary>
public sealed record GameSchedule
{
    public ClipPeriod Period { get; init; } = ClipPeriod.Week;
    public int IntervalMinutes { get; init; } = 60;
    /// <summary>The finder and downloader stop when this many downloaded, unreviewed clips are waiting.</summary>
    public int TargetUnreviewed { get; init; } = 100;
}

/// <summary>A saved game (Twitch category) with its filters and schedule.</summary>
public sealed record Game
{
    public long Id { get; init; }
    public required string TwitchGameId { get; init; }
    public required string Name { get; init; }
    public string BoxArtUrl { get; init; } = "";
    public bool Enabled { get; init; } = true;
    public ClipFilters Filters { get; init; } = new();
    public GameSchedule Schedule { get; init; } = new();
    public DateTimeOffset? LastFindAt { get; init; }
    public DateTimeOffset? NextFindAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

public interface IGameStore
{
    /// <summary>Saves a new game (its <see cref="Game.Id"/> and <see cref="Game.CreatedAt"/> are ignored).</summary>
    /// <exception cref="DuplicateInStoreException">The Twitch game id is already saved.</exception>
    Task<Game> AddAsync(Game game, CancellationToken ct);

    Task<Game?> GetAsync(long id, CancellationToken ct);

    Task<Game?> GetByTwitchIdAsync(string twitchGameId, CancellationToken ct);

    /// <summary>Every saved game by name.</summary>
    Task<IReadOnlyList<Game>> ListAsync(CancellationToken ct);

    /// <summary>Writes name, box art, enabled, filters and schedule; false when the game does not exist.</summary>
    Task<bool> UpdateAsync(Game game, CancellationToken ct);

    /// <summary>Records a finder run and when the next one is due.</summary>
    Task SetFindTimesAsync(long id, DateTimeOffset lastFindAt, DateTimeOffset? nextFindAt, CancellationToken ct);

    /// <summary>Enabled games whose next find time has come (or was never set).</summary>
    Task<IReadOnlyList<Game>> DueForFindAsync(DateTimeOffset now, CancellationToken ct);

    Task<bool> DeleteAsync(long id, CancellationToken ct);
}
