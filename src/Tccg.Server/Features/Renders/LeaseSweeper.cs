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
internal sealed partial class LeaseSweeper(IRenderJobStore jobs, IOptions<ServerOptions> options, TimeProvider time, ILogger<LeaseSweeper> logger) : BackgroundService
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

    [LoggerMessage(LogLevel.Information, "{Count} render jobs with expired leases went back to the queue (or failed, out of attempts)")]
    private partial void LogRequeued(int count);

    [LoggerMessage(LogLevel.Warning, "Requeueing expired render leases failed")]
    private partial void LogSweepFailed(Exception ex);
}
