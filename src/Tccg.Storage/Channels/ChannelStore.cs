using System.Text.Json;
using Dapper;
using Tccg.Core.Twitch;
using Tccg.Storage.Database;
using Tccg.Storage.Games;

namespace Tccg.Storage.Channels;

public sealed class ChannelStore(TccgDatabase database, TimeProvider time) : IChannelStore
{
    private const string Select = "SELECT * FROM channels";

    public async Task<Channel> AddAsync(Channel channel, CancellationToken ct)
    {
        var created = time.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        try
        {
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                INSERT INTO channels (twitch_user_id, login, display_name, profile_image_url, enabled, languages, min_views,
                  min_duration, max_duration, search_period, interval_minutes, target_unreviewed, created_at)
                VALUES (@TwitchUserId, @Login, @DisplayName, @ProfileImageUrl, @Enabled, @Languages, @MinViews,
                  @MinDuration, @MaxDuration, @SearchPeriod, @IntervalMinutes, @TargetUnreviewed, @CreatedAt)
                RETURNING id
                """, Parameters(channel, created), cancellationToken: ct));
            return channel with { Id = id, CreatedAt = Db.Time(Db.Ms(created)) };
        }
        catch (Exception e) when (database.Dialect.IsUniqueViolation(e))
        {
            throw new DuplicateInStoreException($"Channel {channel.TwitchUserId} ({channel.Login})", e);
        }
    }

    public async Task<Channel?> GetAsync(long id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<ChannelRow>(new CommandDefinition(Select + " WHERE id = @id", new { id }, cancellationToken: ct));
        return row?.ToChannel();
    }

    public async Task<Channel?> GetByTwitchIdAsync(string twitchUserId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<ChannelRow>(new CommandDefinition(
            Select + " WHERE twitch_user_id = @twitchUserId", new { twitchUserId }, cancellationToken: ct));
        return row?.ToChannel();
    }

    public async Task<Channel?> GetByLoginAsync(string login, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        // Logins are stored lower-case (Twitch's own form).
        var row = await connection.QueryFirstOrDefaultAsync<ChannelRow>(new CommandDefinition(
            Select + " WHERE login = @login ORDER BY id", new { login = login.Trim().ToLowerInvariant() }, cancellationToken: ct));
        return row?.ToChannel();
    }

    public async Task<IReadOnlyList<Channel>> ListAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<ChannelRow>(new CommandDefinition(Select + " ORDER BY login, id", cancellationToken: ct));
        return [.. rows.Select(r => r.ToChannel())];
    }

    public async Task<bool> UpdateAsync(Channel channel, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE channels SET login = @Login, display_name = @DisplayName, profile_image_url = @ProfileImageUrl,
              enabled = @Enabled, languages = @Languages, min_views = @MinViews, min_duration = @MinDuration,
              max_duration = @MaxDuration, search_period = @SearchPeriod, interval_minutes = @IntervalMinutes,
              target_unreviewed = @TargetUnreviewed
            WHERE id = @Id
            """, Parameters(channel, channel.CreatedAt), cancellationToken: ct)) == 1;
    }

    public async Task SetFindTimesAsync(long id, DateTimeOffset lastFindAt, DateTimeOffset? nextFindAt, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE channels SET last_find_at = @Last, next_find_at = @Next WHERE id = @id",
            new { id, Last = Db.Ms(lastFindAt), Next = Db.Ms(nextFindAt) }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<Channel>> DueForFindAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<ChannelRow>(new CommandDefinition(
            Select + " WHERE enabled = @True AND (next_find_at IS NULL OR next_find_at <= @Now) ORDER BY next_find_at, id",
            new { True = true, Now = Db.Ms(now) }, cancellationToken: ct));
        return [.. rows.Select(r => r.ToChannel())];
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition("DELETE FROM channels WHERE id = @id", new { id }, cancellationToken: ct)) == 1;
    }

    private static object Parameters(Channel channel, DateTimeOffset created) => new
    {
        channel.Id,
        channel.TwitchUserId,
        Login = channel.Login.Trim().ToLowerInvariant(),
        channel.DisplayName,
        channel.ProfileImageUrl,
        channel.Enabled,
        Languages = JsonSerializer.Serialize(channel.Filters.Languages),
        channel.Filters.MinViews,
        channel.Filters.MinDuration,
        channel.Filters.MaxDuration,
        SearchPeriod = Db.Name(channel.Schedule.Period),
        channel.Schedule.IntervalMinutes,
        channel.Schedule.TargetUnreviewed,
        CreatedAt = Db.Ms(created),
    };

    private sealed class ChannelRow
    {
        public long Id { get; init; }
        public string TwitchUserId { get; init; } = "";
        public string Login { get; init; } = "";
        public string DisplayName { get; init; } = "";
        public string ProfileImageUrl { get; init; } = "";
        public bool Enabled { get; init; }
        public string Languages { get; init; } = "[]";
        public int MinViews { get; init; }
        public double MinDuration { get; init; }
        public double MaxDuration { get; init; }
        public string SearchPeriod { get; init; } = "week";
        public int IntervalMinutes { get; init; }
        public int TargetUnreviewed { get; init; }
        public DateTimeOffset? LastFindAt { get; init; }
        public DateTimeOffset? NextFindAt { get; init; }
        public DateTimeOffset CreatedAt { get; init; }

        public Channel ToChannel() => new()
        {
            Id = Id,
            TwitchUserId = TwitchUserId,
            Login = Login,
            DisplayName = DisplayName,
            ProfileImageUrl = ProfileImageUrl,
            Enabled = Enabled,
            Filters = new ClipFilters
            {
                Languages = JsonSerializer.Deserialize<string[]>(Languages) ?? [],
                MinViews = MinViews,
                MinDuration = MinDuration,
                MaxDuration = MaxDuration,
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
