using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tccg.Core.Clips;
using Tccg.Core.Twitch;
using Tccg.Storage.Accounts;
using Tccg.Storage.Clips;
using Tccg.Storage.Games;
using Tccg.Twitch;
using Tccg.Twitch.Downloads;
using Tccg.Twitch.Finder;
using Tccg.TwitchSim;

namespace Tccg.Editor.Tests;

/// <summary>
/// The dashboard's download-pause banner in a real browser against a real server and the Twitch simulator: every GQL
/// way stale → downloads pause and the banner says what to update; an admin saves the new hash on the Admin page →
/// the banner is gone and downloads resume, without a restart.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TwitchPauseBannerTests(BrowserFixture browser)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task EveryGqlWayStale_ShowsTheBanner_AndSavingTheNewHashOnTheAdminPageLiftsIt()
    {
        await using var sim = await TwitchSimHost.StartAsync(new TwitchSimOptions
        {
            Seed = 13,
            Games = [new SimGameSpec("4242", "Test Game", 5, TimeSpan.FromDays(6))],
            LegacyClipsPerGame = 0,
            BroadcasterCount = 3,
            DuplicateRate = 0,
            Anchor = DateTimeOffset.UtcNow.AddMinutes(-5),
        });
        var settings = sim.TccgConfiguration.ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
        settings["Tccg:Twitch:ClipAccessHash"] = ""; // the default hash list and VideoAccessToken_Clip apply
        await using var server = await EditorServer.StartAsync(settings: settings);
        await server.AddUserAsync("root", UserRole.Admin);
        var game = await server.Service<IGameStore>().AddAsync(new Game { TwitchGameId = "4242", Name = "Test Game" }, Ct);
        Assert.Equal(5, (await server.Service<ClipFinder>().FindAsync(game, ClipPeriod.Week, null, Ct)).Accepted);

        // Twitch rotates every persisted query we know: no way answers any more.
        var newHash = sim.RotateClipAccessHash();
        sim.RotateVideoAccessTokenHash();
        var downloader = server.Service<ClipDownloader>();
        await Assert.ThrowsAsync<ClipAccessHashRotatedException>(() => downloader.DownloadAsync(new DownloadRequest(null, 10), null, Ct));
        await Assert.ThrowsAsync<DownloadsPausedException>(() => downloader.DownloadAsync(new DownloadRequest(null, 10), null, Ct));
        using var http = new HttpClient { BaseAddress = server.BaseUrl };
        Assert.Contains("paused since", await http.GetStringAsync("/readyz"), StringComparison.Ordinal);

        var page = await browser.NewPageAsync(server);
        await BrowserFixture.WithScreenshotOnFailureAsync(page, async () =>
        {
            await BrowserFixture.LoginAsync(page, "root");
            await page.GotoAsync("/");
            var banner = await page.WaitForSelectorAsync("#twitch-paused[role=alert]");
            var text = await banner!.TextContentAsync() ?? "";
            Assert.Contains("Clip downloads are paused", text, StringComparison.Ordinal);
            Assert.Contains("PersistedQueryNotFound", text, StringComparison.Ordinal);
            Assert.Contains("tccg twitch set-hash --clip-access HASH", text, StringComparison.Ordinal);
            Assert.Contains("Tccg:Twitch:ClipAccessHashes", text, StringComparison.Ordinal);

            // The admin pastes the hash twitch.tv now sends and saves; no restart.
            await page.GotoAsync("/admin");
            await page.WaitForSelectorAsync("#twitch-clip-hashes");
            await page.FillAsync("#twitch-clip-hashes", newHash);
            await page.ClickAsync("#twitch-admin button[type=submit]");
            await page.WaitForSelectorAsync("#twitch-help:has-text('Source now: database')");

            await page.GotoAsync("/");
            await page.WaitForSelectorAsync("h1");
            Assert.Equal(0, await page.Locator("#twitch-paused").CountAsync());
        });
        Assert.DoesNotContain("paused since", await http.GetStringAsync("/readyz"), StringComparison.Ordinal);

        // Downloads resume with the saved hash.
        var result = await downloader.DownloadAsync(new DownloadRequest(null, 10), null, Ct);
        Assert.Equal(5, result.Downloaded);
        Assert.All((await server.Service<IClipStore>().QueryAsync(new ClipQuery { Limit = 10 }, Ct)).Items, c => Assert.Equal(ClipStatus.Downloaded, c.Status));
    }
}
