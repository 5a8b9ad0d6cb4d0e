using System.Text.Json;
using Dapper;
using Tccg.Core.Twitch;
using Tccg.Storage.Database;

namespace Tccg.Storage.Games;

public sealed class GameStore(TccgDatabase database, TimeProvider time) : IGameStore
{
    private const string Select = "SELECT * FROM games";

    public async Task<Game> AddAsync(Game game, CancellationToken ct)
    {
        var created = time.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        try
        {
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                INSERT INTO games (twitch_game_id, name, box_art_url, enabled, languages, min_views, min_duration, max_duration,
                  blocked_broadcasters, per_broadcaster_cap, search_period, interval_minutes, target_unreviewed, created_at)
                VALUES (@TwitchGameId, @Name, @BoxArtUrl, @Enabled, @Languages, @MinViews, @MinDuration, @MaxDuration,
                  @BlockedBroadcasters, @PerBroadcasterCap, @SearchPeriod, @IntervalMinutes, @TargetUnreviewed, @CreatedAt)
                RETURNING id
                """, Parameters(game, created), cancellationToken: ct));
            return game with { Id = id, CreatedAt = Db.Time(Db.Ms(created)) };
        }
        catch (Exception e) when (database.Dialect.IsUniqueViolation(e))
        {
            throw new DuplicateInStoreException($"Game {game.TwitchGameId} ({game.Name})", e);
        }
    }

    public async Task<Game?> GetAsync(long id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<GameRow>(new CommandDefinition(Select + " WHERE id = @id", new { id }, cancellationToken: ct));
        return row?.ToGame();
    }

    public async Task<Game?> GetByTwitchIdAsync(string twitchGameId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<GameRow>(new CommandDefinition(
            Select + " WHERE twitch_game_id = @twitchGameId", new { twitchGameId }, cancellationToken: ct));
        return row?.ToGame();
    }

    public async Task<IReadOnlyList<Game>> ListAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<GameRow>(new CommandDefinition(Select + " ORDER BY name, id", cancellationToken: ct));
        return [.. rows.Select(r => r.ToGame())];
    }

    public async Task<bool> UpdateAsync(Game game, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE games SET name = @Name, box_art_url = @BoxArtUrl, enabled = @Enabled, languages = @Languages,
              min_views = @MinViews, min_duration = @MinDuration, max_duration = @MaxDuration,
              blocked_broadcasters = @BlockedBroadcasters, per_broadcaster_cap = @PerBroadcasterCap,
              search_period = @SearchPeriod, interval_minutes = @IntervalMinutes, target_unreviewed = @TargetUnreviewed
            WHERE id = @Id
            """, Parameters(game, game.CreatedAt), cancellationToken: ct)) == 1;
    }

    public async Task SetFindTimesAsync(long id, DateTimeOffset lastFindAt, DateTimeOffset? nextFindAt, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE games SET last_find_at = @Last, next_find_at = @Next WHERE id = @id",
            new { id, Last = Db.Ms(lastFindAt), Next = Db.Ms(nextFindAt) }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<Game>> DueForFindAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<GameRow>(new CommandDefinition(
            Select + " WHERE enabled = @True AND (next_find_at IS NULL OR next_find_at <= @Now) ORDER BY next_find_at, id",
            new { True = true, Now = Db.Ms(now) }, cancellationToken: ct));
        return [.. rows.Select(r => r.ToGame())];
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition("DELETE FROM games WHERE id = @id", new { id }, cancellationToken: ct)) == 1;
    }

    private static object Parameters(Game game, DateTimeOffset created) => new
    {
        game.Id,
        game.TwitchGameId,
        game.Name,
        game.BoxArtUrl,
        game.Enabled,
        Languages = JsonSerializer.Serialize(game.Filters.Languages),
        game.Filters.MinViews,
        game.Filters.MinDuration,
        game.Filters.MaxDuration,
        BlockedBroadcasters = JsonSerializer.Serialize(game.Filters.BlockedBroadcasters),
        game.Filters.PerBroadcasterCap,
        SearchPeriod = Db.Name(game.Schedule.Period),
        game.Schedule.IntervalMinutes,
        game.Schedule.TargetUnreviewed,
        CreatedAt = Db.Ms(created),
    };

    private sealed class GameRow
    {
        public long Id { get; init; }
        public string TwitchGameId { get; init; } = "";
        public string Name { get; init; } = "";
        public string BoxArtUrl { get; init; } = "";
        public bool Enabled { get; init; }
        public string Languages { get; init; } = "[]";
        public int MinViews { get; init; }
        public double MinDuration { get; init; }
        public double MaxDuration { get; init; }
        public string BlockedBroadcasters { get; init; } = "[]";
        public int PerBroadcasterCap { get; init; }
        public string SearchPeriod { get; init; } = "week";
        public int IntervalMinutes { get; init; }
        public int TargetUnreviewed { get; init; }
        public DateTimeOffset? LastFindAt { get; init; }
        public DateTimeOffset? NextFindAt { get; init; }
        public DateTimeOffset CreatedAt { get; init; }

        public Game ToGame() => new()
        {
            Id = Id,
            TwitchGameId = TwitchGameId,
            Name = Name,
            BoxArtUrl = BoxArtUrl,
            Enabled = Enabled,
            Filters = new ClipFilters
            {
                Languages = JsonSerializer.Deserialize<string[]>(Languages) ?? [],
                MinViews = MinViews,
                MinDuration = MinDuration,
                MaxDuration = MaxDuration,
                BlockedBroadcasters = JsonSerializer.Deserialize<string[]>(BlockedBroadcasters) ?? [],
                PerBroadcasterCap = PerBroadcasterCap,
            },
            Schedule = new GameSchedule
            {
                Period = Db.Parse<ClipPeriod>(SearchPeriod),
                IntervalMinutes = IntervalMinutes,
                TargetUnreviewed = TargetUnreviewed,
            },
            LastFindAt = LastFindAt,
            NextFindAt = NextFindAt,
            CreatedAt = CreatedAt,
        };
    }
}
