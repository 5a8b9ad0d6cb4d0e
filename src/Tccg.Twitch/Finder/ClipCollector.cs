using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Tccg.Core.Twitch;
using Tccg.Twitch.Helix;

namespace Tccg.Twitch.Finder;

/// <summary>Progress of a find run, reported after every window.</summary>
public sealed record FinderProgress(
    string Game, string Phase, int WindowsDone, int WindowsQueued, int ClipsCollected, RateBudget Budget);

/// <summary>What one collection over a time range produced.</summary>
public sealed record CollectResult(IReadOnlyList<HelixClip> Clips, int Windows, int Splits, int CappedLeaves, int Calls);

/// <summary>
/// Collects a game's clips over a time range by slicing (docs/twitch.md): each window is paged to the end;
/// a window that hits the ~1,000-clip cap (pages start repeating, or ~1,000 clips came back) is split in halves
/// and both halves are queried again, down to <see cref="ClipWindows.MinSlice"/>. Clips created outside a window
/// are dropped (Helix returns some).
/// </summary>
public sealed class ClipCollector(HelixClient helix, ILogger<ClipCollector> logger, HelixRateLimiter limiter)
{
    /// <summary>A window that yields this many distinct clips is treated as capped.</summary>
    public int CapThreshold { get; init; } = 950;

    /// <summary>Pages fetched per window at most (the cap is reached after ~10).</summary>
    public int MaxPagesPerWindow { get; init; } = 15;

    /// <summary>Windows queried at once: enough to spend the rate budget while work remains.</summary>
    public int Parallelism { get; init; } = 6;

    public async Task<CollectResult> CollectAsync(
        string gameId, string gameName, TimeWindow range, IProgress<FinderProgress>? progress, CancellationToken ct)
    {
        var clips = new ConcurrentDictionary<string, HelixClip>(StringComparer.Ordinal);
        var queue = Channel.CreateUnbounded<TimeWindow>();
        var outstanding = 0;
        int done = 0, splits = 0, cappedLeaves = 0, calls = 0;
        foreach (var slice in ClipWindows.Slice(range, ClipWindows.MaxSlice))
        {
            Interlocked.Increment(ref outstanding);
            queue.Writer.TryWrite(slice);
        }
        if (outstanding == 0)
            queue.Writer.Complete();

        async Task Worker()
        {
            try
            {
                await WorkAsync();
            }
            catch (Exception e)
            {
                queue.Writer.TryComplete(e);
                throw;
            }
        }

        async Task WorkAsync()
        {
            await foreach (var window in queue.Reader.ReadAllAsync(ct))
            {
                try
                {
                    var (hitCap, pages) = await QueryWindowAsync(gameId, window, clips, ct);
                    Interlocked.Add(ref calls, pages);
                    if (ClipWindows.ShouldSplit(window, hitCap))
                    {
                        var (first, second) = window.Halves();
                        Interlocked.Add(ref outstanding, 2);
                        Interlocked.Increment(ref splits);
                        queue.Writer.TryWrite(first);
                        queue.Writer.TryWrite(second);
                    }
                    else if (hitCap)
                    {
                        Interlocked.Increment(ref cappedLeaves);
                        logger.LogWarning("Window {Window} of {Game} still hits the clip cap at the smallest slice; some clips are missed", window, gameName);
                    }
                }
                finally
                {
                    var finished = Interlocked.Increment(ref done);
                    var left = Interlocked.Decrement(ref outstanding);
                    progress?.Report(new FinderProgress(gameName, "collecting", finished, finished + left, clips.Count, limiter.Snapshot()));
                    if (left == 0)
                        queue.Writer.TryComplete();
                }
            }
        }

        var workers = Enumerable.Range(0, Math.Max(1, Parallelism)).Select(_ => Task.Run(Worker, ct)).ToList();
        try
        {
            await Task.WhenAll(workers);
        }
        catch
        {
            queue.Writer.TryComplete();
            throw;
        }
        logger.LogInformation("Collected {Count} clips of {Game} in {Windows} windows ({Splits} splits, {Calls} calls)",
            clips.Count, gameName, done, splits, calls);
        return new CollectResult(clips.Values.OrderByDescending(c => c.ViewCount).ToList(), done, splits, cappedLeaves, calls);
    }

    /// <summary>Pages one window; true when it hit the cap.</summary>
    private async Task<(bool HitCap, int Pages)> QueryWindowAsync(
        string gameId, TimeWindow window, ConcurrentDictionary<string, HelixClip> clips, CancellationToken ct)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await helix.GetClipsAsync(gameId, window.Start, window.End, cursor, ct);
            pages++;
            var fresh = 0;
            foreach (var clip in page.Data)
            {
                if (!seen.Add(clip.Id))
                    continue;
                fresh++;
                if (window.Contains(clip.CreatedAt))
                    clips.AddOrUpdate(clip.Id, clip, (_, old) => clip.ViewCount >= old.ViewCount ? clip : old);
            }
            // Past the cap Helix repeats clips it already sent.
            if (page.Data.Count > 0 && fresh * 2 < page.Data.Count)
                return (true, pages);
            if (seen.Count >= CapThreshold)
                return (true, pages);
            cursor = page.Data.Count == 0 ? null : page.Cursor;
        }
        while (cursor is not null && pages < MaxPagesPerWindow);
        return (cursor is not null, pages);
    }
}
