using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tccg.TwitchSim.Auth;
using Tccg.TwitchSim.Cdn;
using Tccg.TwitchSim.Gql;
using Tccg.TwitchSim.Helix;
using Tccg.TwitchSim.Hosting;
using Tccg.TwitchSim.World;

namespace Tccg.TwitchSim;

/// <summary>
/// The Twitch simulator on loopback: id.twitch.tv (client credentials), Helix (games, users, clips), GQL
/// (ShareClipRenderStatus) and a signed clip CDN serving real MP4s. Seeded and deterministic.
/// <code>await using var sim = await TwitchSimHost.StartAsync(new TwitchSimOptions { Seed = 1 }, ct);</code>
/// </summary>
public sealed class TwitchSimHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SimState _state;

    private TwitchSimHost(WebApplication app, SimState state)
    {
        _app = app;
        _state = state;
    }

    /// <summary><c>http://127.0.0.1:PORT</c> (no trailing slash), or <see cref="TwitchSimOptions.PublicBaseUrl"/> when set.</summary>
    public string BaseUrl => _state.BaseUrl;

    /// <summary>The address Kestrel is bound to, <c>http://127.0.0.1:PORT</c>, whatever <see cref="BaseUrl"/> says.</summary>
    public string BoundUrl => _state.BoundUrl;

    /// <summary>What <c>Tccg:Twitch:AuthBaseUrl</c> should be (the token endpoint is <c>{AuthBaseUrl}/oauth2/token</c>).</summary>
    public string AuthBaseUrl => BaseUrl;

    /// <summary>What <c>Tccg:Twitch:HelixBaseUrl</c> should be.</summary>
    public string HelixBaseUrl => BaseUrl + "/helix";

    /// <summary>What <c>Tccg:Twitch:GqlUrl</c> should be.</summary>
    public string GqlUrl => BaseUrl + "/gql";

    public string ClientId => _state.Options.ClientId;
    public string ClientSecret => _state.Options.ClientSecret;
    public string GqlClientId => _state.Options.GqlClientId;

    /// <summary>The persisted-query hash GQL accepts right now.</summary>
    public string ClipAccessHash => _state.ClipAccessHash;

    /// <summary>The seeded world, for assertions.</summary>
    public SimWorld World => _state.World;

    public SimCounters Counters => _state.Counters;
    public TwitchSimOptions Options => _state.Options;

    /// <summary>Live fault settings for Helix; change them while the simulator runs.</summary>
    public SimFaultOptions HelixFaults => _state.HelixFaults.Faults;

    public SimFaultOptions GqlFaults => _state.GqlFaults.Faults;
    public SimFaultOptions CdnFaults => _state.CdnFaults.Faults;

    /// <summary>The <c>Tccg:Twitch:*</c> settings that point tccg at this simulator.</summary>
    public IReadOnlyDictionary<string, string> TccgConfiguration => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Tccg:Twitch:ClientId"] = ClientId,
        ["Tccg:Twitch:ClientSecret"] = ClientSecret,
        ["Tccg:Twitch:AuthBaseUrl"] = AuthBaseUrl,
        ["Tccg:Twitch:HelixBaseUrl"] = HelixBaseUrl,
        ["Tccg:Twitch:GqlUrl"] = GqlUrl,
        ["Tccg:Twitch:GqlClientId"] = GqlClientId,
        ["Tccg:Twitch:ClipAccessHash"] = ClipAccessHash,
        ["Tccg:Twitch:VideoAccessTokenHash"] = VideoAccessTokenHash,
    };

    public static async Task<TwitchSimHost> StartAsync(TwitchSimOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var anchor = options.Anchor ?? FloorToHour(options.TimeProvider.GetUtcNow());
        var world = WorldGenerator.Generate(options, anchor);
        var state = new SimState(options, world, loggerFactory);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "Tccg.TwitchSim" });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton(state);
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(System.Net.IPAddress.Loopback, options.Port);
            k.Limits.MaxRequestBodySize = 1024 * 1024;
        });

        var app = builder.Build();
        app.Use((context, next) => SimGate.InvokeAsync(context, next, state));
        app.MapOAuth();
        app.MapUserOAuth();
        app.MapClipDownloads();
        app.MapHelix();
        app.MapGql();
        app.MapCdn();
        app.MapFallback((HttpContext context) => TwitchJson.Error(404, "Not Found"));

        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.First();
        var bound = new Uri(address).GetLeftPart(UriPartial.Authority).Replace("localhost", "127.0.0.1", StringComparison.Ordinal);
        state.BoundUrl = bound;
        state.BaseUrl = options.PublicBaseUrl?.TrimEnd('/') ?? bound;
        return new TwitchSimHost(app, state);
    }

    /// <summary>
    /// Makes GQL answer <c>PersistedQueryNotFound</c> for every ShareClipRenderStatus hash but a new one (Twitch
    /// rotated it); VideoAccessToken_Clip is left as it is. Returns the new hash.
    /// </summary>
    public string RotateClipAccessHash(string? newHash = null) => Rotate(Gql.GqlEndpoint.ShareClipRenderStatus, newHash);

    /// <summary>The same for <c>VideoAccessToken_Clip</c>. Returns the new hash.</summary>
    public string RotateVideoAccessTokenHash(string? newHash = null) => Rotate(Gql.GqlEndpoint.VideoAccessTokenClip, newHash);

    /// <summary>
    /// Exactly these (operation, hash) pairs are answered from now on; everything else is <c>PersistedQueryNotFound</c>.
    /// None: every way is stale. Operations: <c>ShareClipRenderStatus</c>, <c>VideoAccessToken_Clip</c>.
    /// </summary>
    public void AcceptGql(params GqlWayAccepted[] ways) => _state.GqlAccepted = [.. ways];

    /// <summary>What GQL answers right now.</summary>
    public IReadOnlyList<GqlWayAccepted> AcceptedGql => _state.GqlAccepted;

    /// <summary>The VideoAccessToken_Clip hash GQL accepts right now ("" when none).</summary>
    public string VideoAccessTokenHash =>
        _state.GqlAccepted.FirstOrDefault(w => w.Operation == Gql.GqlEndpoint.VideoAccessTokenClip)?.Hash ?? "";

    /// <summary>The Twitch user who approves the next <c>/oauth2/authorize</c> (default: the first broadcaster).</summary>
    public void AuthorizeAs(string userId) => _state.UserTokens.AuthorizingUserId = userId;

    /// <summary>Makes these users editors of the broadcaster's channel (replacing earlier ones).</summary>
    public void SetEditors(string broadcasterId, params string[] editorUserIds) => _state.UserTokens.SetEditors(broadcasterId, editorUserIds);

    /// <summary>Every user access token issued so far expires (refresh tokens still work).</summary>
    public void ExpireUserTokens() => _state.UserTokens.ExpireAll();

    private string Rotate(string operation, string? newHash)
    {
        var hash = newHash ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        _state.GqlAccepted = [.. _state.GqlAccepted.Where(w => w.Operation != operation), new GqlWayAccepted(operation, hash)];
        return hash;
    }

    /// <summary>Deletes a clip: Helix stops listing it, GQL answers <c>clip: null</c>, the CDN refuses its media.</summary>
    public void DeleteClip(string clipId)
    {
        Clip(clipId).IsDeleted = true;
        _state.Clips.Invalidate();
    }

    /// <summary>Puts a clip in (or out of) <c>CREATING</c>: GQL lists its qualities with empty source URLs.</summary>
    public void SetClipCreating(string clipId, bool creating = true) => Clip(clipId).IsCreating = creating;

    /// <summary>Makes the CDN answer 200 with an HTML error page instead of the clip's MP4 (or serve it again).</summary>
    public void SetClipMediaBroken(string clipId, bool broken = true) => Clip(clipId).IsMediaBroken = broken;

    /// <summary>Every app token issued so far becomes invalid (the next Helix call with one gets 401).</summary>
    public void ExpireTokens() => _state.Tokens.ExpireAll();

    /// <summary>Refills every rate-limit bucket.</summary>
    public void ResetRateLimits() => _state.RateLimiter.Reset();

    /// <summary>
    /// Makes the media files the CDN will serve ahead of time (ffmpeg runs once per format), so the first
    /// downloads are not slowed by encoding. Worth it for <see cref="MediaSize.Full"/> (about 30 s of encoding on
    /// two cores); small media takes a few seconds at most. Returns the number of files made or found.
    /// </summary>
    public async Task<int> PrepareMediaAsync(CancellationToken cancellationToken = default)
    {
        var specs = new HashSet<MediaSpec>();
        foreach (var clip in _state.World.Clips)
        {
            foreach (var (profile, portrait) in new[] { (clip.Profile, false), (MediaProfile.Vertical1080x1920, true) })
            {
                if (portrait && !clip.HasPortrait)
                    continue;
                var (quality, fps) = MediaSpec.Qualities(profile)[0];
                var spec = MediaSpec.For(profile, quality, fps, _state.Options.MediaSize, clip.Duration, clip.Id, _state.Options.FullSizeMaxSeconds);
                // Full size: the longest file per format; shorter ones are quick cuts of it. With distinct audio, each
                // clip's own melody is muxed over that video when the clip is first fetched.
                specs.Add(_state.Options.MediaSize == MediaSize.Full ? spec with { Deciseconds = MediaSpec.MaxDeciseconds(_state.Options.FullSizeMaxSeconds) } : spec);
            }
        }

        foreach (var spec in specs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await _state.Media.GetAsync(spec);
        }

        return specs.Count;
    }

    /// <summary>A signed media URL for a clip's best landscape quality, as a client would build it from GQL.</summary>
    public string SignedMediaUrl(string clipId)
    {
        var clip = Clip(clipId);
        var (signature, value) = _state.Signer.Sign(clip.Id, _state.Options.PlaybackTokenLifetime);
        var quality = MediaSpec.Qualities(clip.Profile)[0].Quality;
        return $"{CdnEndpoints.SourceUrl(BaseUrl, clip, portrait: false, quality)}?sig={signature}&token={Uri.EscapeDataString(value)}";
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _state.Media.Dispose();
        _state.CdnLink.Dispose();
    }

    private SimClip Clip(string clipId) =>
        _state.World.ClipsById.TryGetValue(clipId, out var clip)
            ? clip
            : throw new ArgumentException($"No clip {clipId} in the simulated world.", nameof(clipId));

    private static DateTimeOffset FloorToHour(DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }
}
