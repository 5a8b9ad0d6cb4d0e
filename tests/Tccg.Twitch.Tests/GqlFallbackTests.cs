using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tccg.Core.Clips;
using Microsoft.AspNetCore.DataProtection;
using Tccg.Core.Configuration;
using Tccg.Core.Twitch;
using Tccg.Twitch.Doctor;
using Tccg.Twitch.Downloads;
using Tccg.Twitch.Finder;
using Tccg.Twitch.Gql;
using Tccg.Twitch.Official;
using Tccg.TwitchSim;

namespace Tccg.Twitch.Tests;

/// <summary>Each step of the ways to a signed clip URL, against the simulator told which ways it still knows.</summary>
public sealed class GqlFallbackTests
{
    private const string SecondHash = "0a02bb974443b576f5579aab0fef1d4b7f44e58a8a256f0c5adfead0db70640f";
    private static readonly CancellationToken Ct = CancellationToken.None;

    private static async Task<TwitchWorld> FoundAsync(int clips = 8, long cdnBytesPerSecond = 0)
    {
        // No single ClipAccessHash: the default list (66038e29…, 0a02bb97…) and VideoAccessToken_Clip apply.
        var world = await TwitchWorld.StartAsync(clips: clips, sim: o => { o.DuplicateRate = 0; o.CdnBytesPerSecond = cdnBytesPerSecond; },
            settings: new() { ["Tccg:Twitch:ClipAccessHash"] = "" });
        var game = await world.AddGameAsync();
        await world.Finder.FindAsync(game, ClipPeriod.Week, null, Ct);
        return world;
    }

    private static Task<DownloadResult> DownloadAllAsync(TwitchWorld world, IProgress<DownloadProgress>? progress = null) =>
        world.Downloader.DownloadAsync(new DownloadRequest(null, 100), progress, Ct);

    private DownloadSettingsProvider Settings(TwitchWorld world) => world.Services.GetRequiredService<DownloadSettingsProvider>();

    [Fact]
    public async Task FirstHashStale_SecondHashAnswers_AndIsTriedFirstFromThenOn()
    {
        await using var world = await FoundAsync(clips: 12);
        world.Sim.AcceptGql(new GqlWayAccepted("ShareClipRenderStatus", SecondHash));
        var result = await DownloadAllAsync(world);
        Assert.Equal(12, result.Downloaded);
        // The first resolves (up to one per transfer worker) meet the stale hash; the rest start with the one that answered.
        var parallelism = world.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DownloaderOptions>>().Value.Parallelism;
        Assert.InRange(world.Sim.Counters.GqlOperations, 12 + 1, 12 + parallelism);
        Assert.Equal("ShareClipRenderStatus:" + SecondHash, await Settings(world).GetLastWayAsync(Ct));
    }

