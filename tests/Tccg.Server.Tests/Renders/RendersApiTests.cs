using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Json;
using Tccg.Generator.Protocol;
using Tccg.Server.Features.Renders;
using Tccg.Storage.Accounts;
using Tccg.Storage.Renders;

namespace Tccg.Server.Tests.Renders;

public sealed class RendersApiTests
{
    private static Uri U(string path) => new(path, UriKind.Relative);

    /// <summary>Finishes a job by hand through the protocol, with a small real MP4 as its output.</summary>
    private static async Task<RenderJob> FinishAsync(RenderWorld world, HttpClient worker, long jobId)
    {
        var lease = (await (await worker.PostAsJsonAsync(U(GeneratorRoutes.Lease(TimeSpan.FromSeconds(5))), new LeaseRequest("w")))
            .Content.ReadFromJsonAsync<LeaseResponse>())!;
        Assert.Equal(jobId, lease.JobId);
        var mp4 = await File.ReadAllBytesAsync(Path.Combine(RenderWorld.MediaDir, "clips", "c.mp4"));
        (await worker.PutAsync(U(GeneratorRoutes.Output(jobId, GeneratorRoutes.OutputVideo, lease.LeaseId)), new ByteArrayContent(mp4))).EnsureSuccessStatusCode();
        (await worker.PutAsync(U(GeneratorRoutes.Output(jobId, GeneratorRoutes.OutputCredits, lease.LeaseId)), new ByteArrayContent("credits\n"u8.ToArray()))).EnsureSuccessStatusCode();
        (await worker.PostAsJsonAsync(U(GeneratorRoutes.Job(jobId, "complete")), new LeaseHeldRequest(lease.LeaseId))).EnsureSuccessStatusCode();
        return (await world.Jobs.GetAsync(jobId, CancellationToken.None))!;
    }

