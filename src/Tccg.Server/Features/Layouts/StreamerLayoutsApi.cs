using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tccg.Core.Timeline;
using Tccg.Server.Application;
using Tccg.Server.Auth;

namespace Tccg.Server.Features.Layouts;

/// <summary><c>/api/v1/streamers/…/layout</c>: the facecam layout remembered per broadcaster. Rules: <see cref="StreamerLayoutService"/>.</summary>
public static class StreamerLayoutsApi
{
    public static IServiceCollection AddStreamerLayoutsFeature(this IServiceCollection services) =>
        services.AddSingleton<StreamerLayoutService>();

    public static RouteGroupBuilder MapStreamerLayoutsApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/streamers").WithTags("Layouts").RequireAuthorization(Policies.Editor);
        g.MapGet("/layouts", ListAsync).WithName("ListStreamerLayouts").WithSummary("Every remembered facecam layout, most recently changed first");
        g.MapGet("/{broadcasterId}/layout", GetAsync).WithName("GetStreamerLayout").WithSummary("The facecam layout remembered for a broadcaster (404 when none)");
        g.MapPut("/{broadcasterId}/layout", SetAsync).WithName("SetStreamerLayout")
            .WithSummary("Remember a facecam layout (stacked or crop) for a broadcaster: the default of their clips in vertical compilations");
        g.MapDelete("/{broadcasterId}/layout", ResetAsync).WithName("ResetStreamerLayout")
            .WithSummary("Forget a broadcaster's facecam layout (their clips fall back to Twitch's boxes)");
        return api;
    }

    public static async Task<Ok<StreamerLayoutView[]>> ListAsync(HttpContext http, StreamerLayoutService service, CancellationToken ct) =>
        TypedResults.Ok((await service.ListAsync(http.Caller(), ct)).ToArray());

    public static async Task<Ok<StreamerLayoutView>> GetAsync(string broadcasterId, HttpContext http, StreamerLayoutService service, CancellationToken ct) =>
        TypedResults.Ok(await service.GetAsync(http.Caller(), broadcasterId, ct));

    public static async Task<Ok<StreamerLayoutView>> SetAsync(
        string broadcasterId, LayoutSection? layout, HttpContext http, StreamerLayoutService service, CancellationToken ct) =>
        TypedResults.Ok(await service.SetAsync(http.Caller(), broadcasterId, layout, ct));

    public static async Task<NoContent> ResetAsync(string broadcasterId, HttpContext http, StreamerLayoutService service, CancellationToken ct)
    {
        await service.ResetAsync(http.Caller(), broadcasterId, ct);
        return TypedResults.NoContent();
    }
}
