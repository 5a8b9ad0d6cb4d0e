using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tccg.Storage.Accounts;
using Tccg.TwitchSim;

namespace Tccg.Server.Tests.ClipBin;

public class GamesApiTests
{
    private static Uri U(string path) => new(path, UriKind.Relative);

    private static async Task<(TwitchSimHost Sim, TestServer Server)> StartWithSimAsync()
    {
        var sim = await TwitchSimHost.StartAsync(new TwitchSimOptions { Seed = 3 });
        var server = await TestServer.StartAsync(sim.TccgConfiguration.ToDictionary(kv => kv.Key, kv => (string?)kv.Value));
        return (sim, server);
    }

    [Fact]
    public async Task AddGame_ExactName_SavesIt_AndListShowsCountsPerStatus()
    {
        var (sim, server) = await StartWithSimAsync();
        await using var _ = sim;
        await using var __ = server;
        using var admin = await server.LoginAsNewUserAsync("root", UserRole.Admin);

        var response = await admin.PostAsJsonAsync(U("/api/v1/games"), new { name = "Just Chatting" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var game = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("509658", game.GetProperty("twitchGameId").GetString());

        var again = await admin.PostAsJsonAsync(U("/api/v1/games"), new { name = "Just Chatting" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        var list = await admin.GetFromJsonAsync<JsonElement>(U("/api/v1/games"));
        var saved = Assert.Single(list.EnumerateArray());
        Assert.Equal(0, saved.GetProperty("counts").GetProperty("Downloaded").GetInt64());
    }

    [Fact]
    public async Task AddGame_UnknownName_Returns404WithTheName()
    {
        var (sim, server) = await StartWithSimAsync();
        await using var _ = sim;
        await using var __ = server;
        using var admin = await server.LoginAsNewUserAsync("root", UserRole.Admin);
        var response = await admin.PostAsJsonAsync(U("/api/v1/games"), new { name = "just chatting!!" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("just chatting!!", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddGame_WithoutTwitchCredentials_Returns503NamingTheKey()
    {
        await using var server = await TestServer.StartAsync();
        using var admin = await server.LoginAsNewUserAsync("root", UserRole.Admin);
        var response = await admin.PostAsJsonAsync(U("/api/v1/games"), new { name = "Just Chatting" });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("Tccg:Twitch:ClientId", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Editor_CanListGames_ButNotAddOrChange()
    {
        await using var server = await TestServer.StartAsync();
        using var editor = await server.LoginAsNewUserAsync("ed", UserRole.Editor);
        Assert.Equal(HttpStatusCode.OK, (await editor.GetAsync(U("/api/v1/games"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await editor.PostAsJsonAsync(U("/api/v1/games"), new { name = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await editor.PutAsJsonAsync(U("/api/v1/games/1"), new { enabled = false })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await editor.DeleteAsync(U("/api/v1/games/1"))).StatusCode);
    }

    [Fact]
    public async Task UpdateGame_ValidatesFilters_AndSavesThem()
    {
        var (sim, server) = await StartWithSimAsync();
        await using var _ = sim;
        await using var __ = server;
        using var admin = await server.LoginAsNewUserAsync("root", UserRole.Admin);
        var game = await (await admin.PostAsJsonAsync(U("/api/v1/games"), new { name = "Just Chatting" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = game.GetProperty("id").GetInt64();

        var bad = await admin.PutAsJsonAsync(U($"/api/v1/games/{id}"), new { filters = new { minDuration = 30, maxDuration = 10 } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("minDuration", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var ok = await admin.PutAsJsonAsync(U($"/api/v1/games/{id}"), new
        {
            enabled = false,
            filters = new { languages = new[] { "en", "de" }, minViews = 100, minDuration = 5, maxDuration = 60, blockedBroadcasters = new[] { "spammer" }, perBroadcasterCap = 3 },
        });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var saved = await admin.GetFromJsonAsync<JsonElement>(U($"/api/v1/games/{id}"));
        Assert.False(saved.GetProperty("enabled").GetBoolean());
        Assert.Equal(3, saved.GetProperty("filters").GetProperty("perBroadcasterCap").GetInt32());
        Assert.Equal(2, saved.GetProperty("filters").GetProperty("languages").GetArrayLength());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(U($"/api/v1/games/{id}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(U($"/api/v1/games/{id}"))).StatusCode);
    }
}
