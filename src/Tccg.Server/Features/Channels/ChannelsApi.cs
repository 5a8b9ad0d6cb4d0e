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
        group.MapGet("/", (HttpContext http, ChannelsService service, CancellationToken ct) =>
                Run(async () => TypedResults.Ok(await service.ListAsync(http.Caller(), ct))))
            .RequireAuthorization(Policies.Editor).WithName("ListChannels").WithSummary("Saved channels with clip counts per status and automation state");
        group.MapGet("/{id:long}", (long id, HttpContext http, ChannelsService service, CancellationToken ct) =>
                Run(async () => TypedResults.Ok(await service.GetAsync(http.Caller(), id, ct))))
            .RequireAuthorization(Policies.Editor).WithName("GetChannel").WithSummary("One saved channel");
        group.MapPost("/", (AddChannelRequest request, HttpContext http, ChannelsService service, CancellationToken ct) =>
                Run(async () =>
                {
                    var view = await service.AddAsync(http.Caller(), request, ct);
                    return TypedResults.Created($"/api/v1/channels/{view.Id}", view);
                }))
            .RequireAuthorization(Policies.Admin).WithName("AddChannel").WithSummary("Add a channel by its Twitch login");
        group.MapPut("/{id:long}", (long id, UpdateChannelRequest request, HttpContext http, ChannelsService service, CancellationToken ct) =>
                Run(async () => TypedResults.Ok(await service.UpdateAsync(http.Caller(), id, request, ct))))
            .RequireAuthorization(Policies.Admin).WithName("UpdateChannel").WithSummary("Enable/disable a channel, set its filters and schedule");
        group.MapDelete("/{id:long}", (long id, HttpContext http, ChannelsService service, CancellationToken ct) =>
                Run(async () =>
                {
                    await service.RemoveAsync(http.Caller(), id, ct);
                    return TypedResults.NoContent();
                }))
            .RequireAuthorization(Policies.Admin).WithName("RemoveChannel").WithSummary("Remove a saved channel (its clips stay in the bin)");
        return api;
    }

    /// <summary>Runs a handler; a <see cref="RuleException"/> becomes a problem with its status, naming the fields.</summary>
    private static async Task<IResult> Run<T>(Func<Task<T>> handler) where T : IResult
    {
        try
        {
            return await handler();
        }
        catch (RuleException e)
        {
            return RuleProblems.Problem(e);
        }
    }
}
