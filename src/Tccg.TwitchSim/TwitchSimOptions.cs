using Microsoft.Extensions.Logging;
using Tccg.Core.Configuration;

namespace Tccg.TwitchSim;

/// <summary>How large the MP4s the simulated CDN serves are.</summary>
public enum MediaSize
{
    /// <summary>320x180 (180x320 vertical) versions of every format, 2–4 s long: for tests.</summary>
    Small,

    /// <summary>The real resolution and frame rate, the clip's real duration capped at <see cref="TwitchSimOptions.FullSizeMaxSeconds"/>.</summary>
    Full,
}

/// <summary>What the GQL endpoint answers for very old clips (legacy thumbnail URL, see docs/twitch.md).</summary>
public enum LegacyGqlBehaviour
{
    /// <summary><c>clip.assets</c> is an empty array: the client must fall back to the thumbnail mapping.</summary>
    EmptyAssets,

    /// <summary>Answered like any other clip.</summary>
    Normal,
}

/// <summary>One seeded category: its clips are spread over <see cref="Span"/> before the world's anchor time.</summary>
/// <param name="Id">Helix game id, e.g. <c>509658</c>.</param>
/// <param name="Name">Exact category name, e.g. <c>Just Chatting</c>.</param>
/// <param name="ClipCount">How many (modern) clips to generate.</param>
/// <param name="Span">Clips are created between <c>anchor - Span</c> and the anchor.</param>
public sealed record SimGameSpec(string Id, string Name, int ClipCount, TimeSpan Span);

/// <summary>Faults injected into one surface (Helix, GQL or CDN). Rates are fractions 0..1, decided per request by seed.</summary>
public sealed class SimFaultOptions
{
    /// <summary>Fraction of requests answered with a 500 and Twitch's error JSON.</summary>
    public double ServerErrorRate { get; set; }

    /// <summary>Fraction of requests that are delayed by <see cref="Delay"/>.</summary>
    public double SlowRate { get; set; }

    /// <summary>How long a slow request waits before it is answered.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Fraction of responses that announce their full Content-Length, send half the body, then drop the connection.</summary>
    public double TruncateRate { get; set; }

    /// <summary>Fraction of responses that send half the body, stall for <see cref="Delay"/>, then send the rest.</summary>
    public double StallRate { get; set; }

    internal SimFaultOptions Clone() => (SimFaultOptions)MemberwiseClone();
}

/// <summary>Everything that shapes a simulator run. The same options (and anchor) give the same world.</summary>
public sealed class TwitchSimOptions
{
    /// <summary>Seeds the world (games, users, clips) and every per-request fault decision.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Loopback port; 0 picks a free one (see <see cref="TwitchSimHost.BaseUrl"/>).</summary>
    public int Port { get; set; }

    /// <summary>
    /// The base URL clients reach the simulator at, when not the bound <c>http://127.0.0.1:PORT</c> (behind a
    /// proxy path or a port mapping). Every URL the simulator hands out (thumbnails, CDN source URLs, the URLs
    /// on <see cref="TwitchSimHost"/>) starts with it. Null: the bound address.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Helix application credentials the simulator accepts.</summary>
    public string ClientId { get; set; } = "tccgsimclient0000000000000000";

    public string ClientSecret { get; set; } = "tccgsimsecret000000000000000";

    /// <summary>The Client-ID the GQL endpoint accepts (Twitch's web client id by default).</summary>
    public string GqlClientId { get; set; } = TwitchOptions.DefaultGqlClientId;

    /// <summary>The persisted-query hash of <c>ShareClipRenderStatus</c> the GQL endpoint accepts; rotate it at run time with <see cref="TwitchSimHost.RotateClipAccessHash"/>.</summary>
    public string ClipAccessHash { get; set; } = TwitchOptions.DefaultClipAccessHash;

    /// <summary>Lifetime of app access tokens (<c>expires_in</c>). Twitch gives about two months.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromDays(60);

    /// <summary>Lifetime of the GQL playback access token (its <c>expires</c>) that signs CDN URLs.</summary>
    public TimeSpan PlaybackTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Clock for tokens, rate-limit windows and signed URLs; a fake one lets tests expire things.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The world's "now": clips are created before it. Null means the current hour (from <see cref="TimeProvider"/>).</summary>
    public DateTimeOffset? Anchor { get; set; }

