namespace Tccg.Server.Features.Renders;

/// <summary>
/// Wakes long-polling lease requests the moment a job becomes available (enqueued, re-rendered, requeued
/// after an expired lease), instead of polling the database. Take <see cref="NextPulse"/> BEFORE looking
/// in the database, so a pulse between the look and the wait is not missed.
/// </summary>
public sealed class RenderQueueSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next <see cref="Pulse"/>.</summary>
    public Task NextPulse => Volatile.Read(ref _next).Task;

    public void Pulse() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
