using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tccg.Storage.Accounts;

namespace Tccg.Server.Tests.Compilations;

/// <summary>Per-streamer facecam memory and items' own layouts through the API.</summary>
public sealed class StreamerLayoutTests
{
    private static Uri U(string path) => new(path, UriKind.Relative);

    private static readonly object Facecam = new
    {
        mode = "stacked",
        top = new { x = 0.7, y = 0.05, w = 0.3, h = 0.3 },
        bottom = new { x = 0.2, y = 0.0, w = 0.6, h = 1.0 },
        split = 0.35,
    };

    private static JsonElement Item(JsonElement compilation) => compilation.GetProperty("items")[0];

    [Fact]
    public async Task FacecamSetOnOneClip_IsTheDefaultOfTheStreamersNextVerticalClip_AndCanBeReset()
    {
        await using var server = await TestServer.StartAsync();
        var editor = await server.LoginAsNewUserAsync("ed", UserRole.Editor);
        var first = await server.SeedClipAsync("s1", name: "Shroud", broadcasterId: "37402112");
        var second = await server.SeedClipAsync("s2", name: "Shroud", broadcasterId: "37402112");
        var other = await server.SeedClipAsync("o1", name: "Other", broadcasterId: "999");

        // The user sets a facecam box on the first clip in a Shorts compilation.
        var one = (await editor.CreateCompilationAsync("One")).GetProperty("id").GetInt64();
        using (var put = await editor.UpdateAsync(one, new { items = new[] { new { clipId = first, layout = Facecam } }, settings = new { target = "shorts" } }))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            var item = Item(await put.Content.ReadFromJsonAsync<JsonElement>());
            Assert.Equal("item", item.GetProperty("layoutSource").GetString());
            Assert.Equal(0.7, item.GetProperty("layout").GetProperty("top").GetProperty("x").GetDouble());
        }
        var remembered = await editor.GetFromJsonAsync<JsonElement>(U("/api/v1/streamers/37402112/layout"));
        Assert.Equal(("stacked", 0.35), (remembered.GetProperty("layout").GetProperty("mode").GetString(), remembered.GetProperty("layout").GetProperty("split").GetDouble()));

        // The streamer's next clip starts from it in a vertical compilation; another streamer's does not; landscape ignores it.
        var two = (await editor.CreateCompilationAsync("Two")).GetProperty("id").GetInt64();
        (await editor.UpdateAsync(two, new { items = new[] { new { clipId = second }, new { clipId = other } }, settings = new { target = "tiktok" } })).EnsureSuccessStatusCode();
        var view = await editor.GetCompilationAsync(two);
        Assert.Equal("streamer", Item(view).GetProperty("layoutSource").GetString());
        Assert.True(Item(view).GetProperty("streamerLayout").GetBoolean());
        Assert.Equal(0.05, Item(view).GetProperty("effectiveLayout").GetProperty("top").GetProperty("y").GetDouble());
        Assert.Equal(JsonValueKind.Null, Item(view).GetProperty("layout").ValueKind);
        Assert.Equal(("compilation", "blur"), (view.GetProperty("items")[1].GetProperty("layoutSource").GetString(),
            view.GetProperty("items")[1].GetProperty("effectiveLayout").GetProperty("mode").GetString()));
        (await editor.UpdateAsync(two, new { settings = new { target = "youtube" } })).EnsureSuccessStatusCode();
        Assert.Equal("compilation", Item(await editor.GetCompilationAsync(two)).GetProperty("layoutSource").GetString());

        // Editable: a new box through the API; resettable: gone, and the clip falls back to the compilation's layout.
        (await editor.UpdateAsync(two, new { settings = new { target = "reels" } })).EnsureSuccessStatusCode();
        using (var set = await editor.PutAsJsonAsync(U("/api/v1/streamers/37402112/layout"), new { mode = "crop", rect = new { x = 0.3, y = 0, w = 0.4, h = 1 } }))
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal("crop", Item(await editor.GetCompilationAsync(two)).GetProperty("effectiveLayout").GetProperty("mode").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await editor.DeleteAsync(U("/api/v1/streamers/37402112/layout"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await editor.DeleteAsync(U("/api/v1/streamers/37402112/layout"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await editor.GetAsync(U("/api/v1/streamers/37402112/layout"))).StatusCode);
        Assert.Equal("compilation", Item(await editor.GetCompilationAsync(two)).GetProperty("layoutSource").GetString());

        // The first compilation keeps its item's own layout whatever happens to the memory.
        Assert.Equal("item", Item(await editor.GetCompilationAsync(one)).GetProperty("layoutSource").GetString());
    }

    [Fact]
    public async Task BadLayouts_Get400NamingTheField_AndAnonymousCallersAre401()
    {
        await using var server = await TestServer.StartAsync();
        var editor = await server.LoginAsNewUserAsync("ed", UserRole.Editor);
        var clip = await server.SeedClipAsync("c1", broadcasterId: "42");
        var id = (await editor.CreateCompilationAsync()).GetProperty("id").GetInt64();

        async Task<string[]> FieldsAsync(HttpResponseMessage response)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            return [.. problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()!)];
        }

        var outside = new { mode = "stacked", top = new { x = 0.9, y = 0, w = 0.5, h = 0.5 }, bottom = new { x = 0, y = 0, w = 1, h = 1 } };
        Assert.Equal(["items[0].layout.top"], await FieldsAsync(await editor.UpdateAsync(id, new { items = new[] { new { clipId = clip, layout = (object)outside } } })));
        Assert.Equal(["layout.top"], await FieldsAsync(await editor.PutAsJsonAsync(U("/api/v1/streamers/42/layout"), outside)));
        Assert.Equal(["layout.mode"], await FieldsAsync(await editor.PutAsJsonAsync(U("/api/v1/streamers/42/layout"), new { mode = "fit" })));
        Assert.Equal(["broadcasterId"], await FieldsAsync(await editor.PutAsJsonAsync(U("/api/v1/streamers/a%20b/layout"), Facecam)));
        Assert.Equal(HttpStatusCode.NotFound, (await editor.GetAsync(U("/api/v1/streamers/42/layout"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.CreateClient().GetAsync(U("/api/v1/streamers/layouts"))).StatusCode);
    }
}
