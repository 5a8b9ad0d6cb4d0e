using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Tccg.Twitch.Automation;

public static class AutomationRegistration
{
    /// <summary>
    /// Automatic mode for <c>tccg server</c>: the Twitch clients and the <see cref="AutomationService"/> hosted service
    /// with its <see cref="AutomationState"/> singleton. Needs <c>AddTccgStorage()</c> and <c>AddTccgMedia()</c>.
    /// </summary>
    public static IServiceCollection AddTccgAutomation(this IServiceCollection services, Action<AutomationOptions>? configure = null)
    {
        services.AddTccgTwitch();
        services.AddOptions<AutomationOptions>();
        if (configure is not null)
            services.Configure(configure);
        services.TryAddSingleton<AutomationState>();
        services.TryAddSingleton<AutomationService>();
        services.AddHostedService(sp => sp.GetRequiredService<AutomationService>());
        return services;
    }
}
