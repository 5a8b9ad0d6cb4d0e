using Tccg.Storage.Renders;

namespace Tccg.Server.Features.Renders;

/// <summary>
/// The server's <see cref="IRenderJobStore"/>: the storage store, plus a pulse of
/// <see cref="RenderQueueSignal"/> whenever a job becomes leasable and an update to
/// <see cref="RenderProgressNotifier"/> whenever a job changes. Whoever enqueues (compilations, re-render,
/// tests) wakes waiting generators without knowing about them.
/// </summary>
internal sealed class NotifyingRenderJobStore(IRenderJobStore inner, RenderQueueSignal signal, RenderProgressNotifier notifier) : IRenderJobStore
{
    public async Task<RenderJob> EnqueueAsync(long? compilationId, long? ownerId, string timelineJson, long? batchId, CancellationToken ct)
    {
        var job = await inner.EnqueueAsync(compilationId, ownerId, timelineJson, batchId, ct);
        signal.Pulse();
        notifier.Publish(Update(job));
        return job;
    }

    public Task<RenderJob?> GetAsync(long id, CancellationToken ct) => inner.GetAsync(id, ct);

    public Task<IReadOnlyList<RenderJob>> ListAsync(long? compilationId, long? ownerId, int limit, CancellationToken ct) => inner.ListAsync(compilationId, ownerId, limit, ct);

    public async Task<RenderLease?> LeaseAsync(string worker, TimeSpan leaseFor, CancellationToken ct)
    {
        var lease = await inner.LeaseAsync(worker, leaseFor, ct);
        if (lease is not null)
            notifier.Publish(Update(lease.Job));
        return lease;
    }

    public Task<bool> HeartbeatAsync(long jobId, string leaseId, TimeSpan leaseFor, CancellationToken ct) => inner.HeartbeatAsync(jobId, leaseId, leaseFor, ct);

    public async Task<bool> ReportProgressAsync(long jobId, string leaseId, string stage, double percent, double? etaSeconds, CancellationToken ct)
    {
        var held = await inner.ReportProgressAsync(jobId, leaseId, stage, percent, etaSeconds, ct);
        if (held)
            notifier.Publish(new RenderJobUpdate(jobId, "running", stage, Math.Clamp(percent, 0, 100), etaSeconds, null));
        return held;
    }

    public async Task<CompleteResult> CompleteAsync(long jobId, string leaseId, RenderOutcome outcome, CancellationToken ct)
    {
        var result = await inner.CompleteAsync(jobId, leaseId, outcome, ct);
        if (result == CompleteResult.Completed && await inner.GetAsync(jobId, ct) is { } job)
            notifier.Publish(Update(job));
        return result;
    }

    public async Task<bool> CancelAsync(long jobId, CancellationToken ct)
    {
        var cancelled = await inner.CancelAsync(jobId, ct);
        if (cancelled && await inner.GetAsync(jobId, ct) is { } job)
            notifier.Publish(Update(job));
        return cancelled;
    }

    public async Task<bool> DeleteAsync(long jobId, CancellationToken ct)
    {
        var deleted = await inner.DeleteAsync(jobId, ct);
        if (deleted)
            notifier.Publish(new RenderJobUpdate(jobId, "deleted", null, null, null, null));
        return deleted;
    }

    public async Task<int> RequeueExpiredAsync(int maxAttempts, CancellationToken ct)
    {
        var moved = await inner.RequeueExpiredAsync(maxAttempts, ct);
        if (moved > 0)
            signal.Pulse();
        return moved;
    }

    internal static RenderJobUpdate Update(RenderJob job) =>
        new(job.Id, RenderViews.StatusName(job.Status), job.Stage, job.Percent, job.EtaSeconds, job.Error);
}
