using Tccg.Generator;
using Tccg.Storage.Renders;

namespace Tccg.Server.Tests.Renders;

/// <summary>A generator's input and segment caches keep to their caps: trimmed after every job (segments: after every render), whatever its outcome.</summary>
public sealed class GeneratorCacheTrimTests
{
    private static readonly DateTime LongAgo = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>
    /// Stale files from long-gone jobs (an input with its ETag and a segment, 64 KB each), planted while the job
    /// fetches its inputs, so only the trim after the job can remove them (the one at start has run by then).
    /// </summary>
    private static (string Input, string Etag, string Segment) StaleDuringTheJob(GeneratorWorker generator, string cacheDir)
    {
        var planted = 0;
        var paths = StalePaths(cacheDir);
        generator.StatusChanged += _ =>
        {
            if (Interlocked.Exchange(ref planted, 1) == 0)
                Plant(paths);
        };
        return paths;
    }

    private static (string Input, string Etag, string Segment) StalePaths(string cacheDir) => (
        Path.Combine(cacheDir, "files", "clips", "gone", "old.mp4"),
        Path.Combine(cacheDir, "meta", "clips", "gone", "old.mp4.etag"),
        Path.Combine(cacheDir, "segments", "v-0000000000000000000000000000000000000000000000000000000000000000.mp4"));

