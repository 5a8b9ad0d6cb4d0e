using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Tccg.Core.Clips;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tccg.Generator.Protocol;
using Tccg.Server.Features.Renders;
using Tccg.Storage.Accounts;
using Tccg.Storage.Renders;

namespace Tccg.Server.Tests.Renders;

public sealed class GeneratorProtocolTests
{
    private static Uri U(string path) => new(path, UriKind.Relative);

    private static async Task<LeaseResponse> LeaseAsync(HttpClient worker, int wait = 5, string name = "w")
    {
        var response = await worker.PostAsJsonAsync(U(GeneratorRoutes.Lease(TimeSpan.FromSeconds(wait))), new LeaseRequest(name));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<LeaseResponse>())!;
    }

    /// <summary>A raw upload with <c>Expect: 100-continue</c>, so a refused body is never half sent.</summary>
    private static async Task<HttpResponseMessage> UploadAsync(HttpClient worker, long job, string lease, string kind, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, U(GeneratorRoutes.Output(job, kind, lease))) { Content = new ByteArrayContent(body) };
        request.Headers.ExpectContinue = true;
        return await worker.SendAsync(request);
    }

    [Fact]
    public async Task Lease_Heartbeat_Progress_Upload_Complete_FinishesTheJobOnceAndMarksClipsUsed()
    {
        await using var world = await RenderWorld.StartAsync();
        var owner = await world.Server.AddUserAsync("owner", "correct horse battery", UserRole.Editor);
        var job = await world.EnqueueAsync(owner.Id, "My Comp");
        var worker = await world.WorkerClientAsync("gen");

        var lease = await LeaseAsync(worker);
        Assert.Equal(job.Id, lease.JobId);
        Assert.Equal(1, lease.Attempt);
        Assert.Equal("My Comp", lease.Timeline.Name);
        Assert.Equal(["clips/a.mp4", "clips/b.mp4", "assets/interval.mp4"], lease.Timeline.Paths());
        Assert.Equal(-20.5, lease.Timeline.Loudness["clips/a.mp4"]);

        var beat = await worker.PostAsJsonAsync(U(GeneratorRoutes.Job(job.Id, "heartbeat")), new LeaseHeldRequest(lease.LeaseId));
        Assert.Equal(HttpStatusCode.OK, beat.StatusCode);
        Assert.True((await beat.Content.ReadFromJsonAsync<HeartbeatResponse>())!.ExpiresAt >= lease.ExpiresAt);

        var progress = await worker.PostAsJsonAsync(U(GeneratorRoutes.Job(job.Id, "progress")), new ProgressRequest(lease.LeaseId, "Encoding segments 1/3", 42.5, 7));
        Assert.Equal(HttpStatusCode.NoContent, progress.StatusCode);
        var running = (await world.Jobs.GetAsync(job.Id, CancellationToken.None))!;
        Assert.Equal((RenderJobStatus.Running, "Encoding segments 1/3", 42.5, 7.0), (running.Status, running.Stage, running.Percent, running.EtaSeconds));

        var mp4 = await File.ReadAllBytesAsync(Path.Combine(RenderWorld.MediaDir, "clips", "c.mp4"));
        Assert.Equal(HttpStatusCode.NoContent, (await UploadAsync(worker, job.Id, lease.LeaseId, GeneratorRoutes.OutputVideo, mp4)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await UploadAsync(worker, job.Id, lease.LeaseId, GeneratorRoutes.OutputCredits, "Streamer a https://www.twitch.tv/streamera\n"u8.ToArray())).StatusCode);

        var first = await worker.PostAsJsonAsync(U(GeneratorRoutes.Job(job.Id, "complete")), new LeaseHeldRequest(lease.LeaseId));
        var second = await worker.PostAsJsonAsync(U(GeneratorRoutes.Job(job.Id, "complete")), new LeaseHeldRequest(lease.LeaseId));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var a = (await first.Content.ReadFromJsonAsync<CompletionResponse>())!;
        Assert.Equal(a, await second.Content.ReadFromJsonAsync<CompletionResponse>());
        Assert.Equal("succeeded", a.Status);

        var done = (await world.Jobs.GetAsync(job.Id, CancellationToken.None))!;
        Assert.Equal($"renders/{job.Id}-My-Comp.mp4", done.OutputPath);
        Assert.Equal(mp4, await File.ReadAllBytesAsync(Path.Combine(world.Server.DataDir, done.OutputPath!)));
        Assert.True(File.Exists(Path.Combine(world.Server.DataDir, done.CreditsPath!)));
        Assert.Empty(Directory.GetFiles(Path.Combine(world.Server.DataDir, "renders", ".staging")));
        Assert.Equal(ClipStatus.Used, (await world.Clips.GetAsync(world.ClipA, CancellationToken.None))!.Status);
        Assert.Equal(ClipStatus.Used, (await world.Clips.GetAsync(world.ClipB, CancellationToken.None))!.Status);

        // A late fail with the same lease changes nothing either.
        var fail = await worker.PostAsJsonAsync(U(GeneratorRoutes.Job(job.Id, "fail")), new FailRequest(lease.LeaseId, "late"));
        Assert.Equal("succeeded", (await fail.Content.ReadFromJsonAsync<CompletionResponse>())!.Status);
    }

    [Fact]
    public async Task Lease_NothingQueued_IsWokenAtOnceByAnEnqueue()
    {
        await using var world = await RenderWorld.StartAsync();
        var worker = await world.WorkerClientAsync();

        var empty = Stopwatch.StartNew();
        var none = await worker.PostAsJsonAsync(U(GeneratorRoutes.Lease(TimeSpan.FromSeconds(1))), new LeaseRequest("w"));
        Assert.Equal(HttpStatusCode.NoContent, none.StatusCode);
        Assert.InRange(empty.Elapsed.TotalSeconds, 0.9, 5);

        var clock = Stopwatch.StartNew();
        var waiting = LeaseAsync(worker, wait: 20);
        await Task.Delay(400);
        Assert.False(waiting.IsCompleted);
        var job = await world.EnqueueAsync(null);
        var lease = await waiting;
        Assert.Equal(job.Id, lease.JobId);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.4, 4.5); // woken by the signal: the database is only re-read every 5 s
    }

    [Fact]
    public async Task Lease_Expired_GoesBackToTheQueueAndToAnotherWorker()
    {
        await using var world = await RenderWorld.StartAsync(leaseSeconds: 4);
        var job = await world.EnqueueAsync(null);
        var a = await world.WorkerClientAsync("a");
        var b = await world.WorkerClientAsync("b");

        var first = await LeaseAsync(a, name: "a");
        var mp4 = await File.ReadAllBytesAsync(Path.Combine(RenderWorld.MediaDir, "clips", "c.mp4"));
        Assert.Equal(HttpStatusCode.NoContent, (await UploadAsync(a, job.Id, first.LeaseId, GeneratorRoutes.OutputVideo, mp4)).StatusCode);
        var second = await LeaseAsync(b, wait: 10, name: "b");
        Assert.Equal(job.Id, second.JobId);
        Assert.Equal(2, second.Attempt);
        Assert.NotEqual(first.LeaseId, second.LeaseId);

        Assert.Equal(HttpStatusCode.Conflict, (await a.PostAsJsonAsync(U(GeneratorRoutes.Job(job.Id, "heartbeat")), new LeaseHeldRequest(first.LeaseId))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await a.PostAsJsonAsync(U(GeneratorRoutes.Job(job.Id, "progress")), new ProgressRequest(first.LeaseId, "x", 1, null))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await UploadAsync(a, job.Id, first.LeaseId, GeneratorRoutes.OutputVideo, mp4)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await a.PostAsJsonAsync(U(GeneratorRoutes.Job(job.Id, "complete")), new LeaseHeldRequest(first.LeaseId))).StatusCode);
        var held = (await world.Jobs.GetAsync(job.Id, CancellationToken.None))!;
        Assert.Equal(RenderJobStatus.Leased, held.Status);
        Assert.EndsWith("/b", held.LeaseOwner, StringComparison.Ordinal);

        // A's staged upload is an orphan now; B's is kept while B holds the lease.
        Assert.Equal(HttpStatusCode.NoContent, (await UploadAsync(b, job.Id, second.LeaseId, GeneratorRoutes.OutputVideo, mp4)).StatusCode);
        var staging = Path.Combine(world.Server.DataDir, "renders", ".staging");
        foreach (var file in Directory.GetFiles(staging))
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(-5));
        var sweeper = world.Server.App.Services.GetServices<IHostedService>().OfType<LeaseSweeper>().Single();
        await sweeper.RemoveOrphanUploadsAsync(CancellationToken.None);
        Assert.Equal([$"{job.Id}-{second.LeaseId}.mp4"], Directory.GetFiles(staging).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Lease_ExpiredTooOften_FailsTheJobWithAClearError()
    {
        await using var world = await RenderWorld.StartAsync(leaseSeconds: 2, maxAttempts: 1);
        var job = await world.EnqueueAsync(null);
        var worker = await world.WorkerClientAsync();
        await LeaseAsync(worker);

        var failed = await world.WaitForAsync(job.Id, j => j.IsFinished, seconds: 10);
        Assert.Equal(RenderJobStatus.Failed, failed.Status);
        Assert.Contains("stopped reporting", failed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inputs_PathOutsideTheJob_IsRefused()
    {
        await using var world = await RenderWorld.StartAsync();
        var job = await world.EnqueueAsync(null);
        var worker = await world.WorkerClientAsync();

        (string Path, int Status)[] cases =
        [
            ("../tccg.db", 400), ("clips/../tccg.db", 400), ("/etc/passwd", 400), ("clips\\a.mp4", 400), ("./clips/a.mp4", 400),
            ("clips//a.mp4", 400), ("", 400), ("clips/c.mp4", 403), ("tccg.db", 403),
        ];
        foreach (var (path, status) in cases)
        {
            var response = await worker.GetAsync(U(GeneratorRoutes.Input(job.Id, path)));
            Assert.True(status == (int)response.StatusCode, $"{path}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await worker.GetAsync(U(GeneratorRoutes.Input(999_999, "clips/a.mp4")))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await worker.GetAsync(U(GeneratorRoutes.Input(job.Id, "clips/a.mp4")))).StatusCode);
    }

    [Fact]
    public async Task Inputs_JobPath_ServesRangesAndRevalidation()
    {
        await using var world = await RenderWorld.StartAsync();
        var job = await world.EnqueueAsync(null);
        var worker = await world.WorkerClientAsync();
        var bytes = await File.ReadAllBytesAsync(Path.Combine(RenderWorld.MediaDir, "clips", "a.mp4"));

        var full = await worker.GetAsync(U(GeneratorRoutes.Input(job.Id, "clips/a.mp4")));
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        Assert.Equal(bytes, await full.Content.ReadAsByteArrayAsync());
        Assert.NotNull(full.Headers.ETag);

        using var range = new HttpRequestMessage(HttpMethod.Get, U(GeneratorRoutes.Input(job.Id, "clips/a.mp4")));
        range.Headers.Range = new RangeHeaderValue(10, 19);
        var partial = await worker.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(bytes[10..20], await partial.Content.ReadAsByteArrayAsync());

        using var again = new HttpRequestMessage(HttpMethod.Get, U(GeneratorRoutes.Input(job.Id, "clips/a.mp4")));
        again.Headers.IfNoneMatch.Add(full.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await worker.SendAsync(again)).StatusCode);

        File.Delete(Path.Combine(world.Server.DataDir, "clips", "b.mp4"));
        Assert.Equal(HttpStatusCode.NotFound, (await worker.GetAsync(U(GeneratorRoutes.Input(job.Id, "clips/b.mp4")))).StatusCode);
    }

    [Fact]
    public async Task Outputs_NonMp4OrOversized_AreRefusedAndCompleteNeedsTheVideo()
    {
        await using var world = await RenderWorld.StartAsync();
        var job = await world.EnqueueAsync(null);
        var worker = await world.WorkerClientAsync();
        var lease = await LeaseAsync(worker);

        var text = await UploadAsync(worker, job.Id, lease.LeaseId, GeneratorRoutes.OutputVideo, "not a video at all"u8.ToArray());
        Assert.Equal(HttpStatusCode.BadRequest, text.StatusCode);
        Assert.Contains("Not an MP4", await text.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var wavBytes = new byte[44 + 9600];
        "RIFF"u8.CopyTo(wavBytes);
        Assert.Equal(HttpStatusCode.BadRequest, (await UploadAsync(worker, job.Id, lease.LeaseId, GeneratorRoutes.OutputVideo, wavBytes)).StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge,
            (await UploadAsync(worker, job.Id, lease.LeaseId, GeneratorRoutes.OutputCredits, new byte[(1 << 20) + 1])).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await UploadAsync(worker, job.Id, lease.LeaseId, "secrets", [1])).StatusCode);

        var complete = await worker.PostAsJsonAsync(U(GeneratorRoutes.Job(job.Id, "complete")), new LeaseHeldRequest(lease.LeaseId));
        Assert.Equal(HttpStatusCode.BadRequest, complete.StatusCode);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(world.Server.DataDir, "renders"), "*", SearchOption.AllDirectories));

        var fail = await worker.PostAsJsonAsync(U(GeneratorRoutes.Job(job.Id, "fail")), new FailRequest(lease.LeaseId, "ffmpeg exploded"));
        Assert.Equal(HttpStatusCode.OK, fail.StatusCode);
        var failed = (await world.Jobs.GetAsync(job.Id, CancellationToken.None))!;
        Assert.Equal((RenderJobStatus.Failed, "ffmpeg exploded"), (failed.Status, failed.Error));
        Assert.Equal(ClipStatus.Downloaded, (await world.Clips.GetAsync(world.ClipA, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task Protocol_MalformedBodies_GetProblemDetails()
    {
        await using var world = await RenderWorld.StartAsync();
        var job = await world.EnqueueAsync(null);
        var worker = await world.WorkerClientAsync();
        var lease = await LeaseAsync(worker);

        var bad = await worker.PostAsync(U(GeneratorRoutes.Job(job.Id, "progress")), new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var noLease = await worker.PostAsJsonAsync(U(GeneratorRoutes.Job(job.Id, "heartbeat")), new LeaseHeldRequest(null));
        Assert.Equal(HttpStatusCode.BadRequest, noLease.StatusCode);
        var unknown = await worker.PostAsJsonAsync(U(GeneratorRoutes.Job(999_999, "complete")), new LeaseHeldRequest(lease.LeaseId));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var problem = await unknown.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("999999", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
    }
}
