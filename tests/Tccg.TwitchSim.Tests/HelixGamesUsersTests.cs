using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Tccg.TwitchSim.Tests;

public class HelixGamesUsersTests
{
    [Fact]
    public async Task Games_ByExactName_ReturnsHelixFields_AndSkipsUnknownNames()
    {
        await using var sim = await TestSim.StartAsync();
        var json = await sim.HelixJsonAsync("/games?name=Just%20Chatting&name=League%20of%20Legends&name=No%20Such%20Game");
        var games = json.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["509658", "21779"], games.Select(g => g.GetProperty("id").GetString()));
        Assert.All(games, g =>
        {
            Assert.Equal(["box_art_url", "id", "igdb_id", "name"], g.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.Contains("{width}x{height}", g.GetProperty("box_art_url").GetString(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Games_ById_AndWithoutParameters()
    {
        await using var sim = await TestSim.StartAsync();
        var json = await sim.HelixJsonAsync("/games?id=21779");
        Assert.Equal("League of Legends", json.GetProperty("data")[0].GetProperty("name").GetString());
        using var response = await sim.HelixAsync("/games");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task TopGames_PageThroughEveryGame()
    {
        await using var sim = await TestSim.StartAsync(o => o.Games = null);
        var token = await sim.TokenAsync();
        var first = await sim.HelixJsonAsync("/games/top?first=4", token);
        Assert.Equal(4, first.GetProperty("data").GetArrayLength());
        var cursor = first.GetProperty("pagination").GetProperty("cursor").GetString();
        var second = await sim.HelixJsonAsync("/games/top?first=4&after=" + cursor, token);
        Assert.Equal(TwitchSimOptions.DefaultGames.Count - 4, second.GetProperty("data").GetArrayLength());
        Assert.Empty(second.GetProperty("pagination").EnumerateObject());
    }

    [Fact]
    public async Task Users_ByIdAndLogin_GiveLoginsThatDifferFromDisplayNames()
    {
        await using var sim = await TestSim.StartAsync();
        var ids = sim.Host.World.Broadcasters.Take(12).Select(u => u.Id).ToList();
        var json = await sim.HelixJsonAsync("/users?" + string.Join('&', ids.Select(id => "id=" + id)) + "&login=" + sim.Host.World.Creators[0].Login);
        var users = json.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(13, users.Count);
        Assert.All(users, u =>
        {
            Assert.Matches("^[a-z0-9_]+$", u.GetProperty("login").GetString());
            Assert.Equal(JsonValueKind.String, u.GetProperty("display_name").ValueKind);
            Assert.Equal(JsonValueKind.String, u.GetProperty("created_at").ValueKind);
        });
        Assert.Contains(users, u => !string.Equals(u.GetProperty("login").GetString(), u.GetProperty("display_name").GetString(), StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Users_MoreThan100_Is400()
    {
        await using var sim = await TestSim.StartAsync();
        var query = string.Join('&', Enumerable.Range(0, 101).Select(i => string.Create(CultureInfo.InvariantCulture, $"id={i}")));
        using var response = await sim.HelixAsync("/users?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
