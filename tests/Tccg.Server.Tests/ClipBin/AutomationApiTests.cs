using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tccg.Storage.Accounts;
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
}
