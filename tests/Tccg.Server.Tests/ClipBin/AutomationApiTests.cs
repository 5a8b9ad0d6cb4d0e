using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tccg.Storage.Accounts;
using Microsoft.Extensions.DependencyInjection;
using Tccg.Core.Clips;
using Tccg.Storage.Clips;
using Tccg.Twitch.Downloads;
using Tccg.Twitch.Finder;
using Tccg.TwitchSim;

namespace Tccg.Server.Tests.ClipBin;

public class AutomationApiTests
{
    private static Uri U(string path) => new(path, UriKind.Relative);

    [Fact]
    public async Task RunNow_FindsAndDownloadsUpToTheTarget_AndReportsState()
    {
        await using var sim = await TwitchSimHost.StartAsync(new TwitchSimOptions { Seed = 5 });
        var settings = sim.TccgConfiguration.ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
        settings["Tccg:Server:Automation"] = "true";
        await using var server = await TestServer.StartAsync(settings);
        using var admin = await server.LoginAsNewUserAsync("root", UserRole.Admin);

        var game = await (await admin.PostAsJsonAsync(U("/api/v1/games"), new { name = "Just Chatting" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = game.GetProperty("id").GetInt64();
        var update = await admin.PutAsJsonAsync(U($"/api/v1/games/{id}"), new { schedule = new { period = "Week", intervalMinutes = 60, targetUnreviewed = 4 } });
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);

        // The start-up tick may still be running; ask until the run is accepted.
        HttpResponseMessage run;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            run = await admin.PostAsync(U("/api/v1/automation/run"), null);
            if (run.StatusCode != HttpStatusCode.Accepted)
                await Task.Delay(200);
        }
        while (run.StatusCode != HttpStatusCode.Accepted && DateTime.UtcNow < deadline);
        Assert.Equal(HttpStatusCode.Accepted, run.StatusCode);

        JsonElement view;
        deadline = DateTime.UtcNow.AddSeconds(90);
        do
        {
            await Task.Delay(500);
            view = await admin.GetFromJsonAsync<JsonElement>(U($"/api/v1/games/{id}"));
        }
        while (view.GetProperty("counts").GetProperty("Downloaded").GetInt64() < 4 && DateTime.UtcNow < deadline);

        var counts = view.GetProperty("counts");
        Assert.True(counts.GetProperty("Downloaded").GetInt64() >= 4, counts.GetRawText());
        Assert.True(counts.GetProperty("Found").GetInt64() > 0, "the finder should have found more clips than the target");
        var automation = await admin.GetFromJsonAsync<JsonElement>(U("/api/v1/automation"));
        Assert.True(automation.GetProperty("enabled").GetBoolean());
        var status = Assert.Single(automation.GetProperty("games").EnumerateArray());
        Assert.Equal("Just Chatting", status.GetProperty("gameName").GetString());
        Assert.True(status.GetProperty("lastFound").GetInt32() > 0);
    }

    [Fact]
    public async Task DownloadedClips_GetTheirWaveformFilmstripAndProxy_BeforeAnyRequest()
    {
        await using var sim = await TwitchSimHost.StartAsync(new TwitchSimOptions { Seed = 6 });
        var settings = sim.TccgConfiguration.ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
        settings["Tccg:Server:Automation"] = "false";
        await using var server = await TestServer.StartAsync(settings);
        using var admin = await server.LoginAsNewUserAsync("root", UserRole.Admin);
        var game = await (await admin.PostAsJsonAsync(U("/api/v1/games"), new { name = "Just Chatting" })).Content.ReadFromJsonAsync<JsonElement>();
        var gameId = game.GetProperty("twitchGameId").GetString()!;

        // The server's own finder and downloader (as automation runs them), with the server's hooks.
        var services = server.App.Services;
        using (var scope = services.CreateScope())
        {
            var saved = (await scope.ServiceProvider.GetRequiredService<Tccg.Storage.Games.IGameStore>().ListAsync(CancellationToken.None)).Single();
            await scope.ServiceProvider.GetRequiredService<ClipFinder>().FindAsync(saved, Tccg.Core.Twitch.ClipPeriod.Week, null, CancellationToken.None);
            var result = await scope.ServiceProvider.GetRequiredService<ClipDownloader>()
                .DownloadAsync(new DownloadRequest(gameId, 3), null, CancellationToken.None);
            Assert.True(result.Downloaded >= 2, $"{result}");
        }

        // No request asked for them: the files appear beside each downloaded clip by themselves.
        var store = services.GetRequiredService<IClipStore>();
        var downloaded = (await store.QueryAsync(new ClipQuery { GameId = gameId, Status = ClipStatus.Downloaded, Limit = 10 }, CancellationToken.None)).Items;
        Assert.True(downloaded.Count >= 2);
        var preparer = services.GetRequiredService<Tccg.Server.Features.ClipBin.ClipMediaPreparer>();
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (preparer.Pending > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        foreach (var clip in downloaded)
        {
            var file = Path.Combine(server.DataDir, clip.FilePath!);
            foreach (var suffix in new[] { ".waveform.json", ".filmstrip.jpg", ".scrub.mp4" })
                Assert.True(new FileInfo(file + suffix) is { Exists: true, Length: > 0 }, $"{clip.TwitchClipId}{suffix}");
        }
    }
}
