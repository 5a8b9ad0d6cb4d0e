using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Tccg.Storage.Accounts;

namespace Tccg.Server.Tests.Assets;

public class AssetAccessTests
{
    [Fact]
    public async Task Assets_WithoutCredentials_Return401()
    {
        await using var server = await TestServer.StartAsync();
        using var anonymous = server.CreateClient();
        foreach (var path in new[] { "/api/v1/assets", "/api/v1/assets/1", "/api/v1/assets/1/media" })
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri(path, UriKind.Relative))).StatusCode);
        using var upload = await anonymous.UploadAsync("intro", [1, 2, 3], "a.mp4");
        Assert.Equal(HttpStatusCode.Unauthorized, upload.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync(new Uri("/api/v1/assets/1", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Assets_OfAnotherEditor_AreNotFound_WhileAdminAssetsAreShared()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.LoginAsNewUserAsync("alice", UserRole.Editor);
        var bob = await server.LoginAsNewUserAsync("bob", UserRole.Editor);
        var admin = await server.LoginAsNewUserAsync("root", UserRole.Admin);
        var video = await TestMedia.VideoAsync();
        var private1 = await alice.UploadOkAsync("intro", video);
        var shared = await admin.UploadOkAsync("outro", video);

        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync(new Uri($"/api/v1/assets/{private1}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync(new Uri($"/api/v1/assets/{private1}/media", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.DeleteAsync(new Uri($"/api/v1/assets/{private1}", UriKind.Relative))).StatusCode);
        var bobSees = await bob.GetFromJsonAsync<JsonElement[]>(new Uri("/api/v1/assets", UriKind.Relative));
        var seen = Assert.Single(bobSees!);
        Assert.Equal(shared, seen.GetProperty("id").GetInt64());
        Assert.True(seen.GetProperty("shared").GetBoolean());

        using var refused = await bob.DeleteAsync(new Uri($"/api/v1/assets/{shared}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("shared library", await refused.ProblemAsync(), StringComparison.Ordinal);

        Assert.Equal(2, (await admin.GetFromJsonAsync<JsonElement[]>(new Uri("/api/v1/assets", UriKind.Relative)))!.Length);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(new Uri($"/api/v1/assets/{private1}", UriKind.Relative))).StatusCode);
        Assert.Single(TestMedia.FilesUnder(Path.Combine(server.DataDir, "assets")));
    }

    [Fact]
    public async Task Media_WithARange_ReturnsThePartialContent()
    {
        await using var server = await TestServer.StartAsync();
        var editor = await server.LoginAsNewUserAsync("ed", UserRole.Editor);
        var id = await editor.UploadOkAsync("intro", await TestMedia.VideoAsync());

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/v1/assets/{id}/media", UriKind.Relative));
        request.Headers.Range = new RangeHeaderValue(0, 99);
        using var response = await editor.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(100, (await response.Content.ReadAsByteArrayAsync()).Length);
        Assert.Equal(new FileInfo(await TestMedia.VideoAsync()).Length, response.Content.Headers.ContentRange?.Length);
    }

    [Fact]
    public async Task Delete_WhileACompilationUsesTheAsset_Returns409NamingIt()
    {
        await using var server = await TestServer.StartAsync();
        var editor = await server.LoginAsNewUserAsync("ed", UserRole.Editor);
        var intro = await editor.UploadOkAsync("intro", await TestMedia.VideoAsync());
        var music = await editor.UploadOkAsync("music", await TestMedia.MusicAsync());
        using var created = await editor.PostAsJsonAsync(new Uri("/api/v1/compilations", UriKind.Relative), new { name = "Weekly", gameId = "g1" });
        var compilation = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = compilation.GetProperty("id").GetInt64();
        using var put = await editor.PutAsJsonAsync(new Uri($"/api/v1/compilations/{id}", UriKind.Relative), new
        {
            version = compilation.GetProperty("version").GetInt64(),
            name = "Weekly",
            gameId = "g1",
            introAssetId = intro,
            music = new { tracks = new[] { music }, volume = 0.3 },
        });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        foreach (var asset in new[] { intro, music })
        {
            using var refused = await editor.DeleteAsync(new Uri($"/api/v1/assets/{asset}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains($"used by \"Weekly\" ({id})", await refused.ProblemAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await editor.DeleteAsync(new Uri($"/api/v1/compilations/{id}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await editor.DeleteAsync(new Uri($"/api/v1/assets/{intro}", UriKind.Relative))).StatusCode);
        Assert.Single(TestMedia.FilesUnder(Path.Combine(server.DataDir, "assets")));
    }
}
