using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tccg.Server.Auth;
using Tccg.Twitch.Automation;

namespace Tccg.Server.Features.ClipBin;

public sealed record AutomationView(bool Enabled, bool Running, DateTimeOffset? LastTick, IReadOnlyList<GameAutomationStatus> Games);

/// <summary>The automatic finder/downloader: live state for everyone, "run now" for admins.</summary>
public static class AutomationApi
{
    public static RouteGroupBuilder MapAutomationApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/automation").WithTags("Automation");
        group.MapGet("/", Get).RequireAuthorization(Policies.Editor)
            .WithName("GetAutomation").WithSummary("Finder/downloader state and progress per game");
        group.MapPost("/run", Run).RequireAuthorization(Policies.Admin)
            .WithName("RunAutomation").WithSummary("Run the finder and downloader for every enabled game now");
        return api;
    }

    public static Ok<AutomationView> Get(AutomationState state, IServiceProvider services) =>
        TypedResults.Ok(new AutomationView(services.GetService<AutomationService>() is not null, state.Running, state.LastTick, state.Games));

    public static Results<Accepted<AutomationView>, ProblemHttpResult> Run(
        AutomationState state, IServiceProvider services, IHostApplicationLifetime lifetime)
    {
        if (services.GetService<AutomationService>() is not { } automation)
            return TypedResults.Problem(statusCode: 409, title: "Automation is off", detail: "Set Tccg:Server:Automation to true and restart the server.");
        if (state.Running)
            return TypedResults.Problem(statusCode: 409, title: "The finder/downloader is already running.");
        // Runs in the background; progress shows in GET /api/v1/automation.
        _ = Task.Run(() => automation.RunOnceAsync(lifetime.ApplicationStopping), lifetime.ApplicationStopping);
        return TypedResults.Accepted("/api/v1/automation", new AutomationView(true, true, state.LastTick, state.Games));
    }
}
