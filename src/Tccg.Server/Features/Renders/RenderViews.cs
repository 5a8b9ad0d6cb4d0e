using Tccg.Server.Application;
using Tccg.Storage.Renders;

namespace Tccg.Server.Features.Renders;

/// <summary>A render job as editors see it.</summary>
public sealed record RenderView(
    long Id,
    long? CompilationId,
    long? OwnerId,
    string Name,
    string Status,
    string? Stage,
    double? Percent,
    double? EtaSeconds,
    string? Error,
    int Attempts,
    string? Worker,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    RenderOutputView? Output,
    long? BatchId = null);

/// <summary>The files of a succeeded render and where to download them; width, height and the poster frame's URL when probed,
/// the upload thumbnail's URL when the generator sent one.</summary>
public sealed record RenderOutputView(long VideoBytes, long? CreditsBytes, double? DurationSeconds, string VideoUrl, string? CreditsUrl,
    int? Width = null, int? Height = null, string? PosterUrl = null, string? ThumbnailUrl = null);

internal static class RenderViews
{
    public static string StatusName(RenderJobStatus status) => status.ToString().ToLowerInvariant();

    public static async Task<RenderView> ViewAsync(RenderJob job, RenderFiles files, ApiLinks links, bool withDuration, CancellationToken ct, RenderPosters? posters = null)
    {
        RenderOutputView? output = null;
        if (job.Status == RenderJobStatus.Succeeded && files.Existing(job.OutputPath) is { } video)
        {
            var credits = files.Existing(job.CreditsPath);
            var thumbnail = files.Existing(job.ThumbnailPath);
            var facts = withDuration && posters is not null ? await posters.FactsAsync(video, ct) : null;
            output = new RenderOutputView(
                new FileInfo(video).Length,
                credits is null ? null : new FileInfo(credits).Length,
                facts?.Duration ?? (withDuration ? await files.DurationAsync(video, ct) : null),
                links.To($"/renders/{job.Id}/video"),
                credits is null ? null : links.To($"/renders/{job.Id}/credits"),
                facts?.Width, facts?.Height,
                posters is null ? null : links.To($"/renders/{job.Id}/poster"),
                thumbnail is null ? null : links.To($"/renders/{job.Id}/thumbnail"));
        }

        return new RenderView(job.Id, job.CompilationId, job.OwnerId, RenderFiles.TryTimeline(job)?.Name ?? "", StatusName(job.Status),
            job.Stage, job.Percent, job.EtaSeconds, job.Error, job.Attempts, job.LeaseOwner, job.CreatedAt, job.StartedAt, job.FinishedAt, output, job.BatchId);
    }
}
