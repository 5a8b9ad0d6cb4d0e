namespace Tccg.Core.Tasks;

/// <summary>Waiting for work whose outcome belongs to someone else.</summary>
public static class TaskSettling
{
    /// <summary>
    /// A task that completes when <paramref name="task"/> has ended, however it ended: its exception is observed, not
    /// thrown, and a cancellation is not one either.
    /// </summary>
    public static Task Settled(this Task task) =>
        task.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
