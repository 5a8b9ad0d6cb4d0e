using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tccg.Server.Application;
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

    public static Ok<AutomationView> Get(HttpContext http, ClipBinService service) => TypedResults.Ok(service.Automation(http.Caller()));

    public static Accepted<AutomationView> Run(HttpContext http, ClipBinService service) =>
        TypedResults.Accepted("/api/v1/automation", service.RunAutomation(http.Caller()));
}