    /// <summary>Categories to seed; null means <see cref="DefaultGames"/>.</summary>
    public IReadOnlyList<SimGameSpec>? Games { get; set; }

    /// <summary>How many channels clips are spread over (Zipf-like: a few channels get most clips).</summary>
    public int BroadcasterCount { get; set; } = 60;

    /// <summary>Very old clips (2016–2018, legacy thumbnail URL) added to each game.</summary>
    public int LegacyClipsPerGame { get; set; } = 3;

    /// <summary>What GQL answers for legacy clips.</summary>
    public LegacyGqlBehaviour LegacyGql { get; set; } = LegacyGqlBehaviour.EmptyAssets;

    /// <summary>Fraction of clips cut from the same VOD moment as an earlier clip (overlapping vod_offset ranges).</summary>
    public double DuplicateRate { get; set; } = 0.05;

    /// <summary>Fraction of clips without a VOD (<c>video_id</c> "" and <c>vod_offset</c> null).</summary>
    public double NoVodRate { get; set; } = 0.15;

    /// <summary>Fraction of clips that also have a portrait (vertical) asset, listed first by GQL.</summary>
    public double PortraitRate { get; set; } = 0.2;

    /// <summary>Fraction of clips that stay <c>CREATING</c> in GQL (empty source URLs).</summary>
    public double CreatingRate { get; set; }

    /// <summary>Rate-limit bucket per client id (Twitch: 800 points per minute for app tokens).</summary>
    public int RateLimitPoints { get; set; } = 800;

    /// <summary>Rate-limit window; shorten it for fast tests.</summary>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many results one clips query reaches before pages start repeating earlier clips (Twitch: about 1,000).</summary>
    public int PaginationCap { get; set; } = 1000;

    /// <summary>How many pages of repeated clips follow the cap before the cursor disappears.</summary>
    public int RepeatPagesAfterCap { get; set; } = 3;

    /// <summary>Fraction of clips that also come back for windows that end (or start) just before (after) them.</summary>
    public double OutOfWindowRate { get; set; } = 0.02;

    /// <summary>How far outside a window such a clip may lie.</summary>
    public TimeSpan OutOfWindowMargin { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Faults for <c>/helix</c>; change them at run time through <see cref="TwitchSimHost.HelixFaults"/>.</summary>
    public SimFaultOptions HelixFaults { get; set; } = new();

    /// <summary>Faults for <c>/gql</c>.</summary>
    public SimFaultOptions GqlFaults { get; set; } = new();

    /// <summary>Faults for <c>/cdn</c> and the legacy media host.</summary>
    public SimFaultOptions CdnFaults { get; set; } = new();

    /// <summary>
    /// The CDN's bandwidth in bytes per second, one budget shared by all connections (a server's line, e.g.
    /// 50,000,000 for about 400 Mbit/s); 0 is unlimited (loopback speed). Faults and Range requests still apply.
    /// </summary>
    public long CdnBytesPerSecond { get; set; }

    /// <summary>Size of the served media.</summary>
    public MediaSize MediaSize { get; set; } = MediaSize.Small;

    /// <summary>Longest full-size clip file, in seconds.</summary>
    public int FullSizeMaxSeconds { get; set; } = 30;

    /// <summary>Where generated MP4s are cached (shared between runs: files are deterministic). Null: a folder in the temp directory.</summary>
    public string? MediaCacheDir { get; set; }

    /// <summary>The ffmpeg executable.</summary>
    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>Logging for the simulator's host; null logs nothing.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>A small world covering every category page of the demo: a few games, one busy enough to hit the 1,000 cap in a week.</summary>
    public static IReadOnlyList<SimGameSpec> DefaultGames { get; } =
    [
        new("509658", "Just Chatting", 1500, TimeSpan.FromDays(7)),
        new("21779", "League of Legends", 400, TimeSpan.FromDays(30)),
        new("32982", "Grand Theft Auto V", 300, TimeSpan.FromDays(30)),
        new("516575", "VALORANT", 300, TimeSpan.FromDays(30)),
        new("27471", "Minecraft", 250, TimeSpan.FromDays(30)),
        new("1469308723", "Software and Game Development", 60, TimeSpan.FromDays(30)),
    ];

    internal string ResolveMediaCacheDir() =>
        MediaCacheDir ?? Path.Combine(Path.GetTempPath(), "tccg-twitchsim-media");
}
