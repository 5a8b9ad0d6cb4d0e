using System.Globalization;
using System.Text;
using Dapper;
using Tccg.Core.Clips;
using Tccg.Storage.Database;

namespace Tccg.Storage.Fingerprints;

/// <summary>A stored fingerprint with the facts of its clip that the duplicate check needs.</summary>
public sealed record StoredFingerprint(long ClipId, string TwitchClipId, ClipStatus Status, int ViewCount, uint[] Items);

/// <summary>A clip sharing index keys with a fingerprint being looked up.</summary>
public sealed record FingerprintCandidate(long ClipId, int SharedKeys);

/// <summary>
/// Audio fingerprints of downloaded clips and their inverted index (<c>clip_fingerprint_keys</c>: key → clips),
/// so finding the clips that may share audio with a new one reads only the posting lists of its keys.
/// </summary>
public interface IFingerprintStore
{
    /// <summary>Stores (or replaces) a clip's fingerprint and its index keys in one transaction.</summary>
    Task SaveAsync(long clipId, uint[] items, CancellationToken ct);

    /// <summary>Stores many fingerprints in one transaction (bulk loads, benchmarks).</summary>
    Task SaveManyAsync(IReadOnlyCollection<(long ClipId, uint[] Items)> fingerprints, CancellationToken ct);

    /// <summary>Clips other than <paramref name="exceptClipId"/> sharing at least <paramref name="minShared"/> of <paramref name="keys"/>, most shared first.</summary>
    Task<IReadOnlyList<FingerprintCandidate>> CandidatesAsync(IReadOnlyCollection<int> keys, long exceptClipId, int minShared, int limit, CancellationToken ct);

    Task<IReadOnlyList<StoredFingerprint>> GetManyAsync(IReadOnlyCollection<long> clipIds, CancellationToken ct);

    Task<long> CountAsync(CancellationToken ct);

    /// <summary>Builds the index keys of stored fingerprints that have none (after the keys changed); returns how many.</summary>
    Task<int> IndexMissingAsync(CancellationToken ct);

    /// <summary><see cref="IndexMissingAsync"/> once per process and database (the first fingerprint step after an upgrade).</summary>
    Task EnsureIndexedAsync(CancellationToken ct);
}

public sealed class FingerprintStore(TccgDatabase database, TimeProvider time) : IFingerprintStore
{
    public Task SaveAsync(long clipId, uint[] items, CancellationToken ct) => SaveManyAsync([(clipId, items)], ct);

