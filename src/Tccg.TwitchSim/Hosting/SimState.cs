using Microsoft.Extensions.Logging;
using Tccg.TwitchSim.Cdn;
using Tccg.TwitchSim.Helix;
using Tccg.TwitchSim.World;

namespace Tccg.TwitchSim.Hosting;

/// <summary>Everything the endpoints share: the world, the clock, the knobs and the counters.</summary>
internal sealed class SimState
{
    private volatile string _clipAccessHash;

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
        _clipAccessHash = options.ClipAccessHash;
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

    public string ClipAccessHash
    {
        get => _clipAccessHash;
        set => _clipAccessHash = value;
    }
}