    [Fact]
    public async Task EveryShareClipRenderStatusHashStale_VideoAccessTokenClipAnswers()
    {
        await using var world = await FoundAsync();
        world.Sim.AcceptGql(new GqlWayAccepted("VideoAccessToken_Clip", TwitchOptions.DefaultVideoAccessTokenHash));
        var result = await DownloadAllAsync(world);
        Assert.Equal(8, result.Downloaded);
        Assert.All(await world.AllClipsAsync(), c => Assert.Equal(ClipStatus.Downloaded, c.Status));
        Assert.StartsWith("VideoAccessToken_Clip:", await Settings(world).GetLastWayAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EverythingStale_PausesWithTheFix_DoctorFails_AndANewHashAtRunTimeResumes()
    {
        await using var world = await FoundAsync();
        world.Sim.AcceptGql();
        var e = await Assert.ThrowsAsync<ClipAccessHashRotatedException>(() => DownloadAllAsync(world));
        Assert.Contains("tccg twitch set-hash --clip-access", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, e.Stale.Count);
        var pause = await Settings(world).GetPauseAsync(Ct);
        Assert.NotNull(pause);
        Assert.Equal(e.Message, pause.Message);

        // Paused: the next run does not even ask Twitch.
        var asked = world.Sim.Counters.GqlOperations;
        await Assert.ThrowsAsync<DownloadsPausedException>(() => DownloadAllAsync(world));
        Assert.Equal(asked, world.Sim.Counters.GqlOperations);

        var report = await world.Services.GetRequiredService<TwitchDoctor>().RunAsync(null, Ct);
        Assert.False(report.DownloadsWork);
        Assert.Contains(report.Lines, l => l.Check == "GQL verdict" && l.Verdict == DoctorVerdict.Failed);
        Assert.Equal(3, report.Lines.Count(l => l.Check.StartsWith("GQL ", StringComparison.Ordinal) && l.Detail.StartsWith("stale", StringComparison.Ordinal)));
        Assert.All(report.Lines.Where(l => l.Verdict != DoctorVerdict.Ok), l => Assert.False(string.IsNullOrEmpty(l.Fix)));

        // Twitch's new hash, set at run time in the same process (as the Admin page and `tccg twitch set-hash` do).
        var fresh = world.Sim.RotateClipAccessHash();
        await Settings(world).SaveAsync(null, [fresh], null, Ct);
        Assert.Null(await Settings(world).GetPauseAsync(Ct));
        var resumed = await DownloadAllAsync(world);
        Assert.Equal(8, resumed.Downloaded);

        var healthy = await world.Services.GetRequiredService<TwitchDoctor>().RunAsync(null, Ct);
        Assert.True(healthy.DownloadsWork, string.Join("\n", healthy.Lines));
        Assert.Contains(healthy.Lines, l => l.Check == "CDN" && l.Verdict == DoctorVerdict.Ok);
    }

    [Fact]
    public async Task HashRotatedMidRun_DownloadsKeepGoingOnTheNextWay()
    {
        // A slow line (200 kB/s shared) keeps most transfers ahead when the first clip lands and the hash rotates.
        await using var world = await FoundAsync(clips: 16, cdnBytesPerSecond: 200_000);
        var rotated = 0;
        var progress = new SyncProgress(p =>
        {
            if (p.Downloaded >= 1 && Interlocked.Exchange(ref rotated, 1) == 0)
                world.Sim.RotateClipAccessHash(); // only VideoAccessToken_Clip still matches our settings
        });
        var result = await DownloadAllAsync(world, progress);
        Assert.Equal(1, rotated);
        Assert.Equal(16, result.Downloaded);
        Assert.StartsWith("VideoAccessToken_Clip:", await Settings(world).GetLastWayAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RejectedClientId_PausesNamingTheClientId_AndSettingItResumes()
    {
        await using var world = await FoundAsync();
        await Settings(world).SaveAsync("notTheWebClientId", null, null, Ct);
        var e = await Assert.ThrowsAsync<GqlClientIdRejectedException>(() => DownloadAllAsync(world));
        Assert.Contains("--gql-client-id", e.Message, StringComparison.Ordinal);
        Assert.NotNull(await Settings(world).GetPauseAsync(Ct));
        await Settings(world).SaveAsync("", null, null, Ct); // back to configuration
        Assert.Equal(8, (await DownloadAllAsync(world)).Downloaded);
    }

    [Fact]
    public async Task ConnectedAccount_DownloadsItsChannelOfficially_OtherChannelsByGql()
    {
        await using var world = await FoundAsync(clips: 16);
        var clips = await world.AllClipsAsync();
        var mine = clips.GroupBy(c => c.BroadcasterId).OrderByDescending(g => g.Count()).First().Key;
        world.Sim.AuthorizeAs(mine);

        var accounts = world.Services.GetRequiredService<TwitchAccounts>();
        const string redirect = "http://127.0.0.1:9/api/v1/twitch/oauth/callback";
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var approved = await browser.GetAsync(new Uri(accounts.AuthorizeUrl(redirect, "st4te")));
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        var back = System.Web.HttpUtility.ParseQueryString(approved.Headers.Location!.Query);
        Assert.Equal("st4te", back["state"]);
        var connection = await accounts.ConnectAsync(back["code"]!, redirect, null, [], Ct);
        Assert.Equal(mine, connection.TwitchUserId);
        Assert.Equal([mine], connection.Channels);
        // Stored protected (Data Protection): the plain refresh token is nowhere in the database files.
        var plain = world.Services.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>()
            .CreateProtector("Tccg.Twitch.RefreshTokens.v1").Unprotect(connection.ProtectedRefreshToken);
        Assert.NotEqual(plain, connection.ProtectedRefreshToken);
        foreach (var file in Directory.GetFiles(world.Root, "tccg.db*"))
            Assert.DoesNotContain(plain, System.Text.Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file)), StringComparison.Ordinal);
        // A code is single-use.
        await Assert.ThrowsAsync<TwitchApiException>(() => accounts.ConnectAsync(back["code"]!, redirect, null, [], Ct));

        world.Sim.ExpireUserTokens(); // the first call refreshes the token
        var official = world.Services.GetRequiredService<OfficialClipUrls>();
        var result = await DownloadAllAsync(world);
        Assert.Equal(16, result.Downloaded);
        var ofMine = clips.Count(c => c.BroadcasterId == mine);
        Assert.Equal(ofMine, official.Served);
        Assert.Equal(ofMine, world.Sim.Counters.OfficialDownloadClips);
        Assert.Equal((ofMine + 9) / 10, world.Sim.Counters.OfficialDownloads); // up to 10 clips a call
        Assert.InRange(world.Sim.Counters.GqlOperations, 16 - ofMine, 16 - ofMine + 4);
    }

    private sealed class SyncProgress(Action<DownloadProgress> report) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) => report(value);
    }
}
