namespace Tccg.Server.Features.Renders;

/// <summary>A change of one render job, for live views (the web editor, the SSE endpoint).</summary>
public sealed record RenderJobUpdate(long JobId, string Status, string? Stage, double? Percent, double? EtaSeconds, string? Error)
{
    public bool IsFinished => Status is "succeeded" or "failed" or "cancelled" or "deleted";
}

/// <summary>
/// Fans render-job updates out to in-process subscribers (eShop's OrderStatusNotificationService pattern):
/// <c>using var sub = notifier.Subscribe(update =&gt; …)</c>. Fed by every progress, complete, fail and
/// cancel that goes through the server's <c>IRenderJobStore</c>. Handlers run on the caller's thread: keep
/// them short and never throw.
/// </summary>
public sealed class RenderProgressNotifier
{
    private readonly Lock _gate = new();
    private Action<RenderJobUpdate>[] _subscribers = [];

    public IDisposable Subscribe(Action<RenderJobUpdate> onUpdate)
    {
        ArgumentNullException.ThrowIfNull(onUpdate);
        lock (_gate)
            _subscribers = [.. _subscribers, onUpdate];
        return new Subscription(this, onUpdate);
    }

    public void Publish(RenderJobUpdate update)
    {
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            try
            {
                subscriber(update);
            }
#pragma warning disable CA1031 // One broken subscriber must not stop the others or the render.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    private void Unsubscribe(Action<RenderJobUpdate> onUpdate)
    {
        lock (_gate)
            _subscribers = _subscribers.Where(s => s != onUpdate).ToArray();
    }

    private sealed class Subscription(RenderProgressNotifier owner, Action<RenderJobUpdate> onUpdate) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                owner.Unsubscribe(onUpdate);
        }
    }
}
