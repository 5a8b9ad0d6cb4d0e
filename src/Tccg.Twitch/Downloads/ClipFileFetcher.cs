using System.Buffers;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Tccg.Twitch.Downloads;

/// <summary>The CDN refused the file for good (404/410): the clip is gone.</summary>
public sealed class ClipFileGoneException(string message) : Exception(message);

/// <summary>The transfer ended early or failed; the partial file has been deleted.</summary>
public sealed class ClipTransferException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The CDN's answer when it refused the file (403 for an expired or bad signature), else null.</summary>
    public HttpStatusCode? Status { get; init; }
}

/// <summary>
/// Streams one clip file to a temporary path with a fixed-size buffer (never the whole file in memory),
/// checks the byte count against <c>Content-Length</c>, and deletes the partial file on any failure.
/// The file is written but not forced to disk (a transfer never waits for the disk's write-back):
/// <see cref="ClipDownloader"/> flushes it to disk just before renaming it into place.
/// </summary>
public sealed class ClipFileFetcher(IHttpClientFactory factory, IOptions<TwitchHttpOptions> tuning, ILogger<ClipFileFetcher> logger)
{
    private const int BufferSize = 128 * 1024;

    /// <summary>Downloads <paramref name="url"/> to <paramref name="tempPath"/>; returns the bytes written.</summary>
    public async Task<long> FetchAsync(Uri url, string tempPath, CancellationToken ct)
    {
        var http = factory.CreateClient(TwitchServiceCollectionExtensions.MediaClient);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
                throw new ClipFileGoneException($"the CDN answered {(int)response.StatusCode} for the clip file");
            if (!response.IsSuccessStatusCode)
                throw new ClipTransferException($"the CDN answered {(int)response.StatusCode} {response.StatusCode}") { Status = response.StatusCode };
            var expected = response.Content.Headers.ContentLength;
            long written = 0;
            await using (var source = await response.Content.ReadAsStreamAsync(ct))
            await using (var target = new FileStream(tempPath, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                using var stall = CancellationTokenSource.CreateLinkedTokenSource(ct);
                while (true)
                {
                    stall.CancelAfter(tuning.Value.DownloadStallTimeout);
                    int read;
                    try
                    {
                        read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), stall.Token);
                    }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                    {
                        throw new ClipTransferException($"no data for {tuning.Value.DownloadStallTimeout.TotalSeconds:0} s after {written} bytes");
                    }
                    if (read == 0)
                        break;
                    await target.WriteAsync(buffer.AsMemory(0, read), ct);
                    written += read;
                }
                await target.FlushAsync(ct);
            }
            if (expected is { } length && written != length)
                throw new ClipTransferException($"truncated download: {written} of {length} bytes");
            if (written == 0)
                throw new ClipTransferException("the CDN sent an empty file");
            return written;
        }
        catch (Exception e)
        {
            TryDelete(tempPath);
            if (e is HttpRequestException or IOException && !ct.IsCancellationRequested)
                throw new ClipTransferException($"transfer failed: {e.Message}", e);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException e)
        {
            logger.LogWarning(e, "Could not delete partial file {Path}", path);
        }
    }
}