    public async Task SaveManyAsync(IReadOnlyCollection<(long ClipId, uint[] Items)> fingerprints, CancellationToken ct)
    {
        if (fingerprints.Count == 0)
            return;
        var now = Db.Ms(time.GetUtcNow());
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        foreach (var batch in fingerprints.Chunk(200))
        {
            var ids = string.Join(',', batch.Select(f => f.ClipId.ToString(CultureInfo.InvariantCulture)));
            await connection.ExecuteAsync(new CommandDefinition($"DELETE FROM clip_fingerprint_keys WHERE clip_id IN ({ids})", transaction: tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition($"DELETE FROM clip_fingerprints WHERE clip_id IN ({ids})", transaction: tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO clip_fingerprints (clip_id, items, created_at) VALUES (@ClipId, @Items, @Now)",
                batch.Select(f => new { f.ClipId, Items = AudioFingerprint.ToBytes(f.Items), Now = now }), transaction: tx, cancellationToken: ct));
            // Keys are small integers: one multi-row INSERT per few thousand keys.
            // In key order: neighbouring inserts land in neighbouring pages of the (fp_key, clip_id) B-tree.
            var rows = batch.SelectMany(f => AudioFingerprint.Keys(f.Items).Select(k => (Key: k, f.ClipId))).OrderBy(r => r.Key).ThenBy(r => r.ClipId);
            foreach (var chunk in rows.Chunk(2000))
            {
                var sql = new StringBuilder("INSERT INTO clip_fingerprint_keys (fp_key, clip_id) VALUES ");
                for (var i = 0; i < chunk.Length; i++)
                    sql.Append(CultureInfo.InvariantCulture, $"{(i > 0 ? "," : "")}({chunk[i].Key},{chunk[i].ClipId})");
                await connection.ExecuteAsync(new CommandDefinition(sql.ToString(), transaction: tx, cancellationToken: ct));
            }
        }
        await tx.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<FingerprintCandidate>> CandidatesAsync(
        IReadOnlyCollection<int> keys, long exceptClipId, int minShared, int limit, CancellationToken ct)
    {
        if (keys.Count == 0)
            return [];
        var list = string.Join(',', keys.Distinct().Select(k => k.ToString(CultureInfo.InvariantCulture)));
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<CandidateRow>(new CommandDefinition(
            $"SELECT clip_id, COUNT(*) AS shared FROM clip_fingerprint_keys WHERE fp_key IN ({list}) AND clip_id <> @exceptClipId " +
            $"GROUP BY clip_id HAVING COUNT(*) >= @minShared ORDER BY shared DESC, clip_id LIMIT {limit.ToString(CultureInfo.InvariantCulture)}",
            new { exceptClipId, minShared }, cancellationToken: ct));
        return [.. rows.Select(r => new FingerprintCandidate(r.ClipId, (int)r.Shared))];
    }

    public async Task<IReadOnlyList<StoredFingerprint>> GetManyAsync(IReadOnlyCollection<long> clipIds, CancellationToken ct)
    {
        if (clipIds.Count == 0)
            return [];
        var ids = string.Join(',', clipIds.Distinct().Select(id => id.ToString(CultureInfo.InvariantCulture)));
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<FingerprintRow>(new CommandDefinition(
            "SELECT f.clip_id, c.twitch_clip_id, c.status, c.view_count, f.items FROM clip_fingerprints f JOIN clips c ON c.id = f.clip_id " +
            $"WHERE f.clip_id IN ({ids})", cancellationToken: ct));
        return [.. rows.Select(r => new StoredFingerprint(r.ClipId, r.TwitchClipId, Db.Parse<ClipStatus>(r.Status), r.ViewCount, AudioFingerprint.FromBytes(r.Items)))];
    }

    public async Task<long> CountAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM clip_fingerprints", cancellationToken: ct));
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task>> Indexed = new(StringComparer.Ordinal);

    public async Task EnsureIndexedAsync(CancellationToken ct)
    {
        var once = Indexed.GetOrAdd(database.ConnectionString, _ => new Lazy<Task>(() => IndexMissingAsync(CancellationToken.None)));
        try
        {
            await once.Value.WaitAsync(ct);
        }
        catch when (once.Value.IsFaulted)
        {
            // Failed (database busy, say): the next call tries again.
            Indexed.TryRemove(new KeyValuePair<string, Lazy<Task>>(database.ConnectionString, once));
            throw;
        }
    }

    public async Task<int> IndexMissingAsync(CancellationToken ct)
    {
        var done = 0;
        while (true)
        {
            List<(long, uint[])> missing;
            await using (var connection = await database.OpenAsync(ct))
            {
                missing = [.. (await connection.QueryAsync<(long ClipId, byte[] Items)>(new CommandDefinition(
                    "SELECT f.clip_id, f.items FROM clip_fingerprints f WHERE NOT EXISTS (SELECT 1 FROM clip_fingerprint_keys k WHERE k.clip_id = f.clip_id) " +
                    "ORDER BY f.clip_id LIMIT 500", cancellationToken: ct))).Select(r => (r.ClipId, AudioFingerprint.FromBytes(r.Items)))];
            }
            // A fingerprint too short for one key (a single item) would come back forever: it has nothing to index.
            missing.RemoveAll(m => m.Item2.Length < 2);
            if (missing.Count == 0)
                return done;
            await SaveManyAsync(missing, ct);
            done += missing.Count;
        }
    }

    private sealed class CandidateRow
    {
        public long ClipId { get; init; }
        public long Shared { get; init; }
    }

    private sealed class FingerprintRow
    {
        public long ClipId { get; init; }
        public string TwitchClipId { get; init; } = "";
        public string Status { get; init; } = "";
        public int ViewCount { get; init; }
        public byte[] Items { get; init; } = [];
    }
}
