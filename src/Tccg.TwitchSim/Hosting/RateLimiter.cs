using System.Collections.Concurrent;

namespace Tccg.TwitchSim.Hosting;

/// <summary>Helix's points bucket per client id: <c>limit</c> points per window, one per call, refilled when the window ends.</summary>
internal sealed class RateLimiter(TimeProvider time, int limit, TimeSpan window)
{
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    public int Limit => limit;

    /// <summary>Takes one point; false when the bucket is empty. Returns the state to put in the headers.</summary>
    public bool TryTake(string clientId, out int remaining, out DateTimeOffset reset)
    {
        var bucket = _buckets.GetOrAdd(clientId, _ => new Bucket());
        lock (bucket)
        {
            var now = time.GetUtcNow();
            if (bucket.WindowEnd <= now)
            {
                bucket.WindowEnd = now + window;
                bucket.Used = 0;
            }

            reset = bucket.WindowEnd;
            if (bucket.Used >= limit)
            {
                remaining = 0;
                return false;
            }

            bucket.Used++;
            remaining = limit - bucket.Used;
            return true;
        }
    }

    /// <summary>The bucket's state without taking a point (for answers that do not cost one, like 401s).</summary>
    public (int Remaining, DateTimeOffset Reset) Peek(string clientId)
    {
        var now = time.GetUtcNow();
        if (!_buckets.TryGetValue(clientId, out var bucket))
            return (limit, now + window);
        lock (bucket)
        {
            return bucket.WindowEnd <= now ? (limit, now + window) : (Math.Max(0, limit - bucket.Used), bucket.WindowEnd);
        }
    }

    public void Reset() => _buckets.Clear();

    private sealed class Bucket
    {
        public DateTimeOffset WindowEnd;
        public int Used;
    }
}
