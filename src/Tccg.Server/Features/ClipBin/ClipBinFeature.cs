using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Tccg.Core.Configuration;
using Tccg.Twitch.Automation;
using Tccg.Twitch.Downloads;

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
        services.AddSingleton<ClipMediaService>();
        services.AddSingleton<ClipBrowserService>();
        services.AddSingleton<ClipActionsService>();
        services.AddSingleton<ClipMediaPreparer>();
        services.AddSingleton<IClipDownloadedHook>(sp => sp.GetRequiredService<ClipMediaPreparer>());
        services.AddHostedService(sp => sp.GetRequiredService<ClipMediaPreparer>());
        return services;
    }

    public static RouteGroupBuilder MapClipBinApi(this RouteGroupBuilder api)
    {
        api.MapGamesApi();
        api.MapClipsApi();
        api.MapAutomationApi();
        api.MapClipMediaApi();
        api.MapClipActionsApi();
        return api;
    }
}
