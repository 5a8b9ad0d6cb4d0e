using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Tccg.Core.Compilations;
using Tccg.Server.Auth;
using Tccg.Server.Extensions;
using Tccg.Storage.Clips;
using Tccg.Storage.Compilations;

using Tccg.Server.Features.ClipBin;

namespace Tccg.Server.Features.Compilations;

// Review (keep / skip / undo, next clips), validation and submit of one compilation.
public static partial class CompilationsApi
{
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
    }

    public static async Task<Results<Ok<ClipView[]>, ProblemHttpResult>> NextAsync(
        long id, int? count, HttpContext http, IClipStore clips, CompilationWorkspace workspace, CancellationToken ct)
    {
        if (await workspace.GetAsync(http.User, id, ct) is not { } c)
            return NotFound(id);
        var n = count ?? 10;
        if (n is < 1 or > MaxNextCount)
            return TypedResults.Problem(statusCode: 400, title: $"count must be between 1 and {MaxNextCount}.");
        if (c.ReviewScope is not { } scope)
            return TypedResults.Problem(statusCode: 409, title: $"Compilation {id} has no game or channel; set its gameId to review clips.");
        var next = await clips.NextToReviewAsync(scope, id, n, ct);
        return TypedResults.Ok(next.Select(ClipView.From).ToArray());
    }

    public static async Task<Results<Ok<DecisionView[]>, ProblemHttpResult>> DecisionsAsync(
        long id, HttpContext http, ICompilationStore store, CompilationWorkspace workspace, CancellationToken ct)
    {
        if (await workspace.GetAsync(http.User, id, ct) is null)
            return NotFound(id);
        var decisions = await store.GetDecisionsAsync(id, ct);
        return TypedResults.Ok(decisions.Select(d => new DecisionView(d.ClipId, Name(d.Decision), d.UserId, d.DecidedAt)).ToArray());
    }

    public static async Task<Results<Ok<ReviewResult>, ProblemHttpResult>> ReviewAsync(
        long id, ReviewRequest request, HttpContext http, ICompilationStore store, IClipStore clips, CompilationWorkspace workspace, CancellationToken ct)
    {
        var decision = request.Decision?.Trim().ToLowerInvariant();
        if (decision is not ("keep" or "skip" or "undo"))
            return TypedResults.Problem(statusCode: 400, title: "decision must be keep, skip or undo.");
        using var held = await workspace.LockAsync(id, ct);
        if (await workspace.GetAsync(http.User, id, ct) is null)
            return NotFound(id);
        var items = (await store.GetItemsAsync(id, ct)).ToList();

        if (decision == "undo")
        {
            var decisions = await store.GetDecisionsAsync(id, ct);
            var target = request.ClipId is { } clipId ? decisions.LastOrDefault(d => d.ClipId == clipId) : (decisions.Count > 0 ? decisions[^1] : null);
            if (target is null)
                return TypedResults.Problem(statusCode: 409, title: request.ClipId is { } given
                    ? $"Clip {given} has no decision to undo in compilation {id}."
                    : $"Compilation {id} has no decision to undo.");
            await store.UndecideAsync(id, target.ClipId, ct);
            if (target.Decision == ReviewDecision.Keep && items.RemoveAll(i => i.ClipId == target.ClipId) > 0)
                await store.SetItemsAsync(id, items, ct);
            return TypedResults.Ok(await ResultAsync(id, target.ClipId, "undecided", items.Count, store, ct));
        }

        if (request.ClipId is not { } reviewed)
            return TypedResults.Problem(statusCode: 400, title: "clipId is required to keep or skip a clip.");
        if (await clips.GetAsync(reviewed, ct) is not { } clip)
            return TypedResults.Problem(statusCode: 404, title: $"No clip {reviewed} in the clip bin.");
        var keep = decision == "keep";
        var kept = new CompilationItem(reviewed, request.TrimStart, request.TrimEnd, request.Volume ?? 1.0);
        if (keep)
        {
            var draftItem = new DraftItem(reviewed, kept.TrimStart, kept.TrimEnd, kept.Volume, workspace.ToDraft(clip));
            var problems = EditorRules.CheckEdit(new CompilationDraft { Name = "review", Items = [draftItem] });
            if (problems.Count > 0)
                return Invalid($"Clip {reviewed} cannot be kept like this.", problems);
        }
        await store.DecideAsync(id, reviewed, http.User.UserId(), keep ? ReviewDecision.Keep : ReviewDecision.Skip, ct);
        var at = items.FindIndex(i => i.ClipId == reviewed);
        var changed = true;
        if (keep && at >= 0)
            items[at] = kept;
        else if (keep)
            items.Add(kept);
        else
            changed = items.RemoveAll(i => i.ClipId == reviewed) > 0;
        if (changed)
            await store.SetItemsAsync(id, items, ct);
        return TypedResults.Ok(await ResultAsync(id, reviewed, decision, items.Count, store, ct));
    }

    public static async Task<Results<Ok<ValidationView>, ProblemHttpResult>> ValidateAsync(
        long id, HttpContext http, CompilationSubmitter submitter, CancellationToken ct) =>
        await submitter.ValidateAsync(http.User, id, ct) is { } messages
            ? TypedResults.Ok(new ValidationView(messages.Count == 0, [.. messages]))
            : NotFound(id);

    public static async Task<Results<Accepted<SubmittedView>, ProblemHttpResult>> SubmitAsync(
        long id, HttpContext http, CompilationSubmitter submitter, CancellationToken ct)
    {
        var outcome = await submitter.SubmitAsync(http.User, id, ct);
        if (!outcome.Found)
            return NotFound(id);
        if (outcome.Job is not { } job)
            return Invalid($"Compilation {id} is not ready to render.", outcome.Messages);
        var location = $"/api/v1/renders/{job.Id}";
        return TypedResults.Accepted(location, new SubmittedView(job.Id, location, outcome.Timeline!.ClipIds.Count));
    }

    private static async Task<ReviewResult> ResultAsync(long id, long clipId, string decision, int itemCount, ICompilationStore store, CancellationToken ct)
    {
        var updatedAt = (await store.GetAsync(id, ct))?.UpdatedAt ?? default;
        return new ReviewResult(clipId, decision, itemCount, updatedAt);
    }

    private static string Name(ReviewDecision d) => d == ReviewDecision.Keep ? "keep" : "skip";
}
