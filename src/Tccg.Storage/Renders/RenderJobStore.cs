using System.Globalization;
using Dapper;
using Tccg.Storage.Database;

namespace Tccg.Storage.Renders;

/// <summary>
/// The render queue. A lease is a conditional UPDATE (<c>WHERE id = @id AND (status = 'queued' OR
/// lease expired)</c>): of two workers racing for the same row exactly one changes it, on both providers.
/// </summary>
public sealed class RenderJobStore(TccgDatabase database, TimeProvider time) : IRenderJobStore
{
    private const string Leasable = "(status = 'queued' OR (status IN ('leased', 'running') AND lease_expires_at < @Now))";
    private const string Held = "id = @JobId AND lease_id = @LeaseId AND status IN ('leased', 'running')";

    public Task<RenderJob> EnqueueAsync(long? compilationId, long? ownerId, string timelineJson, CancellationToken ct) =>
        EnqueueAsync(compilationId, ownerId, timelineJson, null, ct);

    public async Task<RenderJob> EnqueueAsync(long? compilationId, long? ownerId, string timelineJson, long? batchId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO render_jobs (compilation_id, owner_id, timeline_json, status, attempts, created_at, batch_id) VALUES (@compilationId, @ownerId, @timelineJson, 'queued', 0, @Now, @batchId) RETURNING id",
            new { compilationId, ownerId, timelineJson, batchId, Now = Db.Ms(time.GetUtcNow()) }, cancellationToken: ct));
        return (await GetAsync(id, ct))!;
    }

    public async Task<RenderJob?> GetAsync(long id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<RenderJob>(new CommandDefinition(
            "SELECT * FROM render_jobs WHERE id = @id", new { id }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<RenderJob>> ListAsync(long? compilationId, long? ownerId, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<RenderJob>(new CommandDefinition(
            "SELECT * FROM render_jobs WHERE 1 = 1" + (compilationId is null ? "" : " AND compilation_id = @compilationId") +
            (ownerId is null ? "" : " AND owner_id = @ownerId") +
            " ORDER BY id DESC LIMIT " + limit.ToString(CultureInfo.InvariantCulture), new { compilationId, ownerId }, cancellationToken: ct))).AsList();
    }

    public async Task<RenderLease?> LeaseAsync(string worker, TimeSpan leaseFor, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        for (var round = 0; round < 5; round++)
        {
            var now = time.GetUtcNow();
            var candidates = (await connection.QueryAsync<long>(new CommandDefinition(
                $"SELECT id FROM render_jobs WHERE {Leasable} ORDER BY id LIMIT 8", new { Now = Db.Ms(now) }, cancellationToken: ct))).AsList();
            if (candidates.Count == 0)
                return null;
            foreach (var id in candidates)
            {
                var leaseId = Guid.NewGuid().ToString("N");
                var expires = now + leaseFor;
                var taken = await connection.ExecuteAsync(new CommandDefinition(
                    $"UPDATE render_jobs SET status = 'leased', lease_owner = @worker, lease_id = @leaseId, lease_expires_at = @Expires, attempts = attempts + 1 WHERE id = @id AND {Leasable}",
                    new { id, worker, leaseId, Expires = Db.Ms(expires), Now = Db.Ms(now) }, cancellationToken: ct));
                if (taken == 1)
                {
                    var job = await connection.QuerySingleAsync<RenderJob>(new CommandDefinition(
                        "SELECT * FROM render_jobs WHERE id = @id", new { id }, cancellationToken: ct));
                    return new RenderLease(job, leaseId, Db.Time(Db.Ms(expires)));
                }
            }
        }
        return null;
    }

    public async Task<bool> HeartbeatAsync(long jobId, string leaseId, TimeSpan leaseFor, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE render_jobs SET lease_expires_at = @Expires WHERE {Held}",
            new { JobId = jobId, LeaseId = leaseId, Expires = Db.Ms(time.GetUtcNow() + leaseFor) }, cancellationToken: ct)) == 1;
    }

    public async Task<bool> ReportProgressAsync(long jobId, string leaseId, string stage, double percent, double? etaSeconds, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE render_jobs SET status = 'running', stage = @stage, percent = @Percent, eta_seconds = @etaSeconds,
              started_at = CASE WHEN started_at IS NULL THEN @Now ELSE started_at END
            WHERE {Held}
            """,
            new { JobId = jobId, LeaseId = leaseId, stage, Percent = Math.Clamp(percent, 0, 100), etaSeconds, Now = Db.Ms(time.GetUtcNow()) },
            cancellationToken: ct)) == 1;
    }

    public async Task<CompleteResult> CompleteAsync(long jobId, string leaseId, RenderOutcome outcome, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE render_jobs SET status = @Status, output_path = @OutputPath, credits_path = @CreditsPath, thumbnail_path = @ThumbnailPath, error = @Error,
              percent = CASE WHEN @Succeeded = 1 THEN 100 ELSE percent END, eta_seconds = NULL, lease_expires_at = NULL,
              finished_at = @Now, started_at = CASE WHEN started_at IS NULL THEN @Now ELSE started_at END
            WHERE {Held}
            """,
            new
            {
                JobId = jobId, LeaseId = leaseId, Status = outcome.Succeeded ? "succeeded" : "failed", outcome.OutputPath,
                outcome.CreditsPath, outcome.ThumbnailPath, outcome.Error, Succeeded = outcome.Succeeded ? 1 : 0, Now = Db.Ms(time.GetUtcNow()),
            }, cancellationToken: ct));
        if (changed == 1)
            return CompleteResult.Completed;
        var job = await connection.QuerySingleOrDefaultAsync<RenderJob>(new CommandDefinition(
            "SELECT * FROM render_jobs WHERE id = @jobId", new { jobId }, cancellationToken: ct));
        return job is { Status: RenderJobStatus.Succeeded or RenderJobStatus.Failed } && job.LeaseId == leaseId
            ? CompleteResult.AlreadyCompleted
            : CompleteResult.LeaseLost;
    }

    public async Task<bool> CancelAsync(long jobId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE render_jobs SET status = 'cancelled', lease_expires_at = NULL, finished_at = @Now WHERE id = @jobId AND status IN ('queued', 'leased', 'running')",
            new { jobId, Now = Db.Ms(time.GetUtcNow()) }, cancellationToken: ct)) == 1;
    }

    public async Task<bool> DeleteAsync(long jobId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM render_jobs WHERE id = @jobId AND status IN ('succeeded', 'failed', 'cancelled')",
            new { jobId }, cancellationToken: ct)) == 1;
    }

    public async Task<int> RequeueExpiredAsync(int maxAttempts, CancellationToken ct)
    {
        var now = Db.Ms(time.GetUtcNow());
        var (connection, tx) = await database.BeginAsync(ct);
        await using (connection)
        await using (tx)
        {
            var failed = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE render_jobs SET status = 'failed', error = 'The worker stopped reporting too many times.', lease_expires_at = NULL, finished_at = @now " +
                "WHERE status IN ('leased', 'running') AND lease_expires_at < @now AND attempts >= @maxAttempts",
                new { now, maxAttempts }, tx, cancellationToken: ct));
            var requeued = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE render_jobs SET status = 'queued', lease_owner = NULL, lease_id = NULL, lease_expires_at = NULL, stage = NULL, percent = NULL, eta_seconds = NULL " +
                "WHERE status IN ('leased', 'running') AND lease_expires_at < @now",
                new { now }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            return failed + requeued;
        }
    }
}

