using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tccg.Server.Application;
using Tccg.Server.Auth;

namespace Tccg.Server.Features.Channels;

/// <summary>Saved channels beside games: <c>/api/v1/channels</c>, a thin layer over <see cref="ChannelsService"/>.</summary>
public static class ChannelsApi
{
    public static IServiceCollection AddChannelsFeature(this IServiceCollection services)
    {
        services.AddScoped<ChannelsService>();
        return services;
    }

    public static RouteGroupBuilder MapChannelsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/channels").WithTags("Channels");
        group.MapGet("/", async (HttpContext http, ChannelsService service, CancellationToken ct) =>
                TypedResults.Ok(await service.ListAsync(http.Caller(), ct)))
            .RequireAuthorization(Policies.Editor).WithName("ListChannels").WithSummary("Saved channels with clip counts per status and automation state");
        group.MapGet("/{id:long}", async (long id, HttpContext http, ChannelsService service, CancellationToken ct) =>
                TypedResults.Ok(await service.GetAsync(http.Caller(), id, ct)))
            .RequireAuthorization(Policies.Editor).WithName("GetChannel").WithSummary("One saved channel");
        group.MapPost("/", async (AddChannelRequest request, HttpContext http, ChannelsService service, CancellationToken ct) =>
                {
                    var view = await service.AddAsync(http.Caller(), request, ct);
                    return TypedResults.Created($"/api/v1/channels/{view.Id}", view);
                })
            .RequireAuthorization(Policies.Admin).WithName("AddChannel").WithSummary("Add a channel by its Twitch login");
        group.MapPut("/{id:long}", async (long id, UpdateChannelRequest request, HttpContext http, ChannelsService service, CancellationToken ct) =>
                TypedResults.Ok(await service.UpdateAsync(http.Caller(), id, request, ct)))
            .RequireAuthorization(Policies.Admin).WithName("UpdateChannel").WithSummary("Enable/disable a channel, set its filters and schedule");
        group.MapDelete("/{id:long}", async (long id, HttpContext http, ChannelsService service, CancellationToken ct) =>
                {
                    await service.RemoveAsync(http.Caller(), id, ct);
                    return TypedResults.NoContent();
                })
            .RequireAuthorization(Policies.Admin).WithName("RemoveChannel").WithSummary("Remove a saved channel (its clips stay in the bin)");
        return api;
    }
}
