using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tccg.Server.Application;
using Tccg.Server.Auth;

namespace Tccg.Server.Features.Compilations;

/// <summary><c>/api/v1/compilations</c>: create, list, get (items expanded), update (optimistic concurrency), delete. Rules: <see cref="CompilationService"/>.</summary>
public static partial class CompilationsApi
{
    public static IServiceCollection AddCompilationsFeature(this IServiceCollection services) =>
        services.AddSingleton<CompilationWorkspace>().AddSingleton<CompilationService>().AddSingleton<ShortsService>();

    public static RouteGroupBuilder MapCompilationsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/compilations").WithTags("Compilations").RequireAuthorization(Policies.Editor);
        group.MapGet("/", ListAsync).WithName("ListCompilations").WithSummary("Compilations the caller may see: own and shared (admins: all)");
        group.MapPost("/", CreateAsync).WithName("CreateCompilation").WithSummary("Start a compilation (name, game)");
        group.MapGet("/{id:long}", GetAsync).WithName("GetCompilation").WithSummary("A compilation with its items, clips and assets");
        group.MapPut("/{id:long}", UpdateAsync).WithName("UpdateCompilation")
            .WithSummary("Replace the editable document; send the version you read (409 when someone saved since)");
        group.MapDelete("/{id:long}", DeleteAsync).WithName("DeleteCompilation").WithSummary("Delete a compilation (owner or admin)");
        MapReview(group);
        MapSubmit(group);
        return api;
    }

    public static async Task<Ok<CompilationSummary[]>> ListAsync(HttpContext http, CompilationService service, CancellationToken ct) =>
        TypedResults.Ok((await service.ListAsync(http.Caller(), ct)).ToArray());

    public static async Task<Created<CompilationView>> CreateAsync(
        NewCompilationRequest request, HttpContext http, CompilationService service, CancellationToken ct)
    {
        var created = await service.CreateAsync(http.Caller(), request, ct);
        return TypedResults.Created($"/api/v1/compilations/{created.Id}", created);
    }

    public static async Task<Ok<CompilationView>> GetAsync(long id, HttpContext http, CompilationService service, CancellationToken ct) =>
        TypedResults.Ok(await service.GetAsync(http.Caller(), id, ct));

    public static async Task<Ok<CompilationView>> UpdateAsync(
        long id, UpdateCompilationRequest request, HttpContext http, CompilationService service, CancellationToken ct) =>
        TypedResults.Ok(await service.UpdateAsync(http.Caller(), id, request, ct));

    public static async Task<NoContent> DeleteAsync(long id, HttpContext http, CompilationService service, CancellationToken ct)
    {
        await service.DeleteAsync(http.Caller(), id, ct);
        return TypedResults.NoContent();
    }
}