public sealed class RenderBatchStore(TccgDatabase database, TimeProvider time) : IRenderBatchStore
{
    public async Task<RenderBatch> CreateAsync(long? compilationId, long? ownerId, string name, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO render_batches (compilation_id, owner_id, name, created_at) VALUES (@compilationId, @ownerId, @name, @Now) RETURNING id",
            new { compilationId, ownerId, name, Now = Db.Ms(now) }, cancellationToken: ct));
        return new RenderBatch { Id = id, CompilationId = compilationId, OwnerId = ownerId, Name = name, CreatedAt = Db.Time(Db.Ms(now)) };
    }

    public async Task<RenderBatch?> GetAsync(long id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<RenderBatch>(new CommandDefinition(
            "SELECT * FROM render_batches WHERE id = @id", new { id }, cancellationToken: ct));
    }

    public async Task<IReadOnlyDictionary<long, RenderBatch>> GetManyAsync(IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        var result = new Dictionary<long, RenderBatch>();
        if (ids.Count == 0)
            return result;
        await using var connection = await database.OpenAsync(ct);
        foreach (var chunk in ids.Distinct().Chunk(200))
        {
            foreach (var batch in await connection.QueryAsync<RenderBatch>(new CommandDefinition(
                "SELECT * FROM render_batches WHERE id IN @ids", new { ids = chunk }, cancellationToken: ct)))
                result[batch.Id] = batch;
        }
        return result;
    }
}
