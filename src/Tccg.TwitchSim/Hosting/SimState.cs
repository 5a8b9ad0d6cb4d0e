using Microsoft.Extensions.Logging;
using Tccg.TwitchSim.Cdn;
using Tccg.TwitchSim.Gql;
using Tccg.TwitchSim.Helix;
using Tccg.TwitchSim.World;

namespace Tccg.TwitchSim.Hosting;

/// <summary>Everything the endpoints share: the world, the clock, the knobs and the counters.</summary>
internal sealed class SimState
{
    private volatile IReadOnlyList<GqlWayAccepted> _gqlAccepted;

    public SimState(TwitchSimOptions options, SimWorld world, ILoggerFactory loggerFactory)
    {
        Options = options;
        World = world;
        Time = options.TimeProvider;
        Tokens = new TokenStore(Time);
        RateLimiter = new RateLimiter(Time, options.RateLimitPoints, options.RateLimitWindow);
        HelixFaults = new FaultInjector(options.Seed, 1, options.HelixFaults.Clone());
        GqlFaults = new FaultInjector(options.Seed, 2, options.GqlFaults.Clone());
        CdnFaults = new FaultInjector(options.Seed, 3, options.CdnFaults.Clone());
        Clips = new ClipIndex(world, options);
        Signer = new PlaybackSigner(options.Seed, Time);
        Media = new MediaFactory(options, Counters, loggerFactory.CreateLogger<MediaFactory>());
        CdnLink = new CdnLink(options.CdnBytesPerSecond);
        _gqlAccepted =
        [
            new(GqlEndpoint.ShareClipRenderStatus, options.ClipAccessHash),
            new(GqlEndpoint.VideoAccessTokenClip, options.VideoAccessTokenHash),
        ];
        UserTokens = new UserTokenStore(Time);
        UserRateLimiter = new RateLimiter(Time, options.ClipDownloadsPerMinute, TimeSpan.FromMinutes(1));
    }

    public TwitchSimOptions Options { get; }
    public SimWorld World { get; }
    public TimeProvider Time { get; }
    public SimCounters Counters { get; } = new();
    public TokenStore Tokens { get; }
    public RateLimiter RateLimiter { get; }
    public FaultInjector HelixFaults { get; }
    public FaultInjector GqlFaults { get; }
    public FaultInjector CdnFaults { get; }
    public ClipIndex Clips { get; }
    public PlaybackSigner Signer { get; }
    public MediaFactory Media { get; }
    public CdnLink CdnLink { get; }

    /// <summary>The URL handed out to clients (<see cref="TwitchSimOptions.PublicBaseUrl"/> or the bound address).</summary>
    public string BaseUrl { get; set; } = "";

    /// <summary><c>http://127.0.0.1:PORT</c>, known once Kestrel is listening.</summary>
    public string BoundUrl { get; set; } = "";

    /// <summary>The (operation, hash) pairs GQL answers; anything else is <c>PersistedQueryNotFound</c>.</summary>
    public IReadOnlyList<GqlWayAccepted> GqlAccepted
    {
        get => _gqlAccepted;
        set => _gqlAccepted = value;
    }

    /// <summary>The first ShareClipRenderStatus hash accepted, or "" when that operation is refused.</summary>
    public string ClipAccessHash =>
        _gqlAccepted.FirstOrDefault(w => w.Operation == GqlEndpoint.ShareClipRenderStatus)?.Hash ?? "";

    public bool AcceptsGql(string? operation, string? hash) =>
        operation is not null && hash is not null && _gqlAccepted.Any(w => w.Operation == operation && w.Hash == hash);

    /// <summary>User tokens from the authorization-code flow (official clip downloads).</summary>
    public UserTokenStore UserTokens { get; }

    /// <summary><c>/helix/clips/downloads</c>: 100 requests a minute per user.</summary>
    public RateLimiter UserRateLimiter { get; }
}

