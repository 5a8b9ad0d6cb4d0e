using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;
using Tccg.Core.Configuration;
using Tccg.Twitch.Downloads;
using Tccg.Twitch.Finder;
using Tccg.Twitch.Gql;
using Tccg.Twitch.Helix;
using Tccg.Twitch.Security;

namespace Tccg.Twitch;

public static class TwitchServiceCollectionExtensions
{
    public const string AuthClient = "twitch-auth";
    public const string MediaClient = "twitch-media";

    /// <summary>
    /// The Twitch clients, configured from <see cref="TwitchOptions"/>: <see cref="HelixClient"/> (auth → pacing →
    /// retries → observed per attempt), <see cref="ClipUrlResolver"/> (GQL, retried) and a media client for clip files;
    /// plus <see cref="ClipFinder"/>, <see cref="ClipDownloader"/> and <see cref="ClipBinMaintenance"/>, which need
    /// <c>AddTccgStorage()</c> and <c>AddTccgMedia()</c>.
    /// </summary>
    public static IServiceCollection AddTccgTwitch(this IServiceCollection services)
    {
        // Idempotent: a second call would put every handler (and the rate-limit gate) into the pipelines twice.
        if (services.Any(d => d.ServiceType == typeof(TwitchRegistrationMarker)))
            return services;
        services.AddSingleton<TwitchRegistrationMarker>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<TwitchHttpOptions>();
        services.TryAddSingleton<HelixRateLimiter>();
        services.TryAddSingleton<TwitchTokenProvider>(sp => ActivatorUtilities.CreateInstance<TwitchTokenProvider>(
            sp, sp.GetRequiredService<IHttpClientFactory>().CreateClient(AuthClient)));
        services.TryAddTransient<TwitchAuthHandler>();
        services.TryAddTransient<RateLimitGateHandler>();
        services.TryAddTransient<RateLimitObserverHandler>();

        services.TryAddTransient<Gql.TwitchRequestHandler>();
        services.TryAddSingleton<DownloadSettingsProvider>();
        services.TryAddSingleton<Official.OfficialClipUrls>();
        services.TryAddTransient<Official.TwitchAccounts>();
        services.TryAddTransient<Doctor.TwitchDoctor>();
        // Refresh tokens of connected accounts are protected with the one key ring in the database, which the server,
        // every other server on that database and the CLI run as a separate process all read.
        services.AddSharedDataProtection();

        services.AddHttpClient(AuthClient).AddHttpMessageHandler<Gql.TwitchRequestHandler>().AddResilienceHandler("twitch-auth", AddApiResilience);
        services.AddHttpClient(Official.OfficialClipUrls.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .AddHttpMessageHandler<Gql.TwitchRequestHandler>()
            .AddResilienceHandler("twitch-official", AddApiResilience);

        var helix = services.AddHttpClient<HelixClient>((sp, http) =>
            {
                var o = sp.GetRequiredService<IOptions<TwitchOptions>>().Value;
                http.BaseAddress = new Uri(o.HelixBaseUrl.TrimEnd('/') + "/");
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddHttpMessageHandler<Gql.TwitchRequestHandler>()
            .AddHttpMessageHandler<TwitchAuthHandler>()
            .AddHttpMessageHandler<RateLimitGateHandler>();
        helix.AddResilienceHandler("helix", AddApiResilience);
        helix.AddHttpMessageHandler<RateLimitObserverHandler>();

        services.AddHttpClient<ClipUrlResolver>(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .AddHttpMessageHandler<Gql.TwitchRequestHandler>()
            .AddResilienceHandler("twitch-gql", AddApiResilience);

        services.TryAddTransient<ClipCollector>();
        services.TryAddTransient<ClipFinder>();
        services.TryAddTransient<ClipFileFetcher>();
        services.TryAddTransient<ClipDownloader>();
        services.TryAddTransient<ClipFingerprinter>();
        services.TryAddTransient<Channels.ChannelCatalog>();
        services.TryAddTransient<ClipBinMaintenance>();
        services.TryAddTransient<Games.GameCatalog>();

        // Clip files stream for as long as they need (the fetcher's stall timeout guards the body); getting the
        // response headers is retried on 5xx and connection failures. A body cut short is not retried here:
        // the clip fails and the downloader's back-off takes over.
        services.AddHttpClient(MediaClient, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AutomaticDecompression = DecompressionMethods.None,
                ConnectTimeout = TimeSpan.FromSeconds(15),
                MaxConnectionsPerServer = 64,
            })
            .AddResilienceHandler("twitch-media", (pipeline, context) =>
            {
                var tuning = context.ServiceProvider.GetRequiredService<IOptions<TwitchHttpOptions>>().Value;
                pipeline.TimeProvider = context.ServiceProvider.GetRequiredService<TimeProvider>();
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = tuning.MaxRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = tuning.RetryBaseDelay,
                    ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                });
            });
        return services;
    }

    /// <summary>Total timeout → jittered exponential retry (429 waits for <c>Ratelimit-Reset</c>) → attempt timeout.</summary>
    private static void AddApiResilience(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context)
    {
        var tuning = context.ServiceProvider.GetRequiredService<IOptions<TwitchHttpOptions>>().Value;
        var time = context.ServiceProvider.GetRequiredService<TimeProvider>();
        pipeline.TimeProvider = time;
        pipeline.AddTimeout(tuning.TotalTimeout);
        pipeline.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = tuning.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = tuning.RetryBaseDelay,
            MaxDelay = tuning.MaxRetryDelay,
            ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
            DelayGenerator = args => ValueTask.FromResult(RateLimitDelay(args.Outcome.Result, time)),
        });
        pipeline.AddTimeout(tuning.AttemptTimeout);
    }

    internal static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Result: { } r } => (int)r.StatusCode >= 500 || r.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests,
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        _ => false,
    };

    /// <summary>For 429: the time until <c>Ratelimit-Reset</c> (plus a little); otherwise null = the back-off.</summary>
    internal static TimeSpan? RateLimitDelay(HttpResponseMessage? response, TimeProvider time)
    {
        if (response?.StatusCode != HttpStatusCode.TooManyRequests)
            return null;
        var reset = HelixRateLimiter.ResetOf(response);
        var wait = reset is { } r ? r - time.GetUtcNow() : TimeSpan.FromSeconds(1);
        return (wait < TimeSpan.Zero ? TimeSpan.Zero : wait) + TimeSpan.FromMilliseconds(100);
    }
}

/// <summary>Marks a service collection that already has the Twitch clients.</summary>
internal sealed class TwitchRegistrationMarker;
