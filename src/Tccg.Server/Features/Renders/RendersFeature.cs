using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tccg.Core.Configuration;
using Tccg.Storage.Renders;

namespace Tccg.Server.Features.Renders;

public static class RendersFeature
{
    /// <summary>
    /// The render queue: the notifying job store, the queue signal, the progress notifier, the lease
    /// sweeper and (unless <c>Tccg:Server:InProcessGenerator</c> is false) the in-process generator.
    /// </summary>
    public static IServiceCollection AddRendersFeature(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<RenderQueueSignal>();
        services.TryAddSingleton<RenderProgressNotifier>();
        services.TryAddSingleton<RenderFiles>();
        services.TryAddSingleton<RenderPosters>();
        services.TryAddSingleton<RenderService>();
        services.TryAddSingleton<RenderJobStore>();
        services.Replace(ServiceDescriptor.Singleton<IRenderJobStore>(sp => new NotifyingRenderJobStore(
            sp.GetRequiredService<RenderJobStore>(), sp.GetRequiredService<RenderQueueSignal>(), sp.GetRequiredService<RenderProgressNotifier>())));
        services.AddHostedService<LeaseSweeper>();
        if (configuration.GetValue(ServerOptions.Section + ":" + nameof(ServerOptions.InProcessGenerator), true))
            services.AddHostedService<InProcessGenerator>();
        return services;
    }
}
