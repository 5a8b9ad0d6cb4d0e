using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Tccg.Core.Timeline;
using Tccg.Generator.Protocol;
using Tccg.Media.Caching;
using Tccg.Media.Rendering;

namespace Tccg.Generator;

/// <summary>
/// A video generator: lease a job (long poll), fetch its inputs into the local cache, render with
/// <see cref="Renderer"/> while heartbeats keep the lease and progress goes to the server (throttled), upload
/// the MP4 and credits, complete. A lost lease cancels the render; stopping the worker leaves the job to
/// lease expiry, so another generator picks it up.
/// </summary>
public sealed partial class GeneratorWorker(
    GeneratorClient client,
    Renderer renderer,
    GeneratorWorkerOptions options,
    TimeProvider time,
    ILogger<GeneratorWorker> logger)
{
    private readonly InputCache _cache = new(client, options.CacheDir, logger, time);
    private readonly CacheTrimmer _trimmer = new(logger);

    /// <summary>Raised on every progress step of the current job (on the render's thread: keep handlers short).</summary>
    public event Action<GeneratorStatus>? StatusChanged;

    public InputCache Cache => _cache;

    /// <summary>How the last leased job ended; null before the first.</summary>
    public JobOutcome? LastOutcome { get; private set; }

    /// <summary>
    /// Works jobs until <paramref name="ct"/> is cancelled, or after one job when <paramref name="once"/>.
    /// Throws <see cref="GeneratorProtocolException"/> when the server refuses the token (401/403).
    /// </summary>
    public async Task RunAsync(bool once, CancellationToken ct)
    {
        LogStarted(options.Name);
        // A cap lowered since the last run applies before the first job, too.
        var now = time.GetUtcNow();
        TrimInputCache(now);
        renderer.TrimSegmentCache(options.Segments, options.SegmentCacheMaxBytes, now);
        while (!ct.IsCancellationRequested)
        {
            LeaseResponse? lease;
            try
            {
                lease = await client.LeaseAsync(options.Name, options.LeaseWait, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (GeneratorProtocolException ex) when (ex.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                // A wrong or revoked token does not heal by waiting.
                throw new GeneratorProtocolException(ex.Status,
                    $"The server refused this generator's token ({(int)ex.Status}): use a worker token from `tccg token create --worker NAME`.");
            }
            catch (Exception ex) when (ex is HttpRequestException or GeneratorProtocolException or OperationCanceledException)
            {
                LogServerUnreachable(ex.Message);
                if (!await DelayAsync(options.ErrorBackoff, ct))
                    break;
                continue;
            }

            if (lease is null)
                continue;
            LastOutcome = await ProcessAsync(lease, ct);
            if (once)
                break;
        }
        LogStopped(options.Name);
    }

    /// <summary>Renders one leased job to the end and reports how it ended.</summary>
    public async Task<JobOutcome> ProcessAsync(LeaseResponse lease, CancellationToken ct)
    {
        LogLeased(lease.JobId, lease.Timeline.Name, lease.Attempt);
        var started = time.GetUtcNow();
        var outcome = await RunJobAsync(lease, ct);
        TrimInputCache(started);
        return outcome;
    }

    /// <summary>
    /// After a job (whatever its outcome) and never during one: least recently used inputs go until the input cache
    /// fits its cap; what this job used (marked at or after <paramref name="jobStarted"/>) stays. The segment cache
    /// is trimmed by the renderer when the render ends (<see cref="Renderer.TrimSegmentCache"/>).
    /// </summary>
    public CacheTrimResult TrimInputCache(DateTimeOffset jobStarted) =>
        _cache.Trim(_trimmer, options.InputCacheMaxBytes, jobStarted);

    private async Task<JobOutcome> RunJobAsync(LeaseResponse lease, CancellationToken ct)
    {
        using var job = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pump = new ProgressPump(client, lease, options.ProgressInterval, time, job, logger);
        var workDir = Path.Combine(options.Work, string.Create(CultureInfo.InvariantCulture, $"job-{lease.JobId}-{lease.LeaseId[..Math.Min(8, lease.LeaseId.Length)]}"));
        var heartbeat = HeartbeatAsync(lease, job);
        var pumping = pump.RunAsync();
        JobOutcome outcome;
        string? error = null;
        try
        {
            // The input cache is in use until the render ends (the renderer holds the segment cache itself).
            using var inputsInUse = await CacheLock.AcquireSharedAsync(_cache.Root, job.Token);
            Publish(lease.JobId, "Fetching inputs", 0, null);
            pump.Set("Fetching inputs", 0, null);
            // A timeline that cannot render fails before anything is downloaded.
            var errors = TimelineLoader.Validate(lease.Timeline.Timeline);
            if (errors.Count > 0)
                throw new TimelineValidationException(errors);
            var baseDir = await FetchInputsAsync(lease, job.Token);

            var known = lease.Timeline.Loudness.ToDictionary(kv => Path.GetFullPath(Path.Combine(baseDir, kv.Key)), kv => kv.Value, StringComparer.Ordinal);
            Directory.CreateDirectory(workDir);
            var output = Path.Combine(workDir, OutputName(lease.Timeline.Name) + ".mp4");
            var progress = new RenderProgressSink(p =>
            {
                pump.Set(p.StageText, p.Percent, p.Eta?.TotalSeconds);
                Publish(lease.JobId, p.StageText, p.Percent, p.Eta);
            });
            var result = await renderer.RenderAsync(new RenderRequest
            {
                Timeline = lease.Timeline.Timeline,
                BaseDirectory = baseDir,
                OutputPath = output,
                SegmentCacheDir = options.Segments,
                KnownLoudness = known,
                Parallelism = options.Parallelism,
                SegmentCacheMaxBytes = options.SegmentCacheMaxBytes,
            }, progress, job.Token);

            pump.Set("Uploading", 100, null);
            Publish(lease.JobId, "Uploading", 100, null);
            await client.UploadAsync(lease.JobId, lease.LeaseId, GeneratorRoutes.OutputVideo, result.OutputPath, job.Token);
            await client.UploadAsync(lease.JobId, lease.LeaseId, GeneratorRoutes.OutputCredits, result.DescriptionPath, job.Token);
            if (File.Exists(result.ThumbnailPath))
                await client.UploadAsync(lease.JobId, lease.LeaseId, GeneratorRoutes.OutputThumbnail, result.ThumbnailPath, job.Token);
            await pump.StopAsync();
            await client.CompleteAsync(lease.JobId, lease.LeaseId, job.Token);
            outcome = JobOutcome.Succeeded;
            LogSucceeded(lease.JobId, Math.Round(result.DurationSeconds, 2), result.SegmentsReused);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            outcome = JobOutcome.Abandoned;
            LogAbandoned(lease.JobId);
        }
        catch (Exception ex) when (ex is LeaseLostException || (ex is OperationCanceledException && job.IsCancellationRequested))
        {
            outcome = JobOutcome.LeaseLost;
            LogLeaseLost(lease.JobId);
        }
        catch (HttpRequestException ex)
        {
            // The server is unreachable even after retries: leave the job to lease expiry.
            outcome = JobOutcome.Abandoned;
            error = ex.Message;
            LogServerUnreachable(ex.Message);
        }
        catch (Exception ex)
        {
            outcome = JobOutcome.Failed;
            error = ex.Message;
            LogFailed(ex, lease.JobId);
            await pump.StopAsync();
            try
            {
                await client.FailAsync(lease.JobId, lease.LeaseId, ex.Message, ct);
            }
            catch (Exception reportEx) when (reportEx is HttpRequestException or GeneratorProtocolException or LeaseLostException or OperationCanceledException)
            {
                LogServerUnreachable(reportEx.Message);
            }
        }
        finally
        {
            await job.CancelAsync();
            await pump.StopAsync();
            await pumping;
            await heartbeat;
            TryDeleteDirectory(workDir);
        }

        Publish(lease.JobId, outcome.ToString(), outcome == JobOutcome.Succeeded ? 100 : 0, null, outcome, error);
        return outcome;
    }

    private async Task<string> FetchInputsAsync(LeaseResponse lease, CancellationToken ct)
    {
        if (options.LocalStorageRoot is { } local)
            return Path.GetFullPath(local);
        var paths = lease.Timeline.Paths();
        for (var i = 0; i < paths.Count; i++)
        {
            await _cache.FetchAsync(lease.JobId, paths[i], ct);
            Publish(lease.JobId, $"Fetching inputs {i + 1}/{paths.Count}", 0, null);
        }
        return _cache.FilesRoot;
    }

    private async Task HeartbeatAsync(LeaseResponse lease, CancellationTokenSource job)
    {
        var interval = options.HeartbeatInterval ?? TimeSpan.FromSeconds(Math.Clamp(lease.LeaseSeconds / 3, 0.2, 60));
        while (await DelayAsync(interval, job.Token))
        {
            try
            {
                await client.HeartbeatAsync(lease.JobId, lease.LeaseId, job.Token);
            }
            catch (LeaseLostException)
            {
                LogLeaseLost(lease.JobId);
                await job.CancelAsync();
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or GeneratorProtocolException || (ex is OperationCanceledException && !job.IsCancellationRequested))
            {
                LogServerUnreachable(ex.Message);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, time, ct);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Publish(long jobId, string stage, double percent, TimeSpan? eta, JobOutcome? outcome = null, string? error = null) =>
        StatusChanged?.Invoke(new GeneratorStatus(jobId, stage, percent, eta, outcome, error));

    /// <summary>A file name from the compilation name: letters, digits, '-' and '_' only.</summary>
    public static string OutputName(string name)
    {
        var chars = name.Trim().Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray();
        var text = new string(chars).Trim('-');
        return text.Length == 0 ? "render" : text[..Math.Min(80, text.Length)];
    }

    private static void TryDeleteDirectory(string dir)
    {
        try
        {
            if (Directory.Exists(dir))
                Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private sealed class RenderProgressSink(Action<RenderProgress> report) : IProgress<RenderProgress>
    {
        public void Report(RenderProgress value) => report(value);
    }

    [LoggerMessage(LogLevel.Information, "Generator {Name} started")]
    private partial void LogStarted(string name);

    [LoggerMessage(LogLevel.Information, "Generator {Name} stopped")]
    private partial void LogStopped(string name);

    [LoggerMessage(LogLevel.Information, "Leased render job {Job} ({Name}), attempt {Attempt}")]
    private partial void LogLeased(long job, string name, int attempt);

    [LoggerMessage(LogLevel.Information, "Render job {Job} done: {Seconds} s of video, {Reused} segments reused")]
    private partial void LogSucceeded(long job, double seconds, int reused);

    [LoggerMessage(LogLevel.Warning, "Render job {Job} left to lease expiry: the generator is stopping")]
    private partial void LogAbandoned(long job);

    [LoggerMessage(LogLevel.Warning, "Render job {Job}: the lease was lost (expired elsewhere or cancelled); stopped working on it")]
    private partial void LogLeaseLost(long job);

    [LoggerMessage(LogLevel.Warning, "Server call failed: {Message}")]
    private partial void LogServerUnreachable(string message);

    [LoggerMessage(LogLevel.Error, "Render job {Job} failed")]
    private partial void LogFailed(Exception ex, long job);
}
