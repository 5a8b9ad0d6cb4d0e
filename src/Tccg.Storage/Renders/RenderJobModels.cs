namespace Tccg.Storage.Renders;

public enum RenderJobStatus
{
    Queued,
    Leased,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>A render request with its frozen timeline (JSON, the <c>tccg render</c> format) and where it stands.</summary>
public sealed class RenderJob
{
    public long Id { get; init; }
    public long? CompilationId { get; init; }
    public long? OwnerId { get; init; }
    public string TimelineJson { get; init; } = "";
    public RenderJobStatus Status { get; init; }
    public string? LeaseOwner { get; init; }
    public string? LeaseId { get; init; }
    public DateTimeOffset? LeaseExpiresAt { get; init; }
    public string? Stage { get; init; }
    public double? Percent { get; init; }
    public double? EtaSeconds { get; init; }
    public int Attempts { get; init; }
    public string? OutputPath { get; init; }
    public string? CreditsPath { get; init; }
    /// <summary>The upload thumbnail (storage-relative JPEG), when the generator sent one.</summary>
    public string? ThumbnailPath { get; init; }
    /// <summary>The batch of shorts this job belongs to ("Render each clip as a short"), if any.</summary>
    public long? BatchId { get; init; }
    public string? Error { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }

    public bool IsFinished => Status is RenderJobStatus.Succeeded or RenderJobStatus.Failed or RenderJobStatus.Cancelled;
}

/// <summary>A job handed to one worker until <see cref="ExpiresAt"/>; every later call presents <see cref="LeaseId"/>.</summary>
public sealed record RenderLease(RenderJob Job, string LeaseId, DateTimeOffset ExpiresAt);

/// <summary>How a worker finished a job.</summary>
public sealed record RenderOutcome(bool Succeeded, string? OutputPath = null, string? CreditsPath = null, string? Error = null, string? ThumbnailPath = null)
{
    public static RenderOutcome Success(string outputPath, string? creditsPath, string? thumbnailPath = null) =>
        new(true, outputPath, creditsPath, ThumbnailPath: thumbnailPath);

    public static RenderOutcome Failure(string error) => new(false, Error: error);
}

public enum CompleteResult
{
    Completed,
    /// <summary>The same lease completed it before (a retried request): nothing changed.</summary>
    AlreadyCompleted,
    /// <summary>The lease expired and the job went to another worker, or it was cancelled.</summary>
    LeaseLost,
}

public interface IRenderJobStore
{
    Task<RenderJob> EnqueueAsync(long? compilationId, long? ownerId, string timelineJson, CancellationToken ct) =>
        EnqueueAsync(compilationId, ownerId, timelineJson, null, ct);

    /// <summary>Queues a job, as one of a batch when <paramref name="batchId"/> is given.</summary>
    Task<RenderJob> EnqueueAsync(long? compilationId, long? ownerId, string timelineJson, long? batchId, CancellationToken ct);

    Task<RenderJob?> GetAsync(long id, CancellationToken ct);

    /// <summary>
    /// Newest first; of one compilation (or all when <paramref name="compilationId"/> is null) and of one owner
    /// (or everyone's when <paramref name="ownerId"/> is null).
    /// </summary>
    Task<IReadOnlyList<RenderJob>> ListAsync(long? compilationId, long? ownerId, int limit, CancellationToken ct);

    /// <summary>
    /// Atomically takes the oldest queued job, or one whose lease expired, for <paramref name="worker"/>.
    /// Safe with many workers: a job goes to exactly one. Null when there is nothing to do.
    /// </summary>
    Task<RenderLease?> LeaseAsync(string worker, TimeSpan leaseFor, CancellationToken ct);

    /// <summary>Extends the lease; false when it is no longer this worker's (stop working on it).</summary>
    Task<bool> HeartbeatAsync(long jobId, string leaseId, TimeSpan leaseFor, CancellationToken ct);

    /// <summary>Stage, percent (0–100) and ETA; the first report marks the job running. False when the lease is lost.</summary>
    Task<bool> ReportProgressAsync(long jobId, string leaseId, string stage, double percent, double? etaSeconds, CancellationToken ct);

    /// <summary>Finishes the job. Idempotent: completing again with the same lease reports <see cref="CompleteResult.AlreadyCompleted"/>.</summary>
    Task<CompleteResult> CompleteAsync(long jobId, string leaseId, RenderOutcome outcome, CancellationToken ct);

    /// <summary>Cancels a job that has not finished; false when it had.</summary>
    Task<bool> CancelAsync(long jobId, CancellationToken ct);

    /// <summary>Removes a finished job's row (succeeded, failed or cancelled); false when it is unknown or not finished.</summary>
    Task<bool> DeleteAsync(long jobId, CancellationToken ct);

    /// <summary>Puts jobs with expired leases back in the queue (or fails those out of attempts); returns how many moved.</summary>
    Task<int> RequeueExpiredAsync(int maxAttempts, CancellationToken ct);
}

/// <summary>Render jobs queued together ("Render each clip as a short"), shown as one group.</summary>
public sealed record RenderBatch
{
    public long Id { get; init; }
    public long? CompilationId { get; init; }
    public long? OwnerId { get; init; }
    public string Name { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
}

public interface IRenderBatchStore
{
    Task<RenderBatch> CreateAsync(long? compilationId, long? ownerId, string name, CancellationToken ct);

    Task<RenderBatch?> GetAsync(long id, CancellationToken ct);

    Task<IReadOnlyDictionary<long, RenderBatch>> GetManyAsync(IReadOnlyCollection<long> ids, CancellationToken ct);
}
