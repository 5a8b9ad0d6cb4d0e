using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tccg.Core.Clips;
using Tccg.Core.Configuration;
using Tccg.Storage.Clips;

namespace Tccg.Twitch.Downloads;

/// <summary>Keeps the clip bin and the disk in agreement: the missing-files check and the retention of used clips.</summary>
public sealed class ClipBinMaintenance(
    IClipStore clips,
    IOptions<StorageOptions> storage,
    IOptions<DownloaderOptions> options,
    TimeProvider time,
    ILogger<ClipBinMaintenance> logger)
{
    /// <summary>Downloaded and Used clips whose file vanished move to Missing (used clips removed by retention excepted).</summary>
    public async Task<int> CheckMissingAsync(CancellationToken ct)
    {
        var missing = 0;
        foreach (var status in new[] { ClipStatus.Downloaded, ClipStatus.Used })
        {
            await foreach (var clip in AllAsync(status, ct))
            {
                if (status == ClipStatus.Used && RetentionExpired(clip))
                    continue;
                if (clip.FilePath is { } path && File.Exists(FullPath(path)))
                    continue;
                await clips.MoveAsync(clip.Id, ClipStatus.Missing, ct);
                logger.LogWarning("Clip {ClipId} is missing its file {Path}", clip.TwitchClipId, clip.FilePath);
                missing++;
            }
        }
        return missing;
    }

    /// <summary>Deletes the files of clips used longer ago than <c>Tccg:Downloader:KeepUsedDays</c>; returns files deleted.</summary>
    public async Task<int> ApplyRetentionAsync(CancellationToken ct)
    {
        if (options.Value.KeepUsedDays < 0)
            return 0;
        var deleted = 0;
        await foreach (var clip in AllAsync(ClipStatus.Used, ct))
        {
            if (!RetentionExpired(clip) || clip.FilePath is not { } path)
                continue;
            var full = FullPath(path);
            if (!File.Exists(full))
                continue;
            File.Delete(full);
            deleted++;
        }
        if (deleted > 0)
            logger.LogInformation("Retention deleted the files of {Count} used clips", deleted);
        return deleted;
    }

    /// <summary>The absolute path of a stored clip file path (stored relative to the data folder).</summary>
    public string FullPath(string stored) => Path.IsPathRooted(stored) ? stored : Path.Combine(storage.Value.Root, stored);

    private bool RetentionExpired(ClipRecord clip) =>
        options.Value.KeepUsedDays >= 0 && clip.UsedAt is { } used
        && used + TimeSpan.FromDays(options.Value.KeepUsedDays) <= time.GetUtcNow();

    private async IAsyncEnumerable<ClipRecord> AllAsync(ClipStatus status, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        string? after = null;
        do
        {
            var page = await clips.QueryAsync(new ClipQuery { Status = status, Limit = 1000, After = after }, ct);
            foreach (var clip in page.Items)
                yield return clip;
            after = page.NextCursor;
        }
        while (after is not null);
    }
}
