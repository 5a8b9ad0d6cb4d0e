using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tccg.Core.Clips;
using Tccg.Core.Configuration;
using Tccg.Core.Twitch;
using Tccg.Media.Loudness;
using Tccg.Media.Probing;
using Tccg.Storage.Clips;
using Tccg.Twitch.Gql;
using StoredFacts = Tccg.Storage.MediaFacts;

namespace Tccg.Twitch.Downloads;

/// <summary>Which clips one download run takes.</summary>
/// <param name="GameId">Only this Twitch game; null for every game.</param>
/// <param name="Limit">At most this many clips.</param>
public sealed record DownloadRequest(string? GameId, int Limit);

/// <summary>Live counts of a download run.</summary>
public sealed record DownloadProgress(int Total, int Done, int Downloaded, int Failed, int Unavailable, int NotReady, long Bytes, string? LastClip);

/// <summary>What one download run did.</summary>
public sealed record DownloadResult(int Total, int Downloaded, int Failed, int Unavailable, int NotReady, long Bytes, TimeSpan Elapsed);

/// <summary>
/// Downloads due clips (Found, or Failed whose retry time has come) with bounded parallelism (DESIGN.md section 3):
/// a fresh signed URL per clip, streamed to <c>{TempDir}</c>, checked with ffprobe, loudness measured, renamed
/// atomically to <c>{ClipsDir}/&lt;game id&gt;/&lt;clip id&gt;.mp4</c>, then marked Downloaded with its media facts.
/// A file is only ever marked Downloaded after it is whole and in place, so a kill at any moment is safe.
/// </summary>
public sealed partial class ClipDownloader(
    ClipUrlResolver resolver,
    ClipFileFetcher fetcher,
    MediaProbe probe,
    LoudnessMeter loudness,
    IClipStore clips,
    IOptions<StorageOptions> storage,
    IOptions<DownloaderOptions> options,
    TimeProvider time,
    ILogger<ClipDownloader> logger)
{
    /// <summary>Temporary files of this downloader: <c>clip-&lt;pid&gt;-&lt;clip id&gt;-&lt;guid&gt;.part</c>.</summary>
    public const string TempPrefix = "clip-";

    /// <summary>Temporary files being written by runs in this process (never cleaned up under them).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> Active = new(StringComparer.Ordinal);

    public async Task<DownloadResult> DownloadAsync(DownloadRequest request, IProgress<DownloadProgress>? progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        CleanStaleTempFiles();
        var due = await DueAsync(request, ct);
        var counts = new Counts(due.Count);
        progress?.Report(counts.Snapshot(null));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        DownloadsBlockedException? blocked = null;
        try
        {
            await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = options.Value.Parallelism, CancellationToken = stop.Token },
                async (clip, token) =>
                {
                    try
                    {
                        var outcome = await DownloadOneAsync(clip, counts, token);
                        counts.Add(outcome);
                        progress?.Report(counts.Snapshot(clip.TwitchClipId));
                    }
                    catch (DownloadsBlockedException e)
                    {
                        blocked ??= e;
                        await stop.CancelAsync();
                    }
                });
        }
        catch (OperationCanceledException) when (blocked is not null && !ct.IsCancellationRequested)
        {
        }
        if (blocked is not null)
        {
            logger.LogError("Downloads stopped: {Message}", blocked.Message);
            throw blocked;
        }
        return counts.Result(clock.Elapsed);
    }

    private async Task<IReadOnlyList<ClipRecord>> DueAsync(DownloadRequest request, CancellationToken ct)
    {
        if (request.Limit <= 0)
            return [];
        if (request.GameId is null)
            return await clips.DueForDownloadAsync(request.Limit, ct);
        var found = await clips.QueryAsync(new ClipQuery { GameId = request.GameId, Status = ClipStatus.Found, Limit = Math.Min(request.Limit, 1000) }, ct);
        var due = found.Items.ToList();
        if (due.Count < request.Limit)
        {
            var now = time.GetUtcNow();
            var failed = await clips.QueryAsync(new ClipQuery { GameId = request.GameId, Status = ClipStatus.Failed, Limit = 1000 }, ct);
            due.AddRange(failed.Items.Where(c => c.NextRetryAt is { } at && at <= now).Take(request.Limit - due.Count));
        }
        return due;
    }

    private enum Outcome
    {
        Downloaded,
        Failed,
        Unavailable,
        NotReady,
    }

    private async Task<Outcome> DownloadOneAsync(ClipRecord clip, Counts counts, CancellationToken ct)
    {
        string? temp = null;
        try
        {
            var resolved = await resolver.ResolveAsync(clip.TwitchClipId, clip.ThumbnailUrl, ct);
            switch (resolved)
            {
                case ClipUrlResult.Deleted:
                    await clips.MarkUnavailableAsync(clip.Id, "deleted on Twitch", ct);
                    logger.LogInformation("Clip {ClipId} was deleted on Twitch", clip.TwitchClipId);
                    return Outcome.Unavailable;
                case ClipUrlResult.NotReady notReady:
                    // No attempt burned: the clip stays as it is and the next run asks again.
                    logger.LogInformation("Clip {ClipId} is not ready yet: {Reason}", clip.TwitchClipId, notReady.Reason);
                    return Outcome.NotReady;
            }
            var ready = (ClipUrlResult.Ready)resolved;
            var tempDir = storage.Value.TempDir;
            Directory.CreateDirectory(tempDir);
            temp = Path.Combine(tempDir, $"{TempPrefix}{Environment.ProcessId}-{SafeName(clip.TwitchClipId)}-{Guid.NewGuid():N}.part");
            Active[temp] = 0;
            var bytes = await fetcher.FetchAsync(ready.Url, temp, ct);
            counts.AddBytes(bytes);
            // Probe and loudness read the same finished file: run them side by side.
            var probing = probe.ProbeAsync(temp, ct);
            var measuring = loudness.MeasureAsync(temp, ct);
            try
            {
                await Task.WhenAll(probing, measuring);
            }
            catch when (probing.IsFaulted)
            {
                await probing; // report the probe's verdict, the clearer one
            }
            var facts = await probing;
            var lufs = await measuring;
            if (!facts.HasVideo)
                throw new MediaProbeException(temp, "the file has no video stream.");

            var relative = Path.Combine("clips", SafeName(clip.GameId), SafeName(clip.TwitchClipId) + ".mp4");
            var final = Path.Combine(storage.Value.Root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            File.Move(temp, final, overwrite: true);
            Active.TryRemove(temp, out _);
            temp = null;
            await clips.MarkDownloadedAsync(clip.Id, new DownloadedClipFile(relative.Replace('\\', '/'), bytes, ToStored(facts), lufs.IntegratedLufs), ct);
            return Outcome.Downloaded;
        }
        catch (IllegalClipTransitionException e)
        {
            // Another run moved this clip meanwhile (e.g. the server's automation and `tccg download` at once).
            logger.LogInformation("Clip {ClipId} changed under this run: {Message}", clip.TwitchClipId, e.Message);
            return Outcome.NotReady;
        }
        catch (ClipFileGoneException e)
        {
            await clips.MarkUnavailableAsync(clip.Id, e.Message, ct);
            return Outcome.Unavailable;
        }
        catch (Exception e) when (e is ClipTransferException or MediaProbeException or HttpRequestException
                                      or (TwitchApiException and not DownloadsBlockedException)
                                      || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            var attempts = clip.Attempts + 1;
            DateTimeOffset? next = RetrySchedule.MayRetry(attempts, options.Value.MaxAttempts)
                ? time.GetUtcNow() + RetrySchedule.After(attempts)
                : null;
            var message = e is MediaProbeException probeError ? "not a valid video: " + probeError.Reason : e.Message;
            await clips.MarkFailedAsync(clip.Id, message, next, CancellationToken.None);
            logger.LogWarning("Clip {ClipId} failed (attempt {Attempt} of {Max}): {Error}", clip.TwitchClipId, attempts, options.Value.MaxAttempts, message);
            return Outcome.Failed;
        }
        finally
        {
            if (temp is not null)
            {
                TryDelete(temp);
                Active.TryRemove(temp, out _);
            }
        }
    }

    /// <summary>
    /// Removes partial files left by a run that was killed: this downloader's names whose process is gone,
    /// or of this process but not being written now.
    /// </summary>
    public int CleanStaleTempFiles()
    {
        var dir = storage.Value.TempDir;
        if (!Directory.Exists(dir))
            return 0;
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(dir, TempPrefix + "*.part"))
        {
            if (Active.ContainsKey(file) || WriterIsAlive(Path.GetFileName(file)))
                continue;
            if (TryDelete(file))
                removed++;
        }
        if (removed > 0)
            logger.LogInformation("Removed {Count} partial downloads left by an earlier run", removed);
        return removed;
    }

    private static bool WriterIsAlive(string name)
    {
        var rest = name.AsSpan(TempPrefix.Length);
        var dash = rest.IndexOf('-');
        if (dash <= 0 || !int.TryParse(rest[..dash], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid))
            return false;
        if (pid == Environment.ProcessId)
            return false;
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (IOException e)
        {
            logger.LogWarning(e, "Could not delete {Path}", path);
            return false;
        }
    }

    /// <summary>Twitch ids are letters, digits, '-' and '_'; anything else becomes '_' so no id can leave its folder.</summary>
    public static string SafeName(string id)
    {
        var chars = id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray();
        return chars.Length == 0 ? "_" : new string(chars);
    }

    private static StoredFacts ToStored(MediaFacts f) =>
        new(f.Width, f.Height, f.Fps, f.VideoCodec, f.AudioCodec, f.HasAudio, f.SampleRate, f.Channels, f.Duration);

    private sealed class Counts(int total)
    {
        private int _done, _downloaded, _failed, _unavailable, _notReady;
        private long _bytes;

        public void AddBytes(long bytes) => Interlocked.Add(ref _bytes, bytes);

        public void Add(Outcome outcome)
        {
            Interlocked.Increment(ref _done);
            _ = outcome switch
            {
                Outcome.Downloaded => Interlocked.Increment(ref _downloaded),
                Outcome.Failed => Interlocked.Increment(ref _failed),
                Outcome.Unavailable => Interlocked.Increment(ref _unavailable),
                _ => Interlocked.Increment(ref _notReady),
            };
        }

        public DownloadProgress Snapshot(string? last) =>
            new(total, _done, _downloaded, _failed, _unavailable, _notReady, Interlocked.Read(ref _bytes), last);

        public DownloadResult Result(TimeSpan elapsed) =>
            new(total, _downloaded, _failed, _unavailable, _notReady, Interlocked.Read(ref _bytes), elapsed);
    }
}
