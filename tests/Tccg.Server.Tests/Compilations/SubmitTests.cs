using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tccg.Core.Timeline;
using Tccg.Server.Tests.Assets;
using Tccg.Storage.Accounts;
using Tccg.Storage.Renders;

namespace Tccg.Server.Tests.Compilations;

public class SubmitTests
{
    private static async Task<string[]> FieldsAsync(HttpClient client, long id)
    {
        var view = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/compilations/{id}/validation", UriKind.Relative));
        var fields = view.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("field").GetString()!).ToArray();
        Assert.Equal(fields.Length == 0, view.GetProperty("valid").GetBoolean());
        return fields;
    }

    [Fact]
    public async Task Validation_ReportsEachEditorRule_AndGuardsSubmit()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Tccg:Editor:EnforceIntro"] = "true",
            ["Tccg:Editor:EnforceOutro"] = "true",
            ["Tccg:Editor:EnforceInterval"] = "true",
            ["Tccg:Editor:EnforceFirstClip"] = "true",
        });
        var editor = await server.LoginAsNewUserAsync("ed", UserRole.Editor);
        var a = await server.SeedClipAsync("a");
        var b = await server.SeedClipAsync("b");
        var id = (await editor.CreateCompilationAsync()).GetProperty("id").GetInt64();
        (await editor.ReviewAsync(id, a, "keep")).EnsureSuccessStatusCode();

        Assert.Equal(["items", "firstAssetId", "introAssetId", "intervalAssetId", "outroAssetId"], await FieldsAsync(editor, id));
        using (var refused = await editor.PostAsync(new Uri($"/api/v1/compilations/{id}/submit", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var problem = await refused.ProblemAsync();
            Assert.Contains("not ready to render", problem, StringComparison.Ordinal);
            Assert.Contains("introAssetId: an intro is required (Tccg:Editor:EnforceIntro)", problem, StringComparison.Ordinal);
        }
        Assert.Empty(await server.App.Services.GetRequiredService<IRenderJobStore>().ListAsync(id, null, 10, CancellationToken.None));

        var video = await TestMedia.VideoAsync();
        (await editor.ReviewAsync(id, b, "keep")).EnsureSuccessStatusCode();
        using (var put = await editor.UpdateAsync(id, new
        {
            firstAssetId = await editor.UploadOkAsync("first", video),
            introAssetId = await editor.UploadOkAsync("intro", video),
            intervalAssetId = await editor.UploadOkAsync("interval", video),
            outroAssetId = await editor.UploadOkAsync("outro", video),
        }))
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Empty(await FieldsAsync(editor, id));

        // A clip file that vanished blocks the submit, naming the item.
        File.Delete(Path.Combine(server.DataDir, "clips", "g1", "b.mp4"));
        Assert.Equal(["items[1].clipId"], await FieldsAsync(editor, id));
    }

    [Fact]
    public async Task Update_TrimOutsideTheMedia_Returns400NamingTheItem()
    {
        await using var server = await TestServer.StartAsync();
        var editor = await server.LoginAsNewUserAsync("ed", UserRole.Editor);
        var a = await server.SeedClipAsync("a");
        var id = (await editor.CreateCompilationAsync()).GetProperty("id").GetInt64();
        var cases = new (double Start, double? End, string Field, string Text)[]
        {
            (0.5, 3.0, "items[0].trimEnd", "past the end of the clip (2 s)"),
            (2.5, null, "items[0].trimStart", "less than the clip's length"),
            (1.5, 1.2, "items[0].trimEnd", "greater than trimStart"),
            (-1.0, null, "items[0].trimStart", "0 or more seconds"),
            (1.0, 1.3, "items[0].trimEnd", "at least 0.5 s"),
        };

        foreach (var (start, end, field, text) in cases)
        {
            using var response = await editor.UpdateAsync(id, new { items = new[] { new { clipId = a, trimStart = start, trimEnd = end } } });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
            Assert.Equal(field, error.GetProperty("field").GetString());
            Assert.Contains(text, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        Assert.Empty((await editor.GetCompilationAsync(id)).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Update_AssetOfTheWrongKindOrVolumeOutOfRange_Returns400()
    {
        await using var server = await TestServer.StartAsync();
        var editor = await server.LoginAsNewUserAsync("ed", UserRole.Editor);
        var a = await server.SeedClipAsync("a");
        var outro = await editor.UploadOkAsync("outro", await TestMedia.VideoAsync());
        var id = (await editor.CreateCompilationAsync()).GetProperty("id").GetInt64();

        using var response = await editor.UpdateAsync(id, new { introAssetId = outro, items = new[] { new { clipId = a, volume = 3.0 } } });

        var problem = await response.ProblemAsync();
        Assert.Contains($"introAssetId: asset {outro} is an outro, not an intro", problem, StringComparison.Ordinal);
        Assert.Contains("items[0].volume", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_Valid_QueuesAJobWithTheFrozenTimeline()
    {
        await using var server = await TestServer.StartAsync();
        var editor = await server.LoginAsNewUserAsync("ed", UserRole.Editor);
        var a = await server.SeedClipAsync("a", name: "表示名", login: "hyoji", lufs: -18);
        var b = await server.SeedClipAsync("b", name: "NoLogin", lufs: -22);
        var c = await server.SeedClipAsync("c", name: "Third", login: "third");
        var video = await TestMedia.VideoAsync();
        var intro = await editor.UploadOkAsync("intro", video);
        var interval = await editor.UploadOkAsync("interval", video);
        var outro = await editor.UploadOkAsync("outro", video);
        var music = await editor.UploadOkAsync("music", await TestMedia.MusicAsync());
        var id = (await editor.CreateCompilationAsync("Best of \"week\" 🎬")).GetProperty("id").GetInt64();
        using (var put = await editor.UpdateAsync(id, new
        {
            items = new object[] { new { clipId = c }, new { clipId = a, trimStart = 0.25, trimEnd = 1.75, volume = 0.8 }, new { clipId = b } },
            introAssetId = intro,
            intervalAssetId = interval,
            outroAssetId = outro,
            music = new { tracks = new[] { music }, volume = 0.25, duck = true },
            settings = new { output = new { width = 1280, height = 720, fps = 30 } },
        }))
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        using var submit = await editor.PostAsync(new Uri($"/api/v1/compilations/{id}/submit", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Accepted, submit.StatusCode);
        var body = await submit.Content.ReadFromJsonAsync<JsonElement>();
        var jobId = body.GetProperty("jobId").GetInt64();
        Assert.Equal($"/api/v1/renders/{jobId}", submit.Headers.Location?.OriginalString);
        var job = (await server.App.Services.GetRequiredService<IRenderJobStore>().GetAsync(jobId, CancellationToken.None))!;
        Assert.Equal(id, job.CompilationId);
        Assert.Equal(RenderJobStatus.Queued, job.Status);

        var frozen = FrozenTimeline.FromJson(job.TimelineJson);
        Assert.Empty(TimelineLoader.Validate(frozen.Timeline));
        Assert.Equal("Best of \"week\" 🎬", frozen.Name);
        var items = frozen.Timeline.Items!;
        Assert.Equal(["intro", "clip", "clip", "clip", "outro"], items.Select(i => i.Kind));
        Assert.Equal(["clips/g1/c.mp4", "clips/g1/a.mp4", "clips/g1/b.mp4"], items.Where(i => i.Kind == "clip").Select(i => i.File));
        Assert.Matches("^assets/[0-9a-f]{32}\\.mp4$", items[0].File);
        Assert.Matches("^assets/[0-9a-f]{32}\\.mp4$", frozen.Timeline.Interval);
        Assert.Matches("^assets/[0-9a-f]{32}\\.m4a$", Assert.Single(frozen.Timeline.Music!.Tracks!));
        Assert.Equal(0.25, frozen.Timeline.Music.Volume);
        Assert.Equal(1280, frozen.Timeline.Output!.Width);
        Assert.Equal([c, a, b], frozen.ClipIds);
        Assert.Equal((0.25, 1.75, 0.8), (items[2].TrimStart!.Value, items[2].TrimEnd!.Value, items[2].Volume!.Value));
        Assert.Equal(("表示名", "hyoji"), (items[2].Streamer!.Name, items[2].Streamer!.Login));
        Assert.Equal(("NoLogin", "nologin"), (items[3].Streamer!.Name, items[3].Streamer!.Login));
        Assert.Equal(-18, frozen.Loudness["clips/g1/a.mp4"]);
        Assert.Equal(-22, frozen.Loudness["clips/g1/b.mp4"]);
        Assert.All(frozen.Paths(), p => Assert.True(File.Exists(Path.Combine(server.DataDir, p)), p));
        // The plan a generator expands puts the interval between consecutive clips only.
        var plan = RenderPlan.Expand(frozen.Timeline, server.DataDir);
        Assert.Equal([ItemKind.Intro, ItemKind.Clip, ItemKind.Interval, ItemKind.Clip, ItemKind.Interval, ItemKind.Clip, ItemKind.Outro], plan.Select(p => p.Kind));
    }
}
