using Dapper;
using Tccg.Storage.Database;

namespace Tccg.Storage.Settings;

/// <summary>
/// A Twitch account connected with the OAuth authorization-code flow, used for official clip downloads of the
/// channels it may edit. The refresh token is stored protected (ASP.NET Data Protection): this store never sees it
/// in the clear.
/// </summary>
public sealed record TwitchConnection
{
    public long Id { get; init; }
    public required string TwitchUserId { get; init; }
    public required string Login { get; init; }

    /// <summary>Granted scopes, space-separated.</summary>
    public string Scopes { get; init; } = "";

    /// <summary>The refresh token, protected by the caller.</summary>
    public required string ProtectedRefreshToken { get; init; }

    /// <summary>Broadcaster ids this account may download from (its own channel and channels it edits).</summary>
    public IReadOnlyList<string> Channels { get; init; } = [];

    /// <summary>The Tccg user who connected it.</summary>
    public long? ConnectedBy { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

public interface ITwitchConnectionStore
{
    Task<IReadOnlyList<TwitchConnection>> ListAsync(CancellationToken ct);

    /// <summary>Adds the account or replaces its token, scopes and channels (one row per Twitch user).</summary>
    Task<TwitchConnection> SaveAsync(TwitchConnection value, CancellationToken ct);

    Task<bool> DeleteAsync(string twitchUserId, CancellationToken ct);
}

public sealed class TwitchConnectionStore(TccgDatabase database, TimeProvider time) : ITwitchConnectionStore
{
    private const string Columns = "id, twitch_user_id, login, scopes, protected_refresh_token, channels, connected_by, created_at, updated_at";

    public async Task<IReadOnlyList<TwitchConnection>> ListAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM twitch_connections ORDER BY id", cancellationToken: ct));
        return rows.Select(r => r.ToModel()).ToList();
    }

    public async Task<TwitchConnection> SaveAsync(TwitchConnection value, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value.TwitchUserId);
        var now = Db.Ms(time.GetUtcNow());
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO twitch_connections (twitch_user_id, login, scopes, protected_refresh_token, channels, connected_by, created_at, updated_at) "
            + "VALUES (@TwitchUserId, @Login, @Scopes, @ProtectedRefreshToken, @Channels, @ConnectedBy, @now, @now) "
            + database.Dialect.UpsertTail("twitch_user_id", ["login", "scopes", "protected_refresh_token", "channels", "connected_by", "updated_at"]),
            new
            {
                value.TwitchUserId, value.Login, value.Scopes, value.ProtectedRefreshToken,
                Channels = string.Join(',', value.Channels), value.ConnectedBy, now,
            }, cancellationToken: ct));
        var row = await connection.QuerySingleAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM twitch_connections WHERE twitch_user_id = @TwitchUserId", new { value.TwitchUserId }, cancellationToken: ct));
        return row.ToModel();
    }

    public async Task<bool> DeleteAsync(string twitchUserId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM twitch_connections WHERE twitch_user_id = @twitchUserId", new { twitchUserId }, cancellationToken: ct)) > 0;
    }

    private sealed class Row
    {
        public long Id { get; set; }
        public string TwitchUserId { get; set; } = "";
        public string Login { get; set; } = "";
        public string Scopes { get; set; } = "";
        public string ProtectedRefreshToken { get; set; } = "";
        public string Channels { get; set; } = "";
        public long? ConnectedBy { get; set; }
        public long CreatedAt { get; set; }
        public long UpdatedAt { get; set; }

        public TwitchConnection ToModel() => new()
        {
            Id = Id, TwitchUserId = TwitchUserId, Login = Login, Scopes = Scopes, ProtectedRefreshToken = ProtectedRefreshToken,
            Channels = Channels.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            ConnectedBy = ConnectedBy, CreatedAt = Db.Time(CreatedAt), UpdatedAt = Db.Time(UpdatedAt),
        };
    }
}
