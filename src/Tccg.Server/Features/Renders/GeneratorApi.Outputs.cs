using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Tccg.Core.Configuration;
using Tccg.Generator.Protocol;
using Tccg.Media.Probing;
using Tccg.Storage.Renders;

namespace Tccg.Server.Features.Renders;

public static partial class GeneratorApi
{
    private const long MaxCreditsBytes = 1 << 20;
    private const long MaxThumbnailBytes = 16 << 20;

    /// <summary>
    /// Streams the body to a temp file under the renders folder (size-limited), checks it (the video must be
    /// an MP4 with a video stream, as ffprobe sees it) and renames it to the lease's staged output.
    /// </summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> PutOutputAsync(
        long id, string kind, string? leaseId, HttpContext http, IRenderJobStore jobs, RenderFiles files, MediaProbe probe,
        IOptions<ServerOptions> options, CancellationToken ct)
    {
        if (kind is not (GeneratorRoutes.OutputVideo or GeneratorRoutes.OutputCredits or GeneratorRoutes.OutputThumbnail))
            return TypedResults.Problem(statusCode: 404, title: $"Unknown output kind {kind}.", detail: "Use video, credits or thumbnail.");
        if (string.IsNullOrEmpty(leaseId))
            return NeedLease();
        if (await jobs.GetAsync(id, ct) is not { } job)
            return NoJob(id);
        if (!Held(job, leaseId))
            return LeaseLost(id);

        var limit = kind switch
        {
            GeneratorRoutes.OutputVideo => options.Value.MaxUploadMegabytes * 1024L * 1024L,
            GeneratorRoutes.OutputThumbnail => MaxThumbnailBytes,
            _ => MaxCreditsBytes,
        };
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
            sizeFeature.MaxRequestBodySize = limit;
        if (http.Request.ContentLength > limit)
            return TooLarge(limit);

        Directory.CreateDirectory(files.StagingDir);
        var staged = files.Staged(id, leaseId, kind);
        var temp = staged + "." + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture) + ".part";
        try
        {
            long total = 0;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await http.Request.Body.ReadAsync(buffer, ct)) > 0)
                {
                    total += read;
                    if (total > limit)
                        return TooLarge(limit);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }
            }
            if (total == 0)
                return TypedResults.Problem(statusCode: 400, title: "Empty upload.");

            if (kind == GeneratorRoutes.OutputVideo && await CheckVideoAsync(probe, temp, ct) is { } why)
                return TypedResults.Problem(statusCode: 400, title: "Not an MP4 video", detail: why);
            if (kind == GeneratorRoutes.OutputCredits && (await File.ReadAllBytesAsync(temp, ct)).Contains((byte)0))
                return TypedResults.Problem(statusCode: 400, title: "Not a text file", detail: "The credits must be UTF-8 text.");
            if (kind == GeneratorRoutes.OutputThumbnail && !await IsJpegAsync(temp, ct))
                return TypedResults.Problem(statusCode: 400, title: "Not a JPEG image", detail: "The thumbnail must be a JPEG file (it starts with FF D8 FF).");

            // The lease may have been lost while the body streamed in.
            if (await jobs.GetAsync(id, ct) is not { } now || !Held(now, leaseId))
                return LeaseLost(id);
            File.Move(temp, staged, overwrite: true);
            return TypedResults.NoContent();
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(limit);
        }
        finally
        {
            RenderFiles.TryDelete(temp);
        }
    }

    private static async Task<bool> IsJpegAsync(string path, CancellationToken ct)
    {
        var head = new byte[3];
        await using var file = File.OpenRead(path);
        return await file.ReadAtLeastAsync(head, 3, throwOnEndOfStream: false, ct) == 3 && head is [0xFF, 0xD8, 0xFF];
    }

    private static ProblemHttpResult TooLarge(long limit) =>
        TypedResults.Problem(statusCode: 413, title: "Upload too large", detail: string.Create(CultureInfo.InvariantCulture, $"The limit is {limit} bytes."));

    private static async Task<string?> CheckVideoAsync(MediaProbe probe, string path, CancellationToken ct)
    {
        try
        {
            var facts = await probe.ProbeAsync(path, ct);
            if (!facts.HasVideo)
                return "The file has no video stream.";
            if (!facts.Format.Split(',').Contains("mp4", StringComparer.Ordinal))
                return $"The file is {facts.Format}, not MP4.";
            return facts.Duration > 0 ? null : "The video has no duration.";
        }
        catch (MediaProbeException e)
        {
            return e.Message;
        }
    }
}
