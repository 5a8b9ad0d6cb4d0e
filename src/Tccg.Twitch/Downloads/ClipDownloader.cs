using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tccg.Core.Clips;
using Tccg.Core.Configuration;
using Tccg.Core.Twitch;
using Tccg.Media.Probing;
using Tccg.Storage.Clips;
using Tccg.Twitch.Gql;

namespace Tccg.Twitch.Downloads;

/// <summary>Which clips one download run takes.</summary>
/// <param name="GameId">Only this Twitch game; null for every game.</param>
/// <param name="Limit">At most this many clips.</param>
/// <param name="BroadcasterId">Only this channel's clips (Twitch user id); combined with <paramref name="GameId"/> when both are set.</param>
public sealed record DownloadRequest(string? GameId, int Limit, string? BroadcasterId = null);

/// <summary>Live counts of a download run.</summary>
public sealed record DownloadProgress(int Total, int Done, int Downloaded, int Failed, int Unavailable, int NotReady, long Bytes, string? LastClip);

/// <summary>What one download run did.</summary>
public sealed record DownloadResult(int Total, int Downloaded, int Failed, int Unavailable, int NotReady, long Bytes, TimeSpan Elapsed);

/// <summary>
/// Downloads due clips (Found, or Failed whose retry time has come) in a two-stage pipeline (docs/architecture.md).
/// Transfer workers (<c>Tccg:Downloader:Parallelism</c>, network-bound) resolve a fresh signed URL per clip and
/// stream it to <c>{TempDir}</c>; each finished file goes through a bounded channel to the analysis workers
/// (<c>Tccg:Downloader:AnalysisParallelism</c>, CPU-bound), which validate it, read its facts and measure its
/// loudness in one ffmpeg pass (<see cref="MediaInspector"/>; files that queue up while analysis lags share one
/// ffmpeg process, up to <see cref="MaxBatch"/>, saving a process start each), rename it atomically to
/// <c>{ClipsDir}/&lt;game id&gt;/&lt;clip id&gt;.mp4</c> and mark it Downloaded. A transfer waits for analysis
/// only when the channel is full, so the link stays busy while ffmpeg works, and temp files stay few
/// (at most Parallelism being written + Parallelism waiting + AnalysisParallelism being read).
/// A file is only ever marked Downloaded after it is whole and in place, so a kill at any moment is safe.
/// When Twitch blocks downloads (<see cref="DownloadsBlockedException"/>) only the transfers stop: the whole files
/// already handed over are still analysed and landed, then the run throws the block.
/// </summary>
public sealed partial class ClipDownloader(
    ClipUrlResolver resolver,
    Official.OfficialClipUrls official,
    DownloadSettingsProvider downloadSettings,
    ClipFileFetcher fetcher,
    MediaInspector inspector,
    ClipFingerprinter fingerprinter,
    IClipStore clips,
    IOptions<StorageOptions> storage,
    IOptions<DownloaderOptions> options,
    TimeProvider time,
    ILogger<ClipDownloader> logger,
    IEnumerable<IClipDownloadedHook> downloadedHooks)
{
    /// <summary>Temporary files of this downloader: <c>clip-&lt;pid&gt;-&lt;clip id&gt;-&lt;guid&gt;.part</c>.</summary>
    public const string TempPrefix = "clip-";

    /// <summary>Temporary files being written by runs in this process (never cleaned up under them).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> Active = new(StringComparer.Ordinal);

    /// <summary>At most this many waiting files are inspected by one ffmpeg process (<see cref="MediaInspector.InspectManyAsync"/>).</summary>
    private const int MaxBatch = 4;

    /// <summary>A whole file waiting for (or in) analysis; its temp file belongs to whoever holds it.</summary>
    /// <summary>Twitch's crop boxes as stored with the clip: a timeline <c>layout</c> object.</summary>
    public static string PortraitJson(Tccg.Core.Timeline.Layout layout) => System.Text.Json.JsonSerializer.Serialize(layout.ToSection(), PortraitJsonOptions);

    private static readonly System.Text.Json.JsonSerializerOptions PortraitJsonOptions = new()
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private sealed record Fetched(ClipRecord Clip, string Temp, long Bytes, Tccg.Core.Timeline.Layout? Portrait = null);

    public async Task<DownloadResult> DownloadAsync(DownloadRequest request, IProgress<DownloadProgress>? progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        // Every GQL way failed earlier under these same settings: stay paused until one is updated (or the doctor sees one answer).
        if (await downloadSettings.GetPauseAsync(ct) is { } pause)
            throw new DownloadsPausedException(new DownloadPauseInfo(pause.Since, pause.Message, pause.ConfigKey));
        CleanStaleTempFiles();
        var due = await DueAsync(request, ct);
        // Official downloads ask for up to 10 clips of a channel per call: tell them what is coming, in order.
        official.Expect(due.Select(c => (c.TwitchClipId, (string?)c.BroadcasterId)));
        var counts = new Counts(due.Count);
        progress?.Report(counts.Snapshot(null));
        var settings = options.Value;
        var handoff = Channel.CreateBounded<Fetched>(new BoundedChannelOptions(settings.Parallelism) { FullMode = BoundedChannelFullMode.Wait });
        // `abort` ends both stages (the caller cancelled, or a stage failed); `stop` ends only the transfers, also
        // when Twitch blocks downloads: the analysts then finish the whole files already fetched, which are local
        // work, and stop when the transfers complete the channel.
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(abort.Token);
        DownloadsBlockedException? blocked = null;

        void Finish(ClipRecord clip, Outcome outcome)
        {
            counts.Add(outcome);
            progress?.Report(counts.Snapshot(clip.TwitchClipId));
        }

        var transfers = StageAsync(abort, async () =>
        {
            try
            {
                await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = settings.Parallelism, CancellationToken = stop.Token },
                    async (clip, token) =>
                    {
                        try
                        {
                            if (await TransferOneAsync(clip, counts, handoff.Writer, token) is { } outcome)
                                Finish(clip, outcome);
                        }
                        catch (DownloadsBlockedException e)
                        {
                            Interlocked.CompareExchange(ref blocked, e, null);
                            await stop.CancelAsync();
                        }
                    });
            }
            catch (OperationCanceledException) when (blocked is not null && !ct.IsCancellationRequested)
            {
                // Stopped by the block, not by a failure: the analysts drain the channel, then the run throws it.
            }
            finally
            {
                handoff.Writer.TryComplete();
            }
        });
        var analysts = Enumerable.Range(0, settings.AnalysisWorkers).Select(_ => StageAsync(abort, async () =>
        {
            await foreach (var first in handoff.Reader.ReadAllAsync(abort.Token))
            {
                // Whatever else is already waiting joins this ffmpeg run: batches grow only when analysis lags.
                var batch = new List<Fetched> { first };
                while (batch.Count < MaxBatch && handoff.Reader.TryRead(out var more))
                    batch.Add(more);
                var landed = 0;
                try
                {
                    var inspected = await inspector.InspectManyAsync([.. batch.Select(f => f.Temp)], fingerprinter.Enabled, abort.Token);
                    for (; landed < batch.Count; landed++)
                        Finish(batch[landed].Clip, await LandAsync(batch[landed], inspected[landed], abort.Token));
                }
                finally
                {
                    // Cancelled or failed part-way: the batch's remaining files are nobody's now.
                    for (var i = landed; i < batch.Count; i++)
                        ForgetTemp(batch[i].Temp);
                }
            }
        })).ToArray();
        try
        {
            await Task.WhenAll([transfers, .. analysts]);
        }
        finally
        {
            // Files fetched but never analysed (the run was cancelled or stopped): nobody else will read them.
            while (handoff.Reader.TryRead(out var left))
                ForgetTemp(left.Temp);
        }
        if (blocked is not null)
        {
            logger.LogError("Downloads stopped: {Message}", blocked.Message);
            throw blocked;
        }
        return counts.Result(clock.Elapsed);
    }

    /// <summary>Runs one stage; if it fails, the other stage is stopped too (nobody waits on a dead reader or writer).</summary>
    private static async Task StageAsync(CancellationTokenSource abort, Func<Task> stage)
    {
        try
        {
            await stage();
        }
        catch
        {
            await abort.CancelAsync();
            throw;
        }
    }

    private async Task<IReadOnlyList<ClipRecord>> DueAsync(DownloadRequest request, CancellationToken ct)
    {
        if (request.Limit <= 0)
            return [];
        if (request.GameId is null && request.BroadcasterId is null)
            return await clips.DueForDownloadAsync(request.Limit, ct);
        var found = await clips.QueryAsync(new ClipQuery { GameId = request.GameId, BroadcasterId = request.BroadcasterId, Status = ClipStatus.Found, Limit = Math.Min(request.Limit, 1000) }, ct);
        var due = found.Items.ToList();
        if (due.Count < request.Limit)
        {
            var now = time.GetUtcNow();
            var failed = await clips.QueryAsync(new ClipQuery { GameId = request.GameId, BroadcasterId = request.BroadcasterId, Status = ClipStatus.Failed, Limit = 1000 }, ct);
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

    /// <summary>Resolves and fetches one clip; null when the whole file went to analysis, else the clip's outcome.</summary>
    private async Task<Outcome?> TransferOneAsync(ClipRecord clip, Counts counts, ChannelWriter<Fetched> handoff, CancellationToken ct)
    {
        string? temp = null;
        try
        {
            var resolved = await resolver.ResolveAsync(clip.TwitchClipId, clip.BroadcasterId, clip.ThumbnailUrl, ct);
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
            long bytes;
            try
            {
                bytes = await fetcher.FetchAsync(ready.Url, temp, ct);
            }
            catch (ClipTransferException e) when (e.Status == System.Net.HttpStatusCode.Forbidden && ready.Quality == "official")
            {
                // A cached official URL the CDN no longer takes (expired early): forget it and ask once more.
                logger.LogInformation("The CDN refused the official URL of clip {ClipId}; asking again", clip.TwitchClipId);
                official.Forget(clip.TwitchClipId);
                if (await resolver.ResolveAsync(clip.TwitchClipId, clip.BroadcasterId, clip.ThumbnailUrl, ct) is not ClipUrlResult.Ready again)
                    throw;
                ready = again;
                bytes = await fetcher.FetchAsync(ready.Url, temp, ct);
            }
            counts.AddBytes(bytes);
            await handoff.WriteAsync(new Fetched(clip, temp, bytes, ready.Portrait), ct);
            temp = null; // the analysis stage owns it now
            return null;
        }
        catch (IllegalClipTransitionException e)
        {
            logger.LogInformation("Clip {ClipId} changed under this run: {Message}", clip.TwitchClipId, e.Message);
            return Outcome.NotReady;
        }
        catch (ClipFileGoneException e)
        {
            await clips.MarkUnavailableAsync(clip.Id, e.Message, ct);
            return Outcome.Unavailable;
        }
        catch (Exception e) when (IsClipFailure(e, ct))
        {
            return await FailAsync(clip, e);
        }
        finally
        {
            if (temp is not null)
                ForgetTemp(temp);
        }
    }

    /// <summary>Renames an inspected file into place and marks it Downloaded, or fails the clip with the file's verdict.</summary>
    private async Task<Outcome> LandAsync(Fetched fetched, MediaInspectionResult inspected, CancellationToken ct)
    {
        var (clip, temp, bytes, portrait) = fetched;
        var owned = true;
        try
        {
            var inspection = inspected.Get();
            var facts = inspection.Facts;
            if (!facts.HasVideo)
                throw new MediaProbeException(temp, "the file has no video stream.");

            // On disk before the rename and the database say it is there (the transfer only wrote it to the
            // page cache; by now write-back has usually done most of the work).
            await FlushToDiskAsync(temp, ct);
            var relative = Path.Combine("clips", SafeName(clip.GameId), SafeName(clip.TwitchClipId) + ".mp4");
            var final = Path.Combine(storage.Value.Root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            File.Move(temp, final, overwrite: true);
            Active.TryRemove(temp, out _);
            owned = false;
            // The file is whole and in place: record it even if the run is being cancelled right now.
            var landed = await clips.MarkDownloadedAsync(clip.Id, new DownloadedClipFile(relative.Replace('\\', '/'), bytes, facts, inspection.Loudness.IntegratedLufs,
                portrait is null ? null : PortraitJson(portrait)),
                CancellationToken.None);
            Tell(landed);
            await FingerprintAsync(landed, inspection.Fingerprint);
            return Outcome.Downloaded;
        }
        catch (IllegalClipTransitionException e)
        {
            // Another run moved this clip meanwhile (e.g. the server's automation and `tccg download` at once).
            logger.LogInformation("Clip {ClipId} changed under this run: {Message}", clip.TwitchClipId, e.Message);
            return Outcome.NotReady;
        }
        catch (Exception e) when (IsClipFailure(e, ct))
        {
            return await FailAsync(clip, e);
        }
        finally
        {
            if (owned)
                ForgetTemp(temp);
        }
    }

    /// <summary>Tells the hooks (the server's waveform/filmstrip maker) about a landed clip; a failing hook only logs.</summary>
    private void Tell(ClipRecord landed)
    {
        foreach (var hook in downloadedHooks)
        {
            try
            {
                hook.ClipDownloaded(landed);
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or ObjectDisposedException)
            {
                logger.LogWarning(e, "A hook after the download of clip {ClipId} failed", landed.TwitchClipId);
            }
        }
    }

    /// <summary>Errors that fail this clip (with back-off) and let the run go on; anything else ends the run.</summary>
    private static bool IsClipFailure(Exception e, CancellationToken ct) =>
        e is ClipTransferException or MediaProbeException or HttpRequestException or (TwitchApiException and not DownloadsBlockedException)
        || (e is OperationCanceledException && !ct.IsCancellationRequested);

    private async Task<Outcome> FailAsync(ClipRecord clip, Exception e)
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
}
