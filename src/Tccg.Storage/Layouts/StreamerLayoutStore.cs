using Dapper;
using Tccg.Storage.Database;

namespace Tccg.Storage.Layouts;

/// <summary>The facecam layout remembered for one broadcaster (a timeline <c>layout</c> object as JSON).</summary>
public sealed record StreamerLayout(string BroadcasterId, string LayoutJson, long? UpdatedBy, DateTimeOffset UpdatedAt);

/// <summary>Per-streamer facecam memory: the last layout a user set for one of a broadcaster's clips.</summary>
public interface IStreamerLayoutStore
{
    Task<StreamerLayout?> GetAsync(string broadcasterId, CancellationToken ct);

    /// <summary>The remembered layouts of these broadcasters (those without one are left out).</summary>
    Task<IReadOnlyDictionary<string, StreamerLayout>> GetManyAsync(IReadOnlyCollection<string> broadcasterIds, CancellationToken ct);

    /// <summary>Every remembered layout, most recently changed first.</summary>
    Task<IReadOnlyList<StreamerLayout>> ListAsync(CancellationToken ct);

    /// <summary>Sets (or replaces) the broadcaster's layout.</summary>
    Task<StreamerLayout> SetAsync(string broadcasterId, string layoutJson, long? userId, CancellationToken ct);

    /// <summary>Forgets the broadcaster's layout; false when there was none.</summary>
    Task<bool> DeleteAsync(string broadcasterId, CancellationToken ct);
}

public sealed class StreamerLayoutStore(TccgDatabase database, TimeProvider time) : IStreamerLayoutStore
{
    public async Task<StreamerLayout?> GetAsync(string broadcasterId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            "SELECT * FROM streamer_layouts WHERE broadcaster_id = @broadcasterId", new { broadcasterId }, cancellationToken: ct));
        return row?.ToModel();
    }

    public async Task<IReadOnlyDictionary<string, StreamerLayout>> GetManyAsync(IReadOnlyCollection<string> broadcasterIds, CancellationToken ct)
    {
        var result = new Dictionary<string, StreamerLayout>(StringComparer.Ordinal);
        if (broadcasterIds.Count == 0)
            return result;
        await using var connection = await database.OpenAsync(ct);
        foreach (var chunk in broadcasterIds.Distinct(StringComparer.Ordinal).Chunk(200))
        {
            var rows = await connection.QueryAsync<Row>(new CommandDefinition(
                "SELECT * FROM streamer_layouts WHERE broadcaster_id IN @ids", new { ids = chunk }, cancellationToken: ct));
            foreach (var row in rows)
                result[row.BroadcasterId] = row.ToModel();
        }
        return result;
    }

    public async Task<IReadOnlyList<StreamerLayout>> ListAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            "SELECT * FROM streamer_layouts ORDER BY updated_at DESC, broadcaster_id", cancellationToken: ct));
        return [.. rows.Select(r => r.ToModel())];
    }

    public async Task<StreamerLayout> SetAsync(string broadcasterId, string layoutJson, long? userId, CancellationToken ct)
    {
        var now = Db.Ms(time.GetUtcNow());
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO streamer_layouts (broadcaster_id, layout_json, updated_by, updated_at) VALUES (@broadcasterId, @layoutJson, @userId, @now) " +
            database.Dialect.UpsertTail("broadcaster_id", ["layout_json", "updated_by", "updated_at"]),
            new { broadcasterId, layoutJson, userId, now }, cancellationToken: ct));
        return new StreamerLayout(broadcasterId, layoutJson, userId, Db.Time(now));
    }

    public async Task<bool> DeleteAsync(string broadcasterId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM streamer_layouts WHERE broadcaster_id = @broadcasterId", new { broadcasterId }, cancellationToken: ct)) == 1;
    }

    private sealed class Row
    {
        public string BroadcasterId { get; init; } = "";
        public string LayoutJson { get; init; } = "";
        public long? UpdatedBy { get; init; }
        public long UpdatedAt { get; init; }

        public StreamerLayout ToModel() => new(BroadcasterId, LayoutJson, UpdatedBy, Db.Time(UpdatedAt));
    }
}
