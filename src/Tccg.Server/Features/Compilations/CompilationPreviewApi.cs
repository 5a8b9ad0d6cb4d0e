using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Tccg.Server.Application;
using Tccg.Server.Auth;

namespace Tccg.Server.Features.Compilations;

/// <summary><c>GET /api/v1/compilations/{id}/preview</c>: what the editor's Preview plays (<see cref="CompilationPreviewService"/>).</summary>
public static class CompilationPreviewApi
{
    public static RouteGroupBuilder MapCompilationPreviewApi(this RouteGroupBuilder api)
    {
        api.MapGet("/compilations/{id:long}/preview", GetAsync).WithTags("Compilations").RequireAuthorization(Policies.Editor)
            .WithName("GetCompilationPreview")
            .WithSummary("The compilation as it will render, as data: pieces in order (first, intro, clips with intervals, outro) with trims, lengths and gains, music and ducking");
        return api;
    }

    public static async Task<Ok<PreviewPlan>> GetAsync(long id, HttpContext http, CompilationPreviewService service, CancellationToken ct) =>
        TypedResults.Ok(await service.PlanAsync(http.Caller(), id, ct));
}
