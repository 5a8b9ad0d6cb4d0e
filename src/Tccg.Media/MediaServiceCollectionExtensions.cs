using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tccg.Media.Loudness;
using Tccg.Media.Processes;
using Tccg.Media.Probing;
using Tccg.Media.Rendering;

namespace Tccg.Media;

public static class MediaServiceCollectionExtensions
{
    /// <summary>
    /// Registers the ffmpeg/ffprobe runner, <see cref="MediaProbe"/>, <see cref="LoudnessMeter"/>, <see cref="MediaInspector"/>,
    /// <see cref="FontResolver"/> and <see cref="Renderer"/>. Pass <paramref name="tools"/> to use
    /// ffmpeg/ffprobe from somewhere other than PATH.
    /// </summary>
    public static IServiceCollection AddTccgMedia(this IServiceCollection services, MediaTools? tools = null)
    {
        services.AddOptions();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(tools ?? MediaTools.Default);
        services.TryAddSingleton<MediaProcessRunner>();
        services.TryAddSingleton<MediaProbe>();
        services.TryAddSingleton<LoudnessMeter>();
        services.TryAddSingleton<MediaInspector>();
        services.TryAddSingleton<FontResolver>();
        services.TryAddSingleton<Renderer>();
        return services;
    }
}
