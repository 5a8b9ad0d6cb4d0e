using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tccg.Core.Clips;
using Tccg.Core.Twitch;
using Tccg.Twitch.Downloads;
using Tccg.Twitch.Official;
using Tccg.TwitchSim;

namespace Tccg.Twitch.Tests;

/// <summary>
/// Official downloads in batches against the simulator's <c>/helix/clips/downloads</c> (at most 10 clip ids a call,
/// a per-user rate limit with Ratelimit-* headers, URLs that expire, landscape URLs that may be null).
/// </summary>
public sealed class OfficialBatchTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    /// <summary>A world whose clips all belong to one channel, found, with an account connected that edits it.</summary>
    private static async Task<(TwitchWorld World, string Channel)> ConnectedAsync(int clips, Action<TwitchSimOptions>? sim = null)
    {
        var world = await TwitchWorld.StartAsync(clips: clips, sim: o =>
        {
            o.BroadcasterCount = 1;
            o.DuplicateRate = 0;
            sim?.Invoke(o);
        });
        var game = await world.AddGameAsync();
        await world.Finder.FindAsync(game, ClipPeriod.Week, null, Ct);
        var channel = (await world.AllClipsAsync()).Select(c => c.BroadcasterId).Distinct().Single();
        world.Sim.AuthorizeAs(channel);
        var accounts = world.Services.GetRequiredService<TwitchAccounts>();
        const string redirect = "http://127.0.0.1:9/api/v1/twitch/oauth/callback";
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var approved = await browser.GetAsync(new Uri(accounts.AuthorizeUrl(redirect, "st4te")));
        var code = System.Web.HttpUtility.ParseQueryString(approved.Headers.Location!.Query)["code"]!;
        await accounts.ConnectAsync(code, redirect, null, [], Ct);
        return (world, channel);
    }

    [Fact]
    public async Task TwentyThreeClipsOfAChannel_CostThreeCalls_AndANullLandscapeGoesByGql()
    {
        var (world, _) = await ConnectedAsync(clips: 23);
        await using var _w = world;
        var creating = (await world.AllClipsAsync())[5].TwitchClipId;
        world.Sim.SetClipCreating(creating); // Twitch answers it with a null landscape URL (and GQL says: not ready)

        var result = await world.Downloader.DownloadAsync(new DownloadRequest(null, 100), null, Ct);

        Assert.Equal(22, result.Downloaded);
        Assert.Equal(1, result.NotReady);
        var official = world.Services.GetRequiredService<OfficialClipUrls>();
        Assert.Equal(3, official.Calls);                         // ceil(23 / 10)
        Assert.Equal(3, world.Sim.Counters.OfficialDownloads);
        Assert.Equal(23, world.Sim.Counters.OfficialDownloadClips);
        Assert.Equal(22, official.Served);
        Assert.Equal(0, world.Sim.Counters.RateLimited);
        Assert.InRange(world.Sim.Counters.GqlOperations, 1, 4);  // only the clip without a landscape URL (once per way tried)
        Assert.Equal(ClipStatus.Found, (await world.AllClipsAsync()).Single(c => c.TwitchClipId == creating).Status);
    }

    [Fact]
    public async Task SpentBudget_SendsTheRestByGql_WithoutA429()
    {
        var (world, _) = await ConnectedAsync(clips: 25, sim: o => o.ClipDownloadsPerMinute = 1);
        await using var _w = world;

        var result = await world.Downloader.DownloadAsync(new DownloadRequest(null, 100), null, Ct);

        Assert.Equal(25, result.Downloaded);
        var official = world.Services.GetRequiredService<OfficialClipUrls>();
        Assert.Equal(1, official.Calls);      // the bucket (1 a minute here, 100 on Twitch) said Remaining 0 after it
        Assert.Equal(10, official.Served);
        Assert.Equal(0, world.Sim.Counters.RateLimited);
        Assert.InRange(world.Sim.Counters.GqlOperations, 15, 15 + 4);
    }

    [Fact]
    public async Task CachedUrls_AreUsedUntilTheyExpire_ThenAskedForAgain()
    {
        var (world, channel) = await ConnectedAsync(clips: 12, sim: o => o.OfficialDownloadLifetime = TimeSpan.FromSeconds(4));
        await using var _w = world;
        var clips = (await world.AllClipsAsync()).Select(c => c.TwitchClipId).ToList();
        var official = world.Services.GetRequiredService<OfficialClipUrls>();
        official.Expect(clips.Select(c => (c, (string?)channel)));
        using var http = new HttpClient();

        var first = await official.TryResolveAsync(clips[0], channel, Ct);
        var second = await official.TryResolveAsync(clips[1], channel, Ct);
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Equal(1, official.Calls);      // the second came with the first call
        var expires = OfficialClipUrls.ExpiryOf(second.Url);
        Assert.NotNull(expires);

        // Past the expiry the CDN refuses the old URL, and the resolver asks again instead of handing it out.
        await Task.Delay(expires.Value - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(300));
        using (var stale = await http.GetAsync(second.Url))
            Assert.Equal(HttpStatusCode.Forbidden, stale.StatusCode);
        var again = await official.TryResolveAsync(clips[1], channel, Ct);
        Assert.NotNull(again);
        Assert.Equal(2, official.Calls);
        Assert.NotEqual(second.Url, again.Url);
        using (var fresh = await http.GetAsync(again.Url))
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);

        // A URL the CDN refused before its time is forgotten on request, and the next resolve asks Twitch.
        official.Forget(clips[1]);
        Assert.NotNull(await official.TryResolveAsync(clips[1], channel, Ct));
        Assert.Equal(3, official.Calls);
    }

    [Fact]
    public void Expiry_IsReadFromTheSignedToken_OrAnExpiresParameter()
    {
        var token = Uri.EscapeDataString("{\"clip_slug\":\"x\",\"expires\":1900000000}");
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_900_000_000), OfficialClipUrls.ExpiryOf(new Uri("https://cdn.example/a.mp4?sig=ab&token=" + token)));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000), OfficialClipUrls.ExpiryOf(new Uri("https://cdn.example/a.mp4?Expires=1800000000&Signature=x")));
        Assert.Null(OfficialClipUrls.ExpiryOf(new Uri("https://cdn.example/a.mp4")));
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        Assert.Equal(now + OfficialClipUrls.UnknownLifetime, OfficialClipUrls.UsableUntil(new Uri("https://cdn.example/a.mp4"), now));
        // A 5-minute URL is handed out until 30 s before it expires; a 4-second one until 1 s before.
        Assert.Equal(now.AddSeconds(270), OfficialClipUrls.UsableUntil(new Uri("https://cdn.example/a.mp4?Expires=1800000300"), now));
        Assert.Equal(now.AddSeconds(3), OfficialClipUrls.UsableUntil(new Uri("https://cdn.example/a.mp4?Expires=1800000004"), now));
    }
}
