using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tccg.Server.Tests.Assets;
using Tccg.Storage.Accounts;

namespace Tccg.Server.Tests.Compilations;

public class ReviewTests
{
    private static async Task<long[]> NextAsync(HttpClient client, long id, int count = 10) =>
        [.. (await client.GetFromJsonAsync<JsonElement[]>(new Uri($"/api/v1/compilations/{id}/next?count={count}", UriKind.Relative)))!
            .Select(c => c.GetProperty("id").GetInt64())];

    private static async Task<long[]> ItemIdsAsync(HttpClient client, long id) =>
        [.. (await client.GetCompilationAsync(id)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("clipId").GetInt64())];

    [Fact]
    public async Task Review_KeepSkipUndo_UpdatesItemsAndNextClips()
    {
        await using var server = await TestServer.StartAsync();
        var editor = await server.LoginAsNewUserAsync("ed", UserRole.Editor);
        var top = await server.SeedClipAsync("top", views: 300);
        var mid = await server.SeedClipAsync("mid", views: 200);
        var low = await server.SeedClipAsync("low", views: 100);
        await server.SeedClipAsync("other-game", gameId: "g2", views: 999);
        await server.SeedClipAsync("not-downloaded", views: 500, download: false);
        var id = (await editor.CreateCompilationAsync()).GetProperty("id").GetInt64();

        Assert.Equal([top, mid, low], await NextAsync(editor, id));
        Assert.Equal([top], await NextAsync(editor, id, 1));

        using (var keep = await editor.ReviewAsync(id, top, "keep"))
        {
            Assert.Equal(HttpStatusCode.OK, keep.StatusCode);
            var result = await keep.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("keep", result.GetProperty("decision").GetString());
            Assert.Equal(1, result.GetProperty("itemCount").GetInt32());
        }
        (await editor.ReviewAsync(id, mid, "skip")).EnsureSuccessStatusCode();
        (await editor.ReviewAsync(id, low, "keep")).EnsureSuccessStatusCode();
        Assert.Equal([top, low], await ItemIdsAsync(editor, id));
        Assert.Empty(await NextAsync(editor, id));

        // Skipping is not consumption: another compilation still gets every clip.
        var other = (await editor.CreateCompilationAsync("Other")).GetProperty("id").GetInt64();
        Assert.Equal([top, mid, low], await NextAsync(editor, other));

        // Undo without a clip id takes back the last decision (keep of low: it leaves the items).
        using (var undo = await editor.ReviewAsync(id, null, "undo"))
            Assert.Equal(low, (await undo.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clipId").GetInt64());
        Assert.Equal([top], await ItemIdsAsync(editor, id));
        Assert.Equal([low], await NextAsync(editor, id));
        // Undo of a given clip.
        (await editor.ReviewAsync(id, mid, "undo")).EnsureSuccessStatusCode();
        Assert.Equal([mid, low], await NextAsync(editor, id));

        var decisions = (await editor.GetFromJsonAsync<JsonElement[]>(new Uri($"/api/v1/compilations/{id}/review", UriKind.Relative)))!;
        var decision = Assert.Single(decisions);
        Assert.Equal((top, "keep"), (decision.GetProperty("clipId").GetInt64(), decision.GetProperty("decision").GetString()));

        // Changing one's mind: a kept clip skipped leaves the items.
        (await editor.ReviewAsync(id, top, "skip")).EnsureSuccessStatusCode();
        Assert.Empty(await ItemIdsAsync(editor, id));
    }

    [Fact]
    public async Task Review_BadInput_GetsClearProblems()
    {
        await using var server = await TestServer.StartAsync();
        var editor = await server.LoginAsNewUserAsync("ed", UserRole.Editor);
        var id = (await editor.CreateCompilationAsync()).GetProperty("id").GetInt64();
        var noGame = (await editor.CreateCompilationAsync("No game", gameId: null)).GetProperty("id").GetInt64();

        using var bad = await editor.ReviewAsync(id, 1, "maybe");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("keep, skip or undo", await bad.ProblemAsync(), StringComparison.Ordinal);
        using var noClip = await editor.ReviewAsync(id, null, "keep");
        Assert.Equal(HttpStatusCode.BadRequest, noClip.StatusCode);
        using var unknown = await editor.ReviewAsync(id, 4242, "keep");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("No clip 4242", await unknown.ProblemAsync(), StringComparison.Ordinal);
        using var nothing = await editor.ReviewAsync(id, null, "undo");
        Assert.Equal(HttpStatusCode.Conflict, nothing.StatusCode);
        using var count = await editor.GetAsync(new Uri($"/api/v1/compilations/{id}/next?count=500", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, count.StatusCode);
        using var gameless = await editor.GetAsync(new Uri($"/api/v1/compilations/{noGame}/next", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Conflict, gameless.StatusCode);
        Assert.Contains("has no game", await gameless.ProblemAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Review_KeepWithTrims_StoresThemAndRefusesTrimsOutsideTheClip()
    {
        await using var server = await TestServer.StartAsync();
        var editor = await server.LoginAsNewUserAsync("ed", UserRole.Editor);
        var clip = await server.SeedClipAsync("a");
        var id = (await editor.CreateCompilationAsync()).GetProperty("id").GetInt64();

        using var outside = await editor.PostAsJsonAsync(new Uri($"/api/v1/compilations/{id}/review", UriKind.Relative),
            new { clipId = clip, decision = "keep", trimStart = 0.5, trimEnd = 5.0 });
        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        Assert.Contains("items[0].trimEnd", await outside.ProblemAsync(), StringComparison.Ordinal);
        Assert.Empty(await ItemIdsAsync(editor, id));

        (await editor.PostAsJsonAsync(new Uri($"/api/v1/compilations/{id}/review", UriKind.Relative),
            new { clipId = clip, decision = "keep", trimStart = 0.5, trimEnd = 1.5, volume = 0.7 })).EnsureSuccessStatusCode();
        var item = Assert.Single((await editor.GetCompilationAsync(id)).GetProperty("items").EnumerateArray());
        Assert.Equal((0.5, 1.5, 0.7), (item.GetProperty("trimStart").GetDouble(), item.GetProperty("trimEnd").GetDouble(), item.GetProperty("volume").GetDouble()));
    }
}
