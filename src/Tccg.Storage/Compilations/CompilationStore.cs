using Dapper;
using Tccg.Storage.Database;

namespace Tccg.Storage.Compilations;

public sealed class CompilationStore(TccgDatabase database, TimeProvider time) : ICompilationStore
{
    public async Task<Compilation> CreateAsync(Compilation compilation, CancellationToken ct)
    {
        var now = Db.Ms(time.GetUtcNow());
        await using var connection = await database.OpenAsync(ct);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO compilations (owner_id, name, game_id, channel_id, settings_json, intro_asset_id, outro_asset_id, interval_asset_id,
              first_asset_id, music_json, shared, created_at, updated_at)
            VALUES (@OwnerId, @Name, @GameId, @ChannelId, @SettingsJson, @IntroAssetId, @OutroAssetId, @IntervalAssetId,
              @FirstAssetId, @MusicJson, @Shared, @Now, @Now)
            RETURNING id
            """, Parameters(compilation, now), cancellationToken: ct));
        return compilation with { Id = id, CreatedAt = Db.Time(now), UpdatedAt = Db.Time(now) };
    }

    public async Task<Compilation?> GetAsync(long id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Compilation>(new CommandDefinition(
            "SELECT * FROM compilations WHERE id = @id", new { id }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<Compilation>> ListAsync(long? userId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<Compilation>(new CommandDefinition(
            "SELECT * FROM compilations" + (userId is null ? "" : " WHERE owner_id = @userId OR shared = @True") +
            " ORDER BY updated_at DESC, id DESC", new { userId, True = true }, cancellationToken: ct))).AsList();
    }

    public async Task<long?> SaveAsync(Compilation compilation, IReadOnlyList<CompilationItem>? items, long expectedVersion, CancellationToken ct)
    {
        var (connection, tx) = await database.BeginAsync(ct);
        await using (connection)
        await using (tx)
        {
            var changed = await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE compilations SET name = @Name, game_id = @GameId, channel_id = @ChannelId, settings_json = @SettingsJson,
                  intro_asset_id = @IntroAssetId, outro_asset_id = @OutroAssetId, interval_asset_id = @IntervalAssetId,
                  first_asset_id = @FirstAssetId, music_json = @MusicJson, shared = @Shared, updated_at = @Now, version = version + 1
                WHERE id = @Id AND version = @Expected
                """, new
            {
                compilation.Id, compilation.Name, compilation.GameId, compilation.ChannelId, compilation.SettingsJson, compilation.IntroAssetId,
                compilation.OutroAssetId, compilation.IntervalAssetId, compilation.FirstAssetId, compilation.MusicJson,
                compilation.Shared, Now = Db.Ms(time.GetUtcNow()), Expected = expectedVersion,
            }, tx, cancellationToken: ct));
            if (changed != 1)
                return null;
            if (items is not null)
                await ReplaceItemsAsync(connection, tx, compilation.Id, items, ct);
            await tx.CommitAsync(ct);
            return expectedVersion + 1;
        }
    }

    public async Task<ReviewWrite?> ReviewAsync(long compilationId, long? userId,
        Func<IReadOnlyList<CompilationItem>, IReadOnlyList<ReviewEntry>, ReviewChange> decide, CancellationToken ct)
    {
        var (connection, tx) = await database.BeginAsync(ct);
        await using (connection)
        await using (tx)
        {
            var now = Db.Ms(time.GetUtcNow());
            // The bump takes the row's write lock first: a second review of this compilation waits here until this one commits.
            if (await BumpAsync(connection, tx, compilationId, null, now, ct) != 1)
                return null;
            var version = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT version FROM compilations WHERE id = @compilationId", new { compilationId }, tx, cancellationToken: ct));
            var items = await ReadItemsAsync(connection, tx, compilationId, ct);
            var decisions = await ReadDecisionsAsync(connection, tx, compilationId, ct);
            var change = decide(items, decisions);
            if (change.Decision is { } d)
            {
                await connection.ExecuteAsync(new CommandDefinition(DecideSql,
                    new { compilationId, clipId = change.ClipId, userId, Decision = Db.Name(d), Now = now }, tx, cancellationToken: ct));
            }
            else
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "DELETE FROM review_decisions WHERE compilation_id = @compilationId AND clip_id = @ClipId",
                    new { compilationId, change.ClipId }, tx, cancellationToken: ct));
            }
            await ReplaceItemsAsync(connection, tx, compilationId, change.Items, ct);
            await tx.CommitAsync(ct);
            return new ReviewWrite(version, change);
        }
    }

    private string DecideSql =>
        "INSERT INTO review_decisions (compilation_id, clip_id, user_id, decision, decided_at) VALUES (@compilationId, @clipId, @userId, @Decision, @Now) " +
        database.Dialect.UpsertTail("compilation_id, clip_id", ["user_id", "decision", "decided_at"]);

    private static Task<int> BumpAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx, long id, long? expected, long now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE compilations SET updated_at = @now, version = version + 1 WHERE id = @id" + (expected is null ? "" : " AND version = @expected"),
            new { id, expected, now }, tx, cancellationToken: ct));

    private static async Task ReplaceItemsAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx, long compilationId,
        IReadOnlyList<CompilationItem> items, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM compilation_items WHERE compilation_id = @compilationId", new { compilationId }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO compilation_items (compilation_id, position, clip_id, trim_start, trim_end, volume, layout_json)
            VALUES (@CompilationId, @Position, @ClipId, @TrimStart, @TrimEnd, @Volume, @LayoutJson)
            """, items.Select((item, i) => new { CompilationId = compilationId, Position = i, item.ClipId, item.TrimStart, item.TrimEnd, item.Volume, item.LayoutJson }),
            tx, cancellationToken: ct));
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition("DELETE FROM compilations WHERE id = @id", new { id }, cancellationToken: ct)) == 1;
    }

    public async Task<IReadOnlyList<CompilationItem>> GetItemsAsync(long compilationId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await ReadItemsAsync(connection, null, compilationId, ct);
    }

    private static async Task<IReadOnlyList<CompilationItem>> ReadItemsAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? tx,
        long compilationId, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<ItemRow>(new CommandDefinition(
            "SELECT clip_id, trim_start, trim_end, volume, layout_json FROM compilation_items WHERE compilation_id = @compilationId ORDER BY position",
            new { compilationId }, tx, cancellationToken: ct));
        return [.. rows.Select(r => new CompilationItem(r.ClipId, r.TrimStart, r.TrimEnd, r.Volume, r.LayoutJson))];
    }

    public async Task SetItemsAsync(long compilationId, IReadOnlyList<CompilationItem> items, CancellationToken ct)
    {
        var (connection, tx) = await database.BeginAsync(ct);
        await using (connection)
        await using (tx)
        {
            await ReplaceItemsAsync(connection, tx, compilationId, items, ct);
            await BumpAsync(connection, tx, compilationId, null, Db.Ms(time.GetUtcNow()), ct);
            await tx.CommitAsync(ct);
        }
    }

    public async Task DecideAsync(long compilationId, long clipId, long? userId, ReviewDecision decision, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(DecideSql,
            new { compilationId, clipId, userId, Decision = Db.Name(decision), Now = Db.Ms(time.GetUtcNow()) }, cancellationToken: ct));
    }

    public async Task<bool> UndecideAsync(long compilationId, long clipId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM review_decisions WHERE compilation_id = @compilationId AND clip_id = @clipId",
            new { compilationId, clipId }, cancellationToken: ct)) == 1;
    }

    public async Task<IReadOnlyList<ReviewEntry>> GetDecisionsAsync(long compilationId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await ReadDecisionsAsync(connection, null, compilationId, ct);
    }

    private static async Task<IReadOnlyList<ReviewEntry>> ReadDecisionsAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? tx,
        long compilationId, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<DecisionRow>(new CommandDefinition(
            "SELECT clip_id, decision, user_id, decided_at FROM review_decisions WHERE compilation_id = @compilationId ORDER BY decided_at, id",
            new { compilationId }, tx, cancellationToken: ct));
        return [.. rows.Select(r => new ReviewEntry(r.ClipId, Db.Parse<ReviewDecision>(r.Decision), r.UserId, r.DecidedAt))];
    }

    private static object Parameters(Compilation c, long now) => new
    {
        c.Id, c.OwnerId, c.Name, c.GameId, c.ChannelId, c.SettingsJson, c.IntroAssetId, c.OutroAssetId, c.IntervalAssetId,
        c.FirstAssetId, c.MusicJson, c.Shared, Now = now,
    };

    private sealed class ItemRow
    {
        public long ClipId { get; init; }
        public double? TrimStart { get; init; }
        public double? TrimEnd { get; init; }
        public double Volume { get; init; }
        public string? LayoutJson { get; init; }
    }

    private sealed class DecisionRow
    {
        public long ClipId { get; init; }
        public string Decision { get; init; } = "";
        public long? UserId { get; init; }
        public DateTimeOffset DecidedAt { get; init; }
    }
}
