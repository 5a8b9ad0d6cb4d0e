using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tccg.Core.Configuration;
using Tccg.Storage.Renders;

namespace Tccg.Server.Features.Renders;

/// <summary>
/// Puts render jobs whose generator stopped heartbeating back in the queue (waking waiting generators), and
/// fails those that used up <c>Tccg:Server:RenderMaxAttempts</c> leases.
/// </summary>
internal sealed partial class LeaseSweeper(
    IRenderJobStore jobs, RenderFiles files, IOptions<ServerOptions> options, TimeProvider time, ILogger<LeaseSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromSeconds(Math.Clamp(options.Value.RenderLeaseSeconds / 4.0, 0.5, 15));
        using var timer = new PeriodicTimer(period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var moved = await jobs.RequeueExpiredAsync(options.Value.RenderMaxAttempts, stoppingToken);
                    if (moved > 0)
                        LogRequeued(moved);
                    await RemoveOrphanUploadsAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogSweepFailed(ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Staged outputs whose lease is gone (the generator uploaded, then vanished or lost the lease) and
    /// upload temp files older than an hour are deleted; a staged file is named <c>{jobId}-{leaseId}.mp4|txt</c>.
    /// </summary>
    internal async Task RemoveOrphanUploadsAsync(CancellationToken ct)
    {
        if (!Directory.Exists(files.StagingDir))
            return;
        var now = time.GetUtcNow();
        foreach (var path in Directory.EnumerateFiles(files.StagingDir))
        {
            var age = now - File.GetLastWriteTimeUtc(path);
            var name = Path.GetFileName(path);
            if (name.EndsWith(".part", StringComparison.Ordinal))
            {
                if (age > TimeSpan.FromHours(1))
                    RenderFiles.TryDelete(path);
                continue;
            }
            var stem = Path.GetFileNameWithoutExtension(name);
            var dash = stem.IndexOf('-', StringComparison.Ordinal);
            if (dash <= 0 || !long.TryParse(stem[..dash], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var jobId))
                continue;
            if (age < TimeSpan.FromMinutes(1))
                continue;
            var job = await jobs.GetAsync(jobId, ct);
            var held = job is { Status: RenderJobStatus.Leased or RenderJobStatus.Running } && job.LeaseId == stem[(dash + 1)..];
            if (!held)
                RenderFiles.TryDelete(path);
        }
    }

    [LoggerMessage(LogLevel.Information, "{Count} render jobs with expired leases went back to the queue (or failed, out of attempts)")]
    private partial void LogRequeued(int count);

    [LoggerMessage(LogLevel.Warning, "Requeueing expired render leases failed")]
    private partial void LogSweepFailed(Exception ex);
}
