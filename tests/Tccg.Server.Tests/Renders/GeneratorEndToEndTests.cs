using Xunit.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Tccg.Core.Clips;
using Tccg.Generator;
using Tccg.Media.Probing;
using Tccg.Server.Features.Renders;
using Tccg.Storage.Renders;

namespace Tccg.Server.Tests.Renders;

/// <summary>Real generators (the worker <c>tccg generator</c> runs) against a real server, rendering with ffmpeg.</summary>
public sealed class GeneratorEndToEndTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TwoGenerators_OneKilledMidRender_TheJobFinishesExactlyOnce()
    {
        // Long enough that B's heartbeats (every third of it) survive a loaded CI machine.
        await using var world = await RenderWorld.StartAsync(leaseSeconds: 4);
        var finished = new List<RenderJobUpdate>();
        using var subscription = world.Server.App.Services.GetRequiredService<RenderProgressNotifier>().Subscribe(u =>
        {
            if (u.IsFinished)
                lock (finished)
                    finished.Add(u);
        });
        var job = await world.EnqueueAsync(null, "Two generators");

        // Generator A is killed the moment it starts encoding segments.
        var a = await world.GeneratorAsync("a");
        using var killA = new CancellationTokenSource();
        a.StatusChanged += s =>
        {
            if (s.Stage.StartsWith("Encoding", StringComparison.Ordinal))
                killA.Cancel();
        };
        await a.RunAsync(once: true, killA.Token);
        Assert.Equal(JobOutcome.Abandoned, a.LastOutcome);
        Assert.Equal(3, a.Cache.Downloaded);
        var abandoned = (await world.Jobs.GetAsync(job.Id, CancellationToken.None))!;
        Assert.Equal(RenderJobStatus.Running, abandoned.Status);
        Assert.EndsWith("/a", abandoned.LeaseOwner, StringComparison.Ordinal);

        // Generator B gets it once A's lease expires, renders it and completes.
        var b = await world.GeneratorAsync("b");
        using var stopB = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await b.RunAsync(once: true, stopB.Token);
        Assert.Equal(JobOutcome.Succeeded, b.LastOutcome);

        var done = (await world.Jobs.GetAsync(job.Id, CancellationToken.None))!;
        Assert.Equal((RenderJobStatus.Succeeded, 2), (done.Status, done.Attempts));
        Assert.EndsWith("/b", done.LeaseOwner, StringComparison.Ordinal);
        var facts = await world.Server.App.Services.GetRequiredService<MediaProbe>().ProbeAsync(Path.Combine(world.Server.DataDir, done.OutputPath!), CancellationToken.None);
        Assert.Equal((160, 90), (facts.Width, facts.Height));
        Assert.InRange(facts.Duration, 2.3, 2.7);
        var credits = await File.ReadAllTextAsync(Path.Combine(world.Server.DataDir, done.CreditsPath!));
        Assert.Contains("https://www.twitch.tv/streamera", credits, StringComparison.Ordinal);
        Assert.Contains("https://www.twitch.tv/streamerb", credits, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(world.Server.DataDir, "renders", ".staging")));
        Assert.Equal(ClipStatus.Used, (await world.Clips.GetAsync(world.ClipA, CancellationToken.None))!.Status);
        lock (finished)
            Assert.Equal("succeeded", Assert.Single(finished, u => u.JobId == job.Id).Status);

        // A re-render reuses B's cached inputs (revalidated with the ETag) and cached segments.
        var again = await world.Jobs.EnqueueAsync(null, null, done.TimelineJson, CancellationToken.None);
        await b.RunAsync(once: true, stopB.Token);
        Assert.Equal(JobOutcome.Succeeded, b.LastOutcome);
        Assert.Equal((3, 3), (b.Cache.Downloaded, b.Cache.Reused));
        Assert.Equal(RenderJobStatus.Succeeded, (await world.Jobs.GetAsync(again.Id, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task Generator_MissingInput_FailsTheJobWithTheReason()
    {
        await using var world = await RenderWorld.StartAsync();
        File.Delete(Path.Combine(world.Server.DataDir, "clips", "b.mp4"));
        var job = await world.EnqueueAsync(null);
        var generator = await world.GeneratorAsync("g");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await generator.RunAsync(once: true, stop.Token);

        Assert.Equal(JobOutcome.Failed, generator.LastOutcome);
        var failed = (await world.Jobs.GetAsync(job.Id, CancellationToken.None))!;
        Assert.Equal(RenderJobStatus.Failed, failed.Status);
        Assert.Contains("clips/b.mp4", failed.Error, StringComparison.Ordinal);
        Assert.Equal(ClipStatus.Downloaded, (await world.Clips.GetAsync(world.ClipA, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task Generator_CancelledByTheEditor_StopsRenderingAndLeavesTheJobCancelled()
    {
        await using var world = await RenderWorld.StartAsync(leaseSeconds: 3);
        var job = await world.EnqueueAsync(null);
        var generator = await world.GeneratorAsync("g");
        var jobs = world.Jobs;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        generator.StatusChanged += s =>
        {
            output.WriteLine($"{clock.ElapsedMilliseconds} {s}");
            if (s.Stage.StartsWith("Encoding", StringComparison.Ordinal))
                _ = jobs.CancelAsync(job.Id, CancellationToken.None);
        };
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await generator.RunAsync(once: true, stop.Token);

        Assert.Contains(generator.LastOutcome, new JobOutcome?[] { JobOutcome.LeaseLost, JobOutcome.Succeeded });
        var cancelled = (await jobs.GetAsync(job.Id, CancellationToken.None))!;
        Assert.Equal(RenderJobStatus.Cancelled, cancelled.Status);
        Assert.Null(cancelled.OutputPath);
        Assert.False(Directory.Exists(Path.Combine(world.Server.DataDir, "renders", ".staging"))
            && Directory.GetFiles(Path.Combine(world.Server.DataDir, "renders", ".staging")).Length > 0);
    }

    [Fact]
    public async Task InProcessGenerator_RendersAQueuedJobWithoutAnyOtherGenerator()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var world = await RenderWorld.StartAsync(inProcessGenerator: true);
        var job = await world.EnqueueAsync(null, "In process");
        output.WriteLine($"started {clock.ElapsedMilliseconds} ms");

        var done = await world.WaitForAsync(job.Id, j => j.IsFinished, seconds: 60);
        output.WriteLine($"rendered {clock.ElapsedMilliseconds} ms");
        Assert.Equal(RenderJobStatus.Succeeded, done.Status);
        Assert.EndsWith("/in-process", done.LeaseOwner, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(world.Server.DataDir, done.OutputPath!)));
        Assert.False(Directory.Exists(Path.Combine(world.Server.DataDir, "tmp", "generator", "files")));
    }
}
