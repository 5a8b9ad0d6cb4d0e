using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tccg.Storage;
using Tccg.Storage.Accounts;
using Tccg.Storage.Clips;
using Tccg.Core.Media;

namespace Tccg.Server.Tests.ClipBin;

public class ClipsApiTests
{
    private static Uri U(string path) => new(path, UriKind.Relative);

    /// <summary>Seeds three found clips of one game and downloads the first with a real tiny MP4.</summary>
    private static async Task<(long Downloaded, long Found)> SeedAsync(TestServer server)
    {
        var clips = server.App.Services.GetRequiredService<IClipStore>();
        var found = Enumerable.Range(1, 3).Select(i => new FoundClip
        {
            TwitchClipId = $"Clip{i}-ÄÖ",
            Url = $"https://clips.twitch.tv/Clip{i}",
            BroadcasterId = "b1",
            BroadcasterName = i == 1 ? "表示名 🎮" : "streamer",
            GameId = "509658",
            Title = $"title {i} \"quoted\"",
            ViewCount = 1000 - i,
            CreatedAt = DateTimeOffset.UtcNow.AddHours(-i),
            Duration = 2,
        }).ToList();
        await clips.UpsertFoundAsync(found, CancellationToken.None);
        var first = (await clips.GetByTwitchIdAsync("Clip1-ÄÖ", CancellationToken.None))!;
        var second = (await clips.GetByTwitchIdAsync("Clip2-ÄÖ", CancellationToken.None))!;

        var relative = Path.Combine("clips", "509658", "Clip1.mp4");
        var full = Path.Combine(server.DataDir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        using (var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg",
                   ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=160x90:r=30:d=1", "-f", "lavfi", "-i", "sine=d=1",
                    "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", full]))!)
            await ffmpeg.WaitForExitAsync();
        await clips.MarkDownloadedAsync(first.Id,
            new DownloadedClipFile(relative, new FileInfo(full).Length, new MediaFacts(1, 160, 90, 30, "h264", "aac", 44100, 1, "", 0), -20), CancellationToken.None);
        return (first.Id, second.Id);
    }

    [Fact]
    public async Task Query_ByStatus_ReturnsOnlyThatStatus_MostViewedFirst()
    {
        await using var server = await TestServer.StartAsync();
        await SeedAsync(server);
        using var editor = await server.LoginAsNewUserAsync("ed", UserRole.Editor);

        var found = await editor.GetFromJsonAsync<JsonElement>(U("/api/v1/clips?game=509658&status=found"));
        var views = found.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("viewCount").GetInt32()).ToList();
        Assert.Equal([998, 997], views);

        var downloaded = await editor.GetFromJsonAsync<JsonElement>(U("/api/v1/clips?status=Downloaded"));
        var clip = Assert.Single(downloaded.GetProperty("items").EnumerateArray());
        Assert.Equal("表示名 🎮", clip.GetProperty("broadcasterName").GetString());
        Assert.DoesNotContain(server.DataDir, downloaded.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_Paging_FollowsTheCursor()
    {
        await using var server = await TestServer.StartAsync();
        await SeedAsync(server);
        using var editor = await server.LoginAsNewUserAsync("ed", UserRole.Editor);
        var seen = new List<long>();
        string? cursor = null;
        do
        {
            var page = await editor.GetFromJsonAsync<JsonElement>(U("/api/v1/clips?limit=1" + (cursor is null ? "" : "&after=" + Uri.EscapeDataString(cursor))));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetInt64()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null && seen.Count < 10);
        Assert.Equal(3, seen.Distinct().Count());
    }

    [Fact]
    public async Task Query_BadParameters_Return400Problems()
    {
        await using var server = await TestServer.StartAsync();
        using var editor = await server.LoginAsNewUserAsync("ed", UserRole.Editor);
        foreach (var query in new[] { "status=eaten", "limit=0", "limit=100000", "order=random", "review=kept", "after=%%%garbage" })
        {
            var response = await editor.GetAsync(U("/api/v1/clips?" + query));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{query} gave {response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Media_SupportsRange_ForSeeking()
    {
        await using var server = await TestServer.StartAsync();
        var (downloaded, found) = await SeedAsync(server);
        using var editor = await server.LoginAsNewUserAsync("ed", UserRole.Editor);

        var whole = await editor.GetByteArrayAsync(U($"/api/v1/clips/{downloaded}/media"));
        using var request = new HttpRequestMessage(HttpMethod.Get, U($"/api/v1/clips/{downloaded}/media"));
        request.Headers.Range = new RangeHeaderValue(100, 199);
        var partial = await editor.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(whole[100..200], await partial.Content.ReadAsByteArrayAsync());
        Assert.Equal("video/mp4", partial.Content.Headers.ContentType?.MediaType);

        Assert.Equal(HttpStatusCode.NotFound, (await editor.GetAsync(U($"/api/v1/clips/{found}/media"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await editor.GetAsync(U("/api/v1/clips/999999/media"))).StatusCode);
    }

    [Fact]
    public async Task Media_WithoutCredentials_Returns401()
    {
        await using var server = await TestServer.StartAsync();
        var (downloaded, _) = await SeedAsync(server);
        using var anonymous = server.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(U($"/api/v1/clips/{downloaded}/media"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(U($"/api/v1/clips/{downloaded}"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(U("/api/v1/clips"))).StatusCode);
    }

    [Fact]
    public async Task CheckMissing_AdminOnly_MarksVanishedFiles()
    {
        await using var server = await TestServer.StartAsync();
        var (downloaded, _) = await SeedAsync(server);
        File.Delete(Path.Combine(server.DataDir, "clips", "509658", "Clip1.mp4"));

        using var editor = await server.LoginAsNewUserAsync("ed", UserRole.Editor);
        Assert.Equal(HttpStatusCode.Forbidden, (await editor.PostAsync(U("/api/v1/clips/check-missing"), null)).StatusCode);
        var media = await editor.GetAsync(U($"/api/v1/clips/{downloaded}/media"));
        Assert.Equal(HttpStatusCode.NotFound, media.StatusCode);
        Assert.Contains("missing", await media.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var admin = await server.LoginAsNewUserAsync("root", UserRole.Admin);
        var result = await (await admin.PostAsync(U("/api/v1/clips/check-missing"), null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, result.GetProperty("markedMissing").GetInt32());
        var clip = await admin.GetFromJsonAsync<JsonElement>(U($"/api/v1/clips/{downloaded}"));
        Assert.Equal("Missing", clip.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Automation_State_IsVisible_AndRunIsRefusedWhenOff()
    {
        await using var server = await TestServer.StartAsync();
        using var admin = await server.LoginAsNewUserAsync("root", UserRole.Admin);
        var state = await admin.GetFromJsonAsync<JsonElement>(U("/api/v1/automation"));
        Assert.False(state.GetProperty("enabled").GetBoolean());
        var run = await admin.PostAsync(U("/api/v1/automation/run"), null);
        Assert.Equal(HttpStatusCode.Conflict, run.StatusCode);
        Assert.Contains("Tccg:Server:Automation", await run.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
