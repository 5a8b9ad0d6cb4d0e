using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tccg.Core.Configuration;
using Tccg.Storage.Clips;
using Tccg.Twitch.Downloads;

namespace Tccg.Server.Features.ClipBin;

/// <summary>
/// Makes a clip's waveform, filmstrip and scrub proxy (<see cref="ClipMediaService.PrepareAsync"/>) as soon as the
/// downloader lands it, so the editor opens it with its waveform drawn. The downloader only queues the clip id
/// (<see cref="IClipDownloadedHook"/>); <c>Tccg:Server:MediaPrepareParallelism</c> workers (default 1) take them in
/// order, so a download run is slowed by at most that many ffmpeg processes. A full queue drops ids (those clips get
/// their files on first request, as clips downloaded before this existed do).
/// </summary>
public sealed class ClipMediaPreparer(ClipMediaService media, IOptions<ServerOptions> options, ILogger<ClipMediaPreparer> logger)
    : BackgroundService, IClipDownloadedHook
{
    /// <summary>Clip ids waiting at most; beyond that new ones are left to the first request.</summary>
    public const int QueueCapacity = 10_000;

    private readonly Channel<long> _queue = Channel.CreateBounded<long>(new BoundedChannelOptions(QueueCapacity)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleWriter = false,
        SingleReader = false,
    });

    private int _pending;

    /// <summary>Clips queued or being prepared right now.</summary>
    public int Pending => Volatile.Read(ref _pending);

    public void ClipDownloaded(ClipRecord clip)
    {
        if (options.Value.MediaPrepareParallelism == 0)
            return;
        Interlocked.Increment(ref _pending);
        if (!_queue.Writer.TryWrite(clip.Id))
            Interlocked.Decrement(ref _pending);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var workers = options.Value.MediaPrepareParallelism;
        return Task.WhenAll(Enumerable.Range(0, workers).Select(_ => WorkAsync(stoppingToken)));
    }

    private async Task WorkAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var clipId in _queue.Reader.ReadAllAsync(ct))
            {
                try
                {
                    if (await media.PrepareAsync(clipId, ct))
                        logger.LogDebug("Prepared the editor media of downloaded clip {ClipId}", clipId);
                }
                finally
                {
                    Interlocked.Decrement(ref _pending);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