    [Fact]
    public async Task Routes_WithoutCredentials_Are401_AndWorkerRoutesRefuseEditors()
    {
        await using var world = await RenderWorld.StartAsync();
        var job = await world.EnqueueAsync(null);
        var anonymous = world.Server.CreateClient();
        foreach (var path in new[] { "/api/v1/renders", $"/api/v1/renders/{job.Id}", $"/api/v1/renders/{job.Id}/video", $"/api/v1/renders/{job.Id}/events",
                     GeneratorRoutes.Input(job.Id, "clips/a.mp4") })
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(U(path))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync(U(GeneratorRoutes.Lease(TimeSpan.Zero)), new LeaseRequest("x"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync(U($"/api/v1/renders/{job.Id}/cancel"), null)).StatusCode);

        var editor = await world.Server.LoginAsNewUserAsync("ed", UserRole.Editor);
        Assert.Equal(HttpStatusCode.Forbidden, (await editor.PostAsJsonAsync(U(GeneratorRoutes.Lease(TimeSpan.Zero)), new LeaseRequest("x"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await editor.GetAsync(U(GeneratorRoutes.Input(job.Id, "clips/a.mp4")))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await editor.PostAsJsonAsync(U(GeneratorRoutes.Job(job.Id, "complete")), new LeaseHeldRequest("x"))).StatusCode);

        var worker = await world.WorkerClientAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await worker.GetAsync(U("/api/v1/renders"))).StatusCode);
        Assert.Equal(RenderJobStatus.Queued, (await world.Jobs.GetAsync(job.Id, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task Renders_OfAnotherEditor_Are404_AndAdminsSeeEverything()
    {
        await using var world = await RenderWorld.StartAsync();
        var alice = await world.Server.LoginAsNewUserAsync("alice", UserRole.Editor);
        var bob = await world.Server.LoginAsNewUserAsync("bob", UserRole.Editor);
        var admin = await world.Server.LoginAsNewUserAsync("root", UserRole.Admin);
        var aliceId = (await world.Server.App.Services.GetRequiredService<IUserStore>().GetByNameAsync("alice", CancellationToken.None))!.Id;
        var job = await world.EnqueueAsync(aliceId, "Alice comp");
        var done = await FinishAsync(world, await world.WorkerClientAsync(), job.Id);
        var queued = await world.EnqueueAsync(aliceId, "Alice two");

        foreach (var path in new[] { $"/api/v1/renders/{job.Id}", $"/api/v1/renders/{job.Id}/video", $"/api/v1/renders/{job.Id}/credits", $"/api/v1/renders/{job.Id}/events" })
            Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync(U(path))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.DeleteAsync(U($"/api/v1/renders/{job.Id}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.PostAsync(U($"/api/v1/renders/{job.Id}/rerender"), null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.PostAsync(U($"/api/v1/renders/{queued.Id}/cancel"), null)).StatusCode);
        Assert.Empty((await bob.GetFromJsonAsync<RenderView[]>(U("/api/v1/renders")))!);
        Assert.Equal(RenderJobStatus.Queued, (await world.Jobs.GetAsync(queued.Id, CancellationToken.None))!.Status);

        var mine = (await alice.GetFromJsonAsync<RenderView[]>(U("/api/v1/renders")))!;
        Assert.Equal([queued.Id, job.Id], mine.Select(v => v.Id));
        Assert.Equal(2, (await admin.GetFromJsonAsync<RenderView[]>(U("/api/v1/renders")))!.Length);

        var view = (await alice.GetFromJsonAsync<RenderView>(U($"/api/v1/renders/{job.Id}")))!;
        Assert.Equal(("succeeded", "Alice comp", 100.0), (view.Status, view.Name, view.Percent));
        Assert.NotNull(view.Output);
        Assert.Equal(new FileInfo(Path.Combine(world.Server.DataDir, done.OutputPath!)).Length, view.Output.VideoBytes);
        Assert.InRange(view.Output.DurationSeconds!.Value, 0.9, 1.2);

        var video = await admin.GetAsync(U(view.Output.VideoUrl));
        Assert.Equal(HttpStatusCode.OK, video.StatusCode);
        Assert.Equal("video/mp4", video.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Alice-comp.mp4", video.Content.Headers.ContentDisposition?.FileNameStar ?? video.Content.Headers.ContentDisposition?.FileName);
        using var range = new HttpRequestMessage(HttpMethod.Get, U(view.Output.VideoUrl));
        range.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(0, 99);
        var partial = await alice.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(100, (await partial.Content.ReadAsByteArrayAsync()).Length);
        Assert.Equal("credits\n", await alice.GetStringAsync(U(view.Output.CreditsUrl!)));
    }

    [Fact]
    public async Task Cancel_Delete_Rerender_FollowTheJobsState()
    {
        await using var world = await RenderWorld.StartAsync();
        var alice = await world.Server.LoginAsNewUserAsync("alice", UserRole.Editor);
        var aliceId = (await world.Server.App.Services.GetRequiredService<IUserStore>().GetByNameAsync("alice", CancellationToken.None))!.Id;
        var worker = await world.WorkerClientAsync();

        var queued = await world.EnqueueAsync(aliceId);
        Assert.Equal(HttpStatusCode.Conflict, (await alice.DeleteAsync(U($"/api/v1/renders/{queued.Id}"))).StatusCode);
        var cancelled = await alice.PostAsync(U($"/api/v1/renders/{queued.Id}/cancel"), null);
        Assert.Equal("cancelled", (await cancelled.Content.ReadFromJsonAsync<RenderView>())!.Status);
        Assert.Equal(HttpStatusCode.Conflict, (await alice.PostAsync(U($"/api/v1/renders/{queued.Id}/cancel"), null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await worker.PostAsJsonAsync(U(GeneratorRoutes.Lease(TimeSpan.Zero)), new LeaseRequest("w"))).StatusCode);

        var job = await world.EnqueueAsync(aliceId);
        var done = await FinishAsync(world, worker, job.Id);
        var rerender = await alice.PostAsync(U($"/api/v1/renders/{job.Id}/rerender"), null);
        Assert.Equal(HttpStatusCode.Created, rerender.StatusCode);
        var copy = (await rerender.Content.ReadFromJsonAsync<RenderView>())!;
        Assert.Equal(("queued", aliceId), (copy.Status, copy.OwnerId));
        Assert.Equal(job.TimelineJson, (await world.Jobs.GetAsync(copy.Id, CancellationToken.None))!.TimelineJson);

        var video = Path.Combine(world.Server.DataDir, done.OutputPath!);
        Assert.True(File.Exists(video));
        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAsync(U($"/api/v1/renders/{job.Id}"))).StatusCode);
        Assert.False(File.Exists(video));
        Assert.False(File.Exists(Path.Combine(world.Server.DataDir, done.CreditsPath!)));
        Assert.Null(await world.Jobs.GetAsync(job.Id, CancellationToken.None));
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync(U($"/api/v1/renders/{job.Id}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync(U("/api/v1/renders/abc"))).StatusCode);
    }

    [Fact]
    public async Task Events_StreamProgressUntilTheRenderFinishes()
    {
        await using var world = await RenderWorld.StartAsync();
        var alice = await world.Server.LoginAsNewUserAsync("alice", UserRole.Editor);
        var aliceId = (await world.Server.App.Services.GetRequiredService<IUserStore>().GetByNameAsync("alice", CancellationToken.None))!.Id;
        var job = await world.EnqueueAsync(aliceId);
        var worker = await world.WorkerClientAsync();

        var seen = new List<RenderJobUpdate>();
        using var subscription = world.Server.App.Services.GetRequiredService<RenderProgressNotifier>().Subscribe(u =>
        {
            lock (seen)
                seen.Add(u);
        });
        using var response = await alice.GetAsync(U($"/api/v1/renders/{job.Id}/events"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var reading = response.Content.ReadAsStringAsync();

        var lease = (await (await worker.PostAsJsonAsync(U(GeneratorRoutes.Lease(TimeSpan.FromSeconds(5))), new LeaseRequest("w")))
            .Content.ReadFromJsonAsync<LeaseResponse>())!;
        (await worker.PostAsJsonAsync(U(GeneratorRoutes.Job(job.Id, "progress")), new ProgressRequest(lease.LeaseId, "Encoding segments 1/3", 33, 4))).EnsureSuccessStatusCode();
        await Task.Delay(200);
        (await worker.PostAsJsonAsync(U(GeneratorRoutes.Job(job.Id, "fail")), new FailRequest(lease.LeaseId, "out of disk"))).EnsureSuccessStatusCode();

        var text = await reading.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("event: render", text, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"queued\"", text, StringComparison.Ordinal);
        Assert.Contains("Encoding segments 1/3", text, StringComparison.Ordinal);
        Assert.Contains("out of disk", text, StringComparison.Ordinal);
        lock (seen)
        {
            Assert.Contains(seen, u => u.JobId == job.Id && u is { Status: "running", Percent: 33 });
            Assert.Single(seen, u => u.JobId == job.Id && u.Status == "failed");
        }
    }
}
