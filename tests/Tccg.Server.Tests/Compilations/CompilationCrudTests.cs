using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Tccg.Server.Tests.Assets;
using Tccg.Storage.Accounts;

namespace Tccg.Server.Tests.Compilations;

public class CompilationCrudTests
{
    [Fact]
    public async Task Compilations_WithoutCredentials_Return401()
    {
        await using var server = await TestServer.StartAsync();
        using var anonymous = server.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("/api/v1/compilations", UriKind.Relative))).StatusCode);
        foreach (var path in new[] { "", "/next", "/review", "/validation" })
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri($"/api/v1/compilations/1{path}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync(new Uri("/api/v1/compilations", UriKind.Relative), new { name = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync(new Uri("/api/v1/compilations/1/submit", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync(new Uri("/api/v1/compilations/1", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Compilation_OfAnotherEditor_IsNotFoundOnEveryRoute()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.LoginAsNewUserAsync("alice", UserRole.Editor);
        var bob = await server.LoginAsNewUserAsync("bob", UserRole.Editor);
        var admin = await server.LoginAsNewUserAsync("root", UserRole.Admin);
        var clip = await server.SeedClipAsync("c1");
        var id = (await alice.CreateCompilationAsync()).GetProperty("id").GetInt64();

        var bobTries = new List<HttpResponseMessage>
        {
            await bob.GetAsync(new Uri($"/api/v1/compilations/{id}", UriKind.Relative)),
            await bob.GetAsync(new Uri($"/api/v1/compilations/{id}/next", UriKind.Relative)),
            await bob.GetAsync(new Uri($"/api/v1/compilations/{id}/review", UriKind.Relative)),
            await bob.GetAsync(new Uri($"/api/v1/compilations/{id}/validation", UriKind.Relative)),
            await bob.GetAsync(new Uri($"/api/v1/compilations/{id}/preview", UriKind.Relative)),
            await bob.ReviewAsync(id, clip, "keep"),
            await bob.PutAsJsonAsync(new Uri($"/api/v1/compilations/{id}", UriKind.Relative), new { version = 1, name = "mine now" }),
            await bob.PostAsync(new Uri($"/api/v1/compilations/{id}/submit", UriKind.Relative), null),
            await bob.DeleteAsync(new Uri($"/api/v1/compilations/{id}", UriKind.Relative)),
        };
        Assert.All(bobTries, r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.Contains($"No compilation {id}", await bobTries[0].ProblemAsync(), StringComparison.Ordinal);
        Assert.Empty((await bob.GetFromJsonAsync<JsonElement[]>(new Uri("/api/v1/compilations", UriKind.Relative)))!);

        Assert.Equal("Weekly", (await alice.GetCompilationAsync(id)).GetProperty("name").GetString());
        Assert.Empty((await alice.GetCompilationAsync(id)).GetProperty("items").EnumerateArray());
        Assert.Single((await admin.GetFromJsonAsync<JsonElement[]>(new Uri("/api/v1/compilations", UriKind.Relative)))!);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(new Uri($"/api/v1/compilations/{id}", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Compilation_Shared_IsEditableByOthersButDeletableOnlyByItsOwner()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.LoginAsNewUserAsync("alice", UserRole.Editor);
        var bob = await server.LoginAsNewUserAsync("bob", UserRole.Editor);
        var id = (await alice.CreateCompilationAsync()).GetProperty("id").GetInt64();
        using (var share = await alice.UpdateAsync(id, new { shared = true }))
            Assert.Equal(HttpStatusCode.OK, share.StatusCode);

        using (var rename = await bob.UpdateAsync(id, new { name = "Bob's cut" }))
            Assert.Equal(HttpStatusCode.OK, rename.StatusCode);
        Assert.Equal("Bob's cut", (await alice.GetCompilationAsync(id)).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.DeleteAsync(new Uri($"/api/v1/compilations/{id}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAsync(new Uri($"/api/v1/compilations/{id}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync(new Uri($"/api/v1/compilations/{id}", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Update_WithAStaleVersion_Returns409()
    {
        await using var server = await TestServer.StartAsync();
        var editor = await server.LoginAsNewUserAsync("ed", UserRole.Editor);
        var created = await editor.CreateCompilationAsync();
        var id = created.GetProperty("id").GetInt64();
        var stale = created.GetProperty("version").GetInt64();
        using (var first = await editor.UpdateAsync(id, new { name = "First" }))
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var second = await editor.PutAsJsonAsync(new Uri($"/api/v1/compilations/{id}", UriKind.Relative), new { version = stale, name = "Second" });
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("was changed elsewhere — reload it", await second.ProblemAsync(), StringComparison.Ordinal);
        using var missing = await editor.PutAsJsonAsync(new Uri($"/api/v1/compilations/{id}", UriKind.Relative), new { name = "Third" });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("First", (await editor.GetCompilationAsync(id)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Get_ExpandsItemsWithClipFactsAndAssets()
    {
        await using var server = await TestServer.StartAsync();
        var editor = await server.LoginAsNewUserAsync("ed", UserRole.Editor);
        var a = await server.SeedClipAsync("a", name: "表示名", login: "hyoji");
        var b = await server.SeedClipAsync("b");
        var interval = await editor.UploadOkAsync("interval", await TestMedia.VideoAsync());
        var id = (await editor.CreateCompilationAsync()).GetProperty("id").GetInt64();
        using (var put = await editor.UpdateAsync(id, new
        {
            items = new object[] { new { clipId = b, trimStart = 0.5 }, new { clipId = a, volume = 1.5 } },
            intervalAssetId = interval,
            settings = new { output = new { width = 1280, height = 720 }, overlay = new { position = "bottom-left" } },
        }))
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var view = await editor.GetCompilationAsync(id);
        var items = view.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([b, a], items.Select(i => i.GetProperty("clipId").GetInt64()));
        var clip = items[1].GetProperty("clip");
        Assert.Equal("表示名", clip.GetProperty("broadcasterName").GetString());
        Assert.Equal("hyoji", clip.GetProperty("broadcasterLogin").GetString());
        Assert.Equal("https://thumbs.example/a.jpg", clip.GetProperty("thumbnailUrl").GetString());
        Assert.Equal(2.0, clip.GetProperty("mediaDuration").GetDouble());
        Assert.Equal("Downloaded", clip.GetProperty("status").GetString());
        Assert.Equal($"/api/v1/clips/{a}/media", clip.GetProperty("mediaUrl").GetString());
        Assert.Equal(1.5, items[1].GetProperty("volume").GetDouble());
        Assert.Equal(interval, view.GetProperty("assets").GetProperty("interval").GetProperty("id").GetInt64());
        Assert.Equal(1280, view.GetProperty("settings").GetProperty("output").GetProperty("width").GetInt32());
        // 1.5 s + 2 s of clips and one interval of the 2 s test video between them.
        Assert.InRange(view.GetProperty("estimatedSeconds").GetDouble(), 5.4, 5.7);
    }

    [Fact]
    public async Task BadRequests_GetProblemDetails_AndTheServerKeepsServing()
    {
        await using var server = await TestServer.StartAsync();
        var editor = await server.LoginAsNewUserAsync("ed", UserRole.Editor);
        var id = (await editor.CreateCompilationAsync()).GetProperty("id").GetInt64();

        using var malformed = await editor.PostAsync(new Uri("/api/v1/compilations", UriKind.Relative),
            new StringContent("{\"name\": \"unterminated", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);
        using var wrongType = await editor.PutAsync(new Uri($"/api/v1/compilations/{id}", UriKind.Relative),
            new StringContent("{\"version\": 5, \"items\": \"all\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        using var noName = await editor.PostAsJsonAsync(new Uri("/api/v1/compilations", UriKind.Relative), new { name = " " });
        Assert.Equal(HttpStatusCode.BadRequest, noName.StatusCode);
        Assert.Contains("name: a name is required", await noName.ProblemAsync(), StringComparison.Ordinal);

        using var unknown = await editor.GetAsync(new Uri("/api/v1/compilations/999999", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("No compilation 999999", await unknown.ProblemAsync(), StringComparison.Ordinal);
        using var unknownAsset = await editor.UpdateAsync(id, new { introAssetId = 424242 });
        Assert.Equal(HttpStatusCode.BadRequest, unknownAsset.StatusCode);
        Assert.Contains("introAssetId: asset 424242 does not exist", await unknownAsset.ProblemAsync(), StringComparison.Ordinal);
        using var unknownClip = await editor.UpdateAsync(id, new { items = new[] { new { clipId = 777 } } });
        Assert.Contains("clip 777 is not in the clip bin", await unknownClip.ProblemAsync(), StringComparison.Ordinal);

        Assert.Equal("Weekly", (await editor.GetCompilationAsync(id)).GetProperty("name").GetString());
    }
}