    private static void Plant((string Input, string Etag, string Segment) stale)
    {
        var (input, etag, segment) = stale;
        foreach (var f in new[] { input, etag, segment })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(f)!);
            File.WriteAllBytes(f, new byte[f == etag ? 10 : 64 * 1024]);
            File.SetLastWriteTimeUtc(f, LongAgo);
        }
    }

    [Fact]
    public async Task Generator_CachesOverTheirCaps_AreTrimmedAfterTheJobAndKeepWhatItUsed()
    {
        await using var world = await RenderWorld.StartAsync();
        var job = await world.EnqueueAsync(null);
        var generator = await world.GeneratorAsync("g", o => (o.InputCacheMaxBytes, o.SegmentCacheMaxBytes) = (1, 1));
        var cacheDir = Path.Combine(world.Server.DataDir, "gen-g");
        var (input, etag, segment) = StaleDuringTheJob(generator, cacheDir);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await generator.RunAsync(once: true, stop.Token);

        Assert.Equal(JobOutcome.Succeeded, generator.LastOutcome);
        // The caps are smaller than one job: only the stale files go, and their emptied folders with them.
        Assert.False(File.Exists(input) || File.Exists(etag) || File.Exists(segment));
        Assert.False(Directory.Exists(Path.Combine(cacheDir, "files", "clips", "gone")));
        foreach (var used in new[] { "clips/a.mp4", "clips/b.mp4", "assets/interval.mp4" })
        {
            Assert.True(File.Exists(Path.Combine(cacheDir, "files", used)), used);
            Assert.True(File.Exists(Path.Combine(cacheDir, "meta", used + ".etag")), used);
        }
        Assert.Equal(3, Directory.GetFiles(Path.Combine(cacheDir, "segments"), "v-*.mp4").Length);

        // What the job used survived: the same generator's next job, however long after, reuses every input and
        // segment. It is taken as the running loop takes it (ProcessAsync), not by a second RunAsync: that is a
        // restart, whose start-up trim rightly empties caches capped at one byte. The wait between the jobs is
        // made long by back-dating the last-use marks, not by the clock.
        foreach (var mark in Directory.GetFiles(Path.Combine(cacheDir, "meta"), "*.etag", SearchOption.AllDirectories)
                     .Concat(Directory.GetFiles(Path.Combine(cacheDir, "segments"), "v-*.mp4")))
            File.SetLastWriteTimeUtc(mark, LongAgo.AddDays(1));
        var again = await world.Jobs.EnqueueAsync(null, null, world.TimelineJson(), CancellationToken.None);
        var lease = await world.LeaseAsync("g");
        Assert.Equal(again.Id, lease.JobId);
        Assert.Equal(JobOutcome.Succeeded, await generator.ProcessAsync(lease, stop.Token));
        Assert.Equal((3, 3), (generator.Cache.Downloaded, generator.Cache.Reused));
        Assert.Equal(RenderJobStatus.Succeeded, (await world.Jobs.GetAsync(again.Id, CancellationToken.None))!.Status);
        Assert.Equal(RenderJobStatus.Succeeded, (await world.Jobs.GetAsync(job.Id, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task Generator_FailedJob_StillTrimsTheCaches()
    {
        await using var world = await RenderWorld.StartAsync();
        // Fetched fine, but fails to probe: the job fails in the render, after its inputs were fetched.
        File.WriteAllBytes(Path.Combine(world.Server.DataDir, "clips", "b.mp4"), new byte[4096]);
        await world.EnqueueAsync(null);
        var generator = await world.GeneratorAsync("g", o => (o.InputCacheMaxBytes, o.SegmentCacheMaxBytes) = (1, 1));
        var (input, etag, segment) = StaleDuringTheJob(generator, Path.Combine(world.Server.DataDir, "gen-g"));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await generator.RunAsync(once: true, stop.Token);

        Assert.Equal(JobOutcome.Failed, generator.LastOutcome);
        Assert.False(File.Exists(input) || File.Exists(etag) || File.Exists(segment));
        // clips/a.mp4 was fetched before the job failed on b: used by it, so kept.
        Assert.True(File.Exists(Path.Combine(world.Server.DataDir, "gen-g", "files", "clips", "a.mp4")));
    }

    [Fact]
    public async Task Generator_CapsZero_KeepEverything()
    {
        await using var world = await RenderWorld.StartAsync();
        await world.EnqueueAsync(null);
        var generator = await world.GeneratorAsync("g", o => (o.InputCacheMaxBytes, o.SegmentCacheMaxBytes) = (0, 0));
        var (input, etag, segment) = StaleDuringTheJob(generator, Path.Combine(world.Server.DataDir, "gen-g"));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await generator.RunAsync(once: true, stop.Token);

        Assert.Equal(JobOutcome.Succeeded, generator.LastOutcome);
        Assert.True(File.Exists(input) && File.Exists(etag) && File.Exists(segment));
        // The job's own files are all there, too.
        Assert.Equal(4, Directory.GetFiles(Path.Combine(world.Server.DataDir, "gen-g", "segments"), "v-*.mp4").Length);
    }

    [Fact]
    public void InputCacheEntries_FileWithItsEtag_AreOneEntryLastUsedWhenTheEtagWasTouched()
    {
        var root = Directory.CreateTempSubdirectory("tccg-inputs-").FullName;
        try
        {
            var file = Path.Combine(root, "files", "clips", "a.mp4");
            var tag = Path.Combine(root, "meta", "clips", "a.mp4.etag");
            var orphan = Path.Combine(root, "meta", "clips", "gone.mp4.etag");
            var partial = Path.Combine(root, "files", "clips", "b.mp4.0123.part");
            foreach (var f in new[] { file, tag, orphan, partial })
            {
                Directory.CreateDirectory(Path.GetDirectoryName(f)!);
                File.WriteAllBytes(f, new byte[f == file ? 1000 : 10]);
                File.SetLastWriteTimeUtc(f, LongAgo);
            }
            File.SetLastWriteTimeUtc(tag, LongAgo.AddDays(3));

            var entries = InputCache.Entries(root).OrderBy(e => e.Name, StringComparer.Ordinal).ToList();

            Assert.Equal([Path.Combine("clips", "a.mp4"), "meta/" + Path.Combine("clips", "gone.mp4.etag")], entries.Select(e => e.Name));
            Assert.Equal((1010L, LongAgo.AddDays(3)), (entries[0].Bytes, entries[0].LastUsed.UtcDateTime));
            Assert.Equal([file, tag], entries[0].Files);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
