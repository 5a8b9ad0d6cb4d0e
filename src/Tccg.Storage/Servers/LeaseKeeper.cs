using Microsoft.Extensions.Logging;

namespace Tccg.Storage.Servers;

/// <summary>
/// Keeps trying to take one named lease and renews it while held (every third of its duration). Several servers
/// on one database each run a keeper; exactly one holds the lease, and when its holder stops renewing (stopped,
/// crashed, cut off from the database) another takes it over once it expires. A stopping holder releases it at once.
/// </summary>
public sealed class LeaseKeeper(ILeaseStore store, string name, TimeSpan duration, TimeProvider time, ILogger logger)
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset _validUntil = DateTimeOffset.MinValue;

    /// <summary>This process's holder name: host, process id and a random suffix (two servers in one process differ).</summary>
    public string Holder { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    public string Name => name;

    /// <summary>True while the last renewal succeeded and has not yet run out.</summary>
    public bool IsHeld
    {
        get
        {
            lock (_gate)
                return IsHeldLocked();
        }
    }

    /// <summary>Completes when this process holds the lease (at once when it already does).</summary>
    public Task WaitHeldAsync(CancellationToken ct)
    {
        Task held;
        lock (_gate)
            held = IsHeldLocked() ? Task.CompletedTask : _held.Task;
        return held.WaitAsync(ct);
    }

    /// <summary>Takes and renews the lease until <paramref name="ct"/> fires, then releases it.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var every = TimeSpan.FromTicks(duration.Ticks / 3);
        var wasHeld = false;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var started = time.GetUtcNow();
                bool held;
                try
                {
                    held = await store.TryAcquireAsync(name, Holder, duration, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Could not renew the {Lease} lease", name);
                    held = false;
                }

                lock (_gate)
                {
                    if (held)
                    {
                        // Count from before the call: the database's expiry is at least this late.
                        _validUntil = started + duration;
                        _held.TrySetResult();
                    }
                    else if (!IsHeldLocked() && _held.Task.IsCompleted)
                    {
                        _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
                    }
                }

                if (held != wasHeld)
                {
                    if (held)
                        logger.LogInformation("This server ({Holder}) now holds the {Lease} lease", Holder, name);
                    else
                        logger.LogWarning("This server ({Holder}) lost the {Lease} lease", Holder, name);
                    wasHeld = held;
                }

                await Task.Delay(every, time, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            if (wasHeld)
            {
                lock (_gate)
                    _validUntil = DateTimeOffset.MinValue;
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await store.ReleaseAsync(name, Holder, timeout.Token);
                    logger.LogInformation("This server ({Holder}) released the {Lease} lease", Holder, name);
                }
                catch (Exception e)
                {
                    logger.LogWarning(e, "Could not release the {Lease} lease; another server takes it when it expires", name);
                }
            }
        }
    }

    private bool IsHeldLocked() => time.GetUtcNow() < _validUntil;
}
