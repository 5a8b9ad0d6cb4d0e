using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Tccg.Server.Application;
using Tccg.Server.Extensions;
using Tccg.Server.Features.ClipBin;
using Tccg.Storage.Compilations;

namespace Tccg.Server.Features.Compilations;

// Review (keep / skip / undo, next clips), validation and submit of one compilation.
public static partial class CompilationsApi
{
    /// <summary>The most clips one <c>GET …/next</c> returns (a page; the editor asks <see cref="CompilationService"/> for more).</summary>
    public const int MaxNextCount = 50;

    private static void MapReview(RouteGroupBuilder group)
    {
        group.MapGet("/{id:long}/next", NextAsync).WithName("NextClipsToReview").RequireRateLimiting(DatabaseWork.Policy)
            .WithSummary("The next downloaded clips of the compilation's game not yet kept or skipped in it, most viewed first (?count=1..50)");
        group.MapGet("/{id:long}/review", DecisionsAsync).WithName("ListReviewDecisions").WithSummary("Keep/skip decisions in the order made");
        group.MapPost("/{id:long}/review", ReviewAsync).WithName("ReviewClip")
            .WithSummary("Keep (appends to the items), skip (a decision only) or undo (the last decision, or the given clip's)");
    }

    private static void MapSubmit(RouteGroupBuilder group)
    {
        group.MapGet("/{id:long}/validation", ValidateAsync).WithName("ValidateCompilation")
            .WithSummary("Every problem that blocks submitting, each naming the item and field");
        group.MapPost("/{id:long}/submit", SubmitAsync).WithName("SubmitCompilation")
            .WithSummary("Validate, freeze the timeline and queue a render job (202, Location /api/v1/renders/{jobId})");
        group.MapPost("/{id:long}/shorts", ShortsAsync).WithName("RenderEachClipAsShort")
            .WithSummary("Render each kept clip (or the first maxClips) as its own vertical short: one render job each, grouped under a batch (202)");
    }

    public static async Task<Ok<ClipView[]>> NextAsync(long id, int? count, HttpContext http, CompilationService service, ApiLinks links, CancellationToken ct)
    {
        var n = count ?? 10;
        if (n is < 1 or > MaxNextCount)
            throw RuleException.Invalid("count", $"must be between 1 and {MaxNextCount}");
        var next = await service.NextAsync(http.Caller(), id, n, ct);
        return TypedResults.Ok(next.Select(c => ClipView.From(c, links)).ToArray());
    }

    public static async Task<Ok<DecisionView[]>> DecisionsAsync(long id, HttpContext http, CompilationService service, CancellationToken ct)
    {
        var decisions = await service.DecisionsAsync(http.Caller(), id, ct);
        return TypedResults.Ok(decisions.Select(d => new DecisionView(d.ClipId, d.Decision == ReviewDecision.Keep ? "keep" : "skip", d.UserId, d.DecidedAt)).ToArray());
    }

    public static async Task<Ok<ReviewResult>> ReviewAsync(long id, ReviewRequest request, HttpContext http, CompilationService service, CancellationToken ct) =>
        TypedResults.Ok(await service.ReviewAsync(http.Caller(), id, request, ct));

    public static async Task<Ok<ValidationView>> ValidateAsync(long id, HttpContext http, CompilationService service, CancellationToken ct)
    {
        var messages = await service.ValidateAsync(http.Caller(), id, ct);
        return TypedResults.Ok(new ValidationView(messages.Count == 0, [.. messages]));
    }

    public static async Task<Accepted<ShortsBatchView>> ShortsAsync(
        long id, ShortsRequest? request, HttpContext http, ShortsService service, CancellationToken ct)
    {
        var batch = await service.RenderEachAsync(http.Caller(), id, request, ct);
        return TypedResults.Accepted($"/api/v1/renders?batchId={batch.BatchId}", batch);
    }

    public static async Task<Accepted<SubmittedView>> SubmitAsync(
        long id, HttpContext http, CompilationService service, ApiLinks links, CancellationToken ct)
    {
        var (job, timeline) = await service.SubmitAsync(http.Caller(), id, ct);
        var location = links.To($"/renders/{job.Id}");
        return TypedResults.Accepted(location, new SubmittedView(job.Id, location, timeline.ClipIds.Count));
    }
}
