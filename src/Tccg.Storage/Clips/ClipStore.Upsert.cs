using System.Data.Common;
using System.Text;
using Dapper;
using Tccg.Core.Clips;
using Tccg.Core.Configuration;
using Tccg.Storage.Database;

namespace Tccg.Storage.Clips;

// The finder's bulk path, written against ADO.NET directly (not Dapper) for speed: one transaction;
// on SQLite a prepared INSERT (and, for clips already there, a prepared UPDATE) reused for every row;
// on MariaDB multi-row INSERT … ON DUPLICATE KEY UPDATE batches.
public sealed partial class ClipStore
{
    private const int MySqlBatchRows = 500;

    private static readonly string[] InsertColumns =
    [
        "twitch_clip_id", "url", "embed_url", "broadcaster_id", "broadcaster_name", "creator_id", "creator_name",
        "video_id", "game_id", "language", "title", "view_count", "created_at", "thumbnail_url", "duration",
        "vod_offset", "is_featured", "status", "found_at", "updated_at",
    ];

    // What a re-found clip refreshes. Never status, file facts, attempts or found_at.
    private static readonly string[] RefreshedColumns =
    [
        "url", "embed_url", "broadcaster_name", "creator_name", "language", "title", "view_count",
        "thumbnail_url", "vod_offset", "is_featured", "updated_at",
    ];

    public async Task<int> UpsertFoundAsync(IReadOnlyCollection<FoundClip> clips, CancellationToken ct)
    {
        if (clips.Count == 0)
            return 0;
        var now = Db.Ms(time.GetUtcNow());
        // Concurrent overlapping batches can deadlock on MariaDB (row and counter locks taken in different
        // orders). The input order is kept, since ids follow it and downloads go in found order, and a batch
        // chosen as the deadlock victim is simply run again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var (connection, tx) = await database.BeginAsync(ct);
                await using (connection)
                {
                    // SQLite: a large batch touches pages of every index all over the file. With the connection's small page
                    // cache, SQLite writes dirty pages out to the log mid-transaction, then writes the same pages again; a
                    // larger cache for this transaction only, given back once it ends.
                    var bigBatch = database.Provider == DatabaseProvider.Sqlite && clips.Count >= BigBatch;
                    try
                    {
                        await using (tx)
                        {
                            if (bigBatch)
                                await connection.ExecuteAsync(new CommandDefinition(TccgDatabase.SqliteCachePragma(BigBatchCacheKb), transaction: tx, cancellationToken: ct));
                            if (database.Provider == DatabaseProvider.Sqlite)
                                await UpsertOneByOneAsync(connection, tx, clips, now, ct);
                            else
                                await UpsertBatchedAsync(connection, tx, clips, now, ct);
                            await tx.CommitAsync(ct);
                        }
                    }
                    finally
                    {
                        if (bigBatch)
                            await database.RestoreSqliteCacheAsync(connection);
                    }
                }

                return clips.Count;
            }
            catch (Exception e) when (attempt < MaxDeadlockAttempts && database.Dialect.IsDeadlock(e))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt + Random.Shared.Next(20)), ct);
            }
        }
    }

    private const int MaxDeadlockAttempts = 5;

    /// <summary>From this many clips in one call, the SQLite transaction gets a page cache of <see cref="BigBatchCacheKb"/>.</summary>
    private const int BigBatch = 2_000;

    private const int BigBatchCacheKb = 65_536;

    // The transaction is BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default), so this writer holds the lock
    // throughout: "insert, else update" is exact, and counting the inserts in code is much cheaper than an
    // insert trigger (which MariaDB keeps).
    private async Task UpsertOneByOneAsync(DbConnection connection, DbTransaction tx, IReadOnlyCollection<FoundClip> clips, long now, CancellationToken ct)
    {
        await using var insert = Prepare(connection, tx, "INSERT INTO clips (" + string.Join(", ", InsertColumns) + ") VALUES ("
            + string.Join(", ", InsertColumns.Select((_, i) => $"@p{i}")) + ") ON CONFLICT(twitch_clip_id) DO NOTHING", InsertColumns.Length);
        await using var update = Prepare(connection, tx, "UPDATE clips SET "
            + string.Join(", ", RefreshedColumns.Select(c => $"{c} = @p{Array.IndexOf(InsertColumns, c)}"))
            + " WHERE twitch_clip_id = @p0", InsertColumns.Length);
        await insert.PrepareAsync(ct);
        await update.PrepareAsync(ct);

        var inserted = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var clip in clips)
        {
            Fill(clip, now, (i, value) => insert.Parameters[i].Value = value);
            if (await insert.ExecuteNonQueryAsync(ct) == 1)
            {
                inserted[clip.GameId] = inserted.GetValueOrDefault(clip.GameId) + 1;
                continue;
            }
            Fill(clip, now, (i, value) => update.Parameters[i].Value = value);
            await update.ExecuteNonQueryAsync(ct);
        }

        foreach (var (gameId, n) in inserted)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO clip_counts (game_id, status, n) VALUES (@gameId, @Status, @n) ON CONFLICT(game_id, status) DO UPDATE SET n = n + excluded.n",
                new { gameId, Status = Db.Name(ClipStatus.Found), n }, tx, cancellationToken: ct));
        }
    }

    private static DbCommand Prepare(DbConnection connection, DbTransaction tx, string sql, int parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        for (var i = 0; i < parameters; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"@p{i}";
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private async Task UpsertBatchedAsync(DbConnection connection, DbTransaction tx, IReadOnlyCollection<FoundClip> clips, long now, CancellationToken ct)
    {
        foreach (var batch in clips.Chunk(MySqlBatchRows))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = InsertSql(batch.Length);
            for (var row = 0; row < batch.Length; row++)
            {
                var r = row;
                Fill(batch[row], now, (i, value) =>
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = $"@p{r}_{i}";
                    parameter.Value = value;
                    command.Parameters.Add(parameter);
                });
            }
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    private string InsertSql(int rows)
    {
        var sql = new StringBuilder("INSERT INTO clips (").AppendJoin(", ", InsertColumns).Append(") VALUES ");
        for (var row = 0; row < rows; row++)
        {
            if (row > 0)
                sql.Append(", ");
            sql.Append('(');
            for (var i = 0; i < InsertColumns.Length; i++)
                sql.Append(i == 0 ? "" : ", ").Append("@p").Append(row).Append('_').Append(i);
            sql.Append(')');
        }
        return sql.Append(' ').Append(database.Dialect.UpsertTail("twitch_clip_id", RefreshedColumns)).ToString();
    }

    private static void Fill(FoundClip clip, long now, Action<int, object> set)
    {
        if (string.IsNullOrEmpty(clip.TwitchClipId))
            throw new ArgumentException("A found clip needs its Twitch clip id.", nameof(clip));
        set(0, clip.TwitchClipId);
        set(1, clip.Url);
        set(2, clip.EmbedUrl);
        set(3, clip.BroadcasterId);
        set(4, clip.BroadcasterName);
        set(5, clip.CreatorId);
        set(6, clip.CreatorName);
        set(7, clip.VideoId);
        set(8, clip.GameId);
        set(9, clip.Language);
        set(10, clip.Title);
        set(11, clip.ViewCount);
        set(12, Db.Ms(clip.CreatedAt));
        set(13, clip.ThumbnailUrl);
        set(14, clip.Duration);
        set(15, clip.VodOffset is { } offset ? offset : DBNull.Value);
        set(16, clip.IsFeatured);
        set(17, Db.Name(ClipStatus.Found));
        set(18, now);
        set(19, now);
    }
}
