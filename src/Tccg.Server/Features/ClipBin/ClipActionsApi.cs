using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Tccg.Server.Application;
using Tccg.Server.Auth;
using Tccg.Server.Extensions;
using Tccg.Server.Features.Compilations;

namespace Tccg.Server.Features.ClipBin;

public sealed record AddToCompilationRequest(long? CompilationId);

/// <summary>The clip browser's per-clip actions (<see cref="ClipActionsService"/>).</summary>
public static class ClipActionsApi
{
    public static RouteGroupBuilder MapClipActionsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/clips").WithTags("Clips");
        group.MapGet("/{id:long}/reason", async (long id, HttpContext http, ClipActionsService actions, CancellationToken ct) =>
                TypedResults.Ok(await actions.ReasonAsync(http.Caller(), id, ct)))
            .RequireAuthorization(Policies.Editor).RequireRateLimiting(DatabaseWork.Policy)
            .WithName("GetClipReason").WithSummary("Why a clip is Failed, Unavailable, Duplicate (with the clip it duplicates) or Missing");
        group.MapPost("/{id:long}/add-to-compilation", async Task<Ok<ReviewResult>> (long id, AddToCompilationRequest? body, HttpContext http, ClipActionsService actions, CancellationToken ct) =>
                TypedResults.Ok(await actions.AddToCompilationAsync(http.Caller(), id, body?.CompilationId, ct)))
            .RequireAuthorization(Policies.Editor)
            .WithName("AddClipToCompilation").WithSummary("Adds a downloaded clip to the end of a compilation (as a keep); 409 when it is in already");
        group.MapPost("/{id:long}/block-streamer", async (long id, HttpContext http, ClipActionsService actions, CancellationToken ct) =>
                TypedResults.Ok(await actions.BlockStreamerAsync(http.Caller(), id, ct)))
            .RequireAuthorization(Policies.Admin)
            .WithName("BlockClipStreamer").WithSummary("Blocks the clip's streamer in its game's filters (admins)");
        group.MapPost("/{id:long}/retry", async (long id, HttpContext http, ClipActionsService actions, CancellationToken ct) =>
                TypedResults.Ok(await actions.RetryDownloadAsync(http.Caller(), id, ct)))
            .RequireAuthorization(Policies.Admin)
            .WithName("RetryClipDownload").WithSummary("Puts a failed clip back to Found so the next download run fetches it (admins)");
        return api;
    }
}
