using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tccg.Generator;
using Tccg.Generator.Protocol;
using Tccg.Media.Probing;
using Tccg.Server.Tests.Compilations;
using Tccg.Storage.Accounts;
using Tccg.Storage.Games;
using Tccg.Storage.Renders;

namespace Tccg.Server.Tests.Renders;

/// <summary>Thumbnails delivered by a remote generator, and "Render each clip as a short" end to end.</summary>
public sealed class ShortsAndThumbnailTests
{
    private static Uri U(string path) => new(path, UriKind.Relative);

    [Fact]
    public async Task RemoteGenerator_UploadsTheThumbnail_AndItDownloadsFromTheRender()
    {
        await using var world = await RenderWorld.StartAsync();
        var admin = await world.Server.LoginAsNewUserAsync("root", UserRole.Admin);
        var job = await world.EnqueueAsync(null, "With thumbnail");
        var generator = await world.GeneratorAsync("remote");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await generator.RunAsync(once: true, stop.Token);
        Assert.Equal(JobOutcome.Succeeded, generator.LastOutcome);

        var done = (await world.Jobs.GetAsync(job.Id, CancellationToken.None))!;
        Assert.Equal($"renders/{job.Id}-With-thumbnail.jpg", done.ThumbnailPath);
        using var response = await admin.GetAsync(U($"/api/v1/renders/{job.Id}/thumbnail"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xFF, 0xD8, 0xFF], bytes[..3]);
        var view = await admin.GetFromJsonAsync<JsonElement>(U($"/api/v1/renders/{job.Id}"));
        Assert.Equal($"/api/v1/renders/{job.Id}/thumbnail", view.GetProperty("output").GetProperty("thumbnailUrl").GetString());

        // A thumbnail that is not a JPEG is refused at upload.
        var queued = await world.EnqueueAsync(null, "Bad thumbnail");
        var worker = await world.WorkerClientAsync();
        var lease = (await (await worker.PostAsJsonAsync(U(GeneratorRoutes.Lease(TimeSpan.FromSeconds(5))), new LeaseRequest("w")))
            .Content.ReadFromJsonAsync<LeaseResponse>())!;
        Assert.Equal(queued.Id, lease.JobId);
        using var refused = await worker.PutAsync(U(GeneratorRoutes.Output(queued.Id, GeneratorRoutes.OutputThumbnail, lease.LeaseId)), new ByteArrayContent("not a picture"u8.ToArray()));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        // Deleting the render deletes its thumbnail too.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(U($"/api/v1/renders/{job.Id}"))).StatusCode);
        Assert.False(File.Exists(Path.Combine(world.Server.DataDir, done.ThumbnailPath!)));
    }

    [Fact]
    public async Task RenderEachClipAsShort_BatchOfN_MakesNMp4sAndNTexts()
    {
        await using var world = await RenderWorld.StartAsync();
        await world.Server.App.Services.GetRequiredService<IGameStore>().AddAsync(new Game { TwitchGameId = "g1", Name = "Counter-Strike 2" }, CancellationToken.None);
        var editor = await world.Server.LoginAsNewUserAsync("ed", UserRole.Editor);
        var id = (await editor.CreateCompilationAsync("Week")).GetProperty("id").GetInt64();
        (await editor.UpdateAsync(id, new
        {
            items = new[] { new { clipId = world.ClipA }, new { clipId = world.ClipB } },
            settings = new { target = "custom", output = new { width = 90, height = 160, fps = 15, preset = "ultrafast", crf = 30 } },
        })).EnsureSuccessStatusCode();

        using (var bad = await editor.PostAsJsonAsync(U($"/api/v1/compilations/{id}/shorts"), new { maxClips = 0 }))
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var queued = await editor.PostAsJsonAsync(U($"/api/v1/compilations/{id}/shorts"), new { caption = true });
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        var batch = await queued.Content.ReadFromJsonAsync<JsonElement>();
        var batchId = batch.GetProperty("batchId").GetInt64();
        var jobs = batch.GetProperty("jobs").EnumerateArray().ToList();
        Assert.Equal([world.ClipA, world.ClipB], jobs.Select(j => j.GetProperty("clipId").GetInt64()));

        var generator = await world.GeneratorAsync("shorts");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        for (var i = 0; i < jobs.Count; i++)
        {
            await generator.RunAsync(once: true, stop.Token);
            Assert.Equal(JobOutcome.Succeeded, generator.LastOutcome);
        }

        var probe = world.Server.App.Services.GetRequiredService<MediaProbe>();
        var videos = new HashSet<string>();
        foreach (var (entry, title) in jobs.Zip(["Clip a", "Clip b"]))
        {
            var job = (await world.Jobs.GetAsync(entry.GetProperty("jobId").GetInt64(), CancellationToken.None))!;
            Assert.Equal((RenderJobStatus.Succeeded, (long?)batchId), (job.Status, job.BatchId));
            videos.Add(job.OutputPath!);
            var facts = await probe.ProbeAsync(Path.Combine(world.Server.DataDir, job.OutputPath!), CancellationToken.None);
            Assert.Equal((90, 160), (facts.Width, facts.Height));
            Assert.InRange(facts.Duration, 0.8, 1.3);
            var text = await File.ReadAllTextAsync(Path.Combine(world.Server.DataDir, job.CreditsPath!));
            Assert.StartsWith(title, text, StringComparison.Ordinal);
            Assert.Contains("#CounterStrike2 #shorts", text, StringComparison.Ordinal);
            Assert.Contains("https://clips.twitch.tv/", text, StringComparison.Ordinal);
        }
        Assert.Equal(2, videos.Count);

        var listed = await editor.GetFromJsonAsync<JsonElement[]>(U($"/api/v1/renders?batchId={batchId}"));
        Assert.Equal(2, listed!.Length);
        Assert.All(listed, r => Assert.Equal(batchId, r.GetProperty("batchId").GetInt64()));

        // The first N only.
        using var one = await editor.PostAsJsonAsync(U($"/api/v1/compilations/{id}/shorts"), new { maxClips = 1, caption = false });
        Assert.Single((await one.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobs").EnumerateArray());
    }
}
