using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Tccg.Storage.Accounts;

namespace Tccg.Server.Tests.Assets;

public class AssetUploadTests
{
    [Fact]
    public async Task Upload_EachKind_StoresUnderAGeneratedNameAndLists()
    {
        await using var server = await TestServer.StartAsync();
        var editor = await server.LoginAsNewUserAsync("ed", UserRole.Editor);
        var video = await TestMedia.VideoAsync();

        foreach (var kind in new[] { "intro", "outro", "interval", "first" })
        {
            using var response = await editor.UploadFileAsync(kind, video, "My Intro.mp4");
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var asset = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(kind, asset.GetProperty("kind").GetString());
            Assert.Equal("My Intro.mp4", asset.GetProperty("name").GetString());
            Assert.Equal(320, asset.GetProperty("width").GetInt32());
            Assert.InRange(asset.GetProperty("duration").GetDouble(), 1.9, 2.2);
            Assert.Equal($"/api/v1/assets/{asset.GetProperty("id").GetInt64()}", response.Headers.Location?.OriginalString);
        }
        using (var music = await editor.UploadFileAsync("music", await TestMedia.MusicAsync()))
        {
            Assert.Equal(HttpStatusCode.Created, music.StatusCode);
            Assert.True((await music.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("hasAudio").GetBoolean());
        }

        var stored = TestMedia.FilesUnder(Path.Combine(server.DataDir, "assets"));
        Assert.Equal(5, stored.Length);
        Assert.All(stored, f => Assert.Matches("^[0-9a-f]{32}\\.(mp4|m4a)$", f));
        Assert.Empty(TestMedia.FilesUnder(Path.Combine(server.DataDir, "tmp")));

        var all = await editor.GetFromJsonAsync<JsonElement[]>(new Uri("/api/v1/assets", UriKind.Relative));
        Assert.Equal(5, all!.Length);
        var intros = await editor.GetFromJsonAsync<JsonElement[]>(new Uri("/api/v1/assets?kind=intro", UriKind.Relative));
        Assert.Single(intros!);
    }

    [Fact]
    public async Task Upload_LargerThanTheLimit_Returns413AndLeavesNothingOnDisk()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Tccg:Server:MaxUploadMegabytes"] = "1" });
        var editor = await server.LoginAsNewUserAsync("ed", UserRole.Editor);

        using var response = await editor.UploadAsync("intro", new byte[1_600_000], "big.mp4");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("limit of 1 MB", await response.ProblemAsync(), StringComparison.Ordinal);
        Assert.Empty(TestMedia.FilesUnder(Path.Combine(server.DataDir, "assets")));
        Assert.Empty(TestMedia.FilesUnder(Path.Combine(server.DataDir, "tmp")));
        using var still = await editor.GetAsync(new Uri("/api/v1/assets", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
    }

    [Fact]
    public async Task Upload_NotUsableMedia_Returns400NamingTheProblemAndDeletesTheFile()
    {
        await using var server = await TestServer.StartAsync();
        var editor = await server.LoginAsNewUserAsync("ed", UserRole.Editor);
        var text = Encoding.UTF8.GetBytes("this is not a video, just some words\n");
        var png = await File.ReadAllBytesAsync(await TestMedia.ImageAsync());
        var audio = await File.ReadAllBytesAsync(await TestMedia.MusicAsync());
        var cases = new (byte[] Content, string Kind, string Expected)[]
        {
            (text, "intro", "not a usable media file"),
            (await TestMedia.TruncatedVideoAsync(), "intro", "not a usable media file"),
            (png, "intro", "cannot be intro: the file is a still image (PNG), not a video"),
            (audio, "outro", "an outro needs a video stream and the file has none"),
            (png, "music", "still image (PNG), not audio"),
            (text, "music", "not a usable media file"),
        };

        foreach (var (content, kind, expected) in cases)
        {
            using var response = await editor.UploadAsync(kind, content, "clip.mp4");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.ProblemAsync();
            Assert.Contains(expected, problem, StringComparison.Ordinal);
            Assert.Contains("\"clip.mp4\"", problem, StringComparison.Ordinal);
            Assert.DoesNotContain(server.DataDir, problem, StringComparison.Ordinal);
            Assert.Empty(TestMedia.FilesUnder(Path.Combine(server.DataDir, "assets")));
            Assert.Empty(TestMedia.FilesUnder(Path.Combine(server.DataDir, "tmp")));
        }
        using var ok = await editor.GetAsync(new Uri("/api/v1/assets", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task Upload_NameWithPathTricks_IsOnlyADisplayName()
    {
        await using var server = await TestServer.StartAsync();
        var editor = await server.LoginAsNewUserAsync("ed", UserRole.Editor);
        var parent = Path.GetDirectoryName(server.DataDir)!;
        var before = Directory.GetFiles(parent, "*evil*").Length;

        using var response = await editor.UploadFileAsync("intro", await TestMedia.VideoAsync(), "../../evil \"quoted\" 🎬<b>.mp4");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var asset = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("evil quoted 🎬b.mp4", asset.GetProperty("name").GetString());
        Assert.Matches("^[0-9a-f]{32}\\.mp4$", Assert.Single(TestMedia.FilesUnder(Path.Combine(server.DataDir, "assets"))));
        Assert.Equal(before, Directory.GetFiles(parent, "*evil*").Length);
        Assert.Empty(Directory.GetFiles(server.DataDir, "*evil*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData(null, "no kind field")]
    [InlineData("trailer", "\"trailer\"")]
    public async Task Upload_WithoutAValidKind_Returns400(string? kind, string expected)
    {
        await using var server = await TestServer.StartAsync();
        var editor = await server.LoginAsNewUserAsync("ed", UserRole.Editor);
        using var response = await editor.UploadAsync(kind, await File.ReadAllBytesAsync(await TestMedia.VideoAsync()), "a.mp4");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.ProblemAsync(), StringComparison.Ordinal);
        Assert.Empty(TestMedia.FilesUnder(Path.Combine(server.DataDir, "tmp")));
    }

    [Fact]
    public async Task Upload_DeclaringFarMoreThanTheLimit_Returns413WithoutReadingIt()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Tccg:Server:MaxUploadMegabytes"] = "1" });
        var editor = await server.LoginAsNewUserAsync("ed", UserRole.Editor);

        using var response = await editor.UploadAsync("intro", new byte[4_000_000], "huge.mp4");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(TestMedia.FilesUnder(Path.Combine(server.DataDir, "tmp")));
        using var still = await editor.GetAsync(new Uri("/api/v1/assets", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
    }

    [Fact]
    public async Task Upload_NotMultipart_Returns400()
    {
        await using var server = await TestServer.StartAsync();
        var editor = await server.LoginAsNewUserAsync("ed", UserRole.Editor);
        using var response = await editor.PostAsJsonAsync(new Uri("/api/v1/assets", UriKind.Relative), new { kind = "intro" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("multipart/form-data", await response.ProblemAsync(), StringComparison.Ordinal);
    }
}
