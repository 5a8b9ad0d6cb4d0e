using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Tccg.Core.Configuration;
using Tccg.Twitch.Automation;

namespace Tccg.Server.Features.ClipBin;

/// <summary>Games, clips, clip media and the automatic finder/downloader.</summary>
public static class ClipBinFeature
{
    public static IServiceCollection AddClipBinFeature(this IServiceCollection services, IConfiguration configuration)
    {
        var automation = configuration.GetValue(ServerOptions.Section + ":Automation", new ServerOptions().Automation);
        if (automation)
            services.AddTccgAutomation();
        else
            services.AddSingleton<AutomationState>();
        services.AddSingleton<ClipBinService>();
        return services;
    }

    public static RouteGroupBuilder MapClipBinApi(this RouteGroupBuilder api)
    {
        api.MapGamesApi();
        api.MapClipsApi();
        api.MapAutomationApi();
        return api;
    }
}
