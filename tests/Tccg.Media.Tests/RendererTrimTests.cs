using Tccg.Core.Timeline;
using Tccg.Media.Caching;
using Tccg.Media.Rendering;

namespace Tccg.Media.Tests;

/// <summary>The renderer marks what it uses, so the cap evicts what later renders need least; evicted segments come back.</summary>
public sealed class RendererTrimTests(MediaFactory media) : IClassFixture<MediaFactory>
{
    private static readonly DateTime LongAgo = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private async Task<(RenderWorld World, TimelineDocument Doc)> TwoClipsAsync()
    {
        var world = new RenderWorld();
        var a = world.Add(await media.ClipAsync("t-a.mp4", 1.0), "a.mp4");
        var b = world.Add(await media.ClipAsync("t-b.mp4", 1.0, 640, 360, 60), "b.mp4");
        var i = world.Add(await media.ClipAsync("t-i.mp4", 0.4), "interval.mp4");
        var doc = RenderWorld.Small();
        doc.Interval = i;
        doc.Items = [RenderWorld.Clip(a, "A", "a"), RenderWorld.Clip(b, "B", "b", start: 0.2)];
        return (world, doc);
    }

    private static long CacheBytes(string dir) => SegmentCache.Entries(dir).Sum(e => e.Bytes);

    private static void Age(string dir)
    {
        foreach (var f in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
            File.SetLastWriteTimeUtc(f, LongAgo);
    }

    [Fact]
    public async Task RenderAsync_ReusedSegments_AreMarkedUsed()
    {
        var (world, doc) = await TwoClipsAsync();
        using var _ = world;
        await world.RenderAsync(doc);
        Age(world.CacheDir);
        var before = DateTime.UtcNow.AddSeconds(-2);

        var again = await world.RenderAsync(doc);

        Assert.Equal(0, again.VideoSegmentsEncoded);
        var entries = SegmentCache.Entries(world.CacheDir);
        Assert.Equal(3, entries.Count(e => e.Name.StartsWith("v-", StringComparison.Ordinal)));
        Assert.Equal(3, entries.Count(e => e.Name.StartsWith("a-", StringComparison.Ordinal)));
        Assert.All(entries, e => Assert.True(e.LastUsed.UtcDateTime >= before, $"{e.Name} was not marked used"));
    }

    [Fact]
    public async Task Trim_AfterASecondCompilation_EvictsTheFirstOnesSegmentsAndKeepsTheSecondOnes()
    {
        var (world, doc) = await TwoClipsAsync();
        using var _ = world;
        var first = await world.RenderAsync(doc);
        Age(world.CacheDir);
        var other = RenderWorld.Small();
        other.Items = [RenderWorld.Clip(doc.Items![0].File!, "A", "a", start: 0.5)];
        var secondStarted = DateTimeOffset.UtcNow;
        var second = await world.RenderAsync(other);
        var secondBytes = SegmentCache.Entries(world.CacheDir).Where(e => e.LastUsed >= secondStarted.AddSeconds(-2)).Sum(e => e.Bytes);

        var result = SegmentCache.Trim(new CacheTrimmer(), world.CacheDir, secondBytes, secondStarted);

        Assert.True(result.Evicted > 0);
        Assert.True(CacheBytes(world.CacheDir) <= secondBytes);
        Assert.True(File.Exists(Path.Combine(world.CacheDir, "v-" + second.VideoSegmentKeys[0] + ".mp4")));
        Assert.All(first.VideoSegmentKeys, k => Assert.False(File.Exists(Path.Combine(world.CacheDir, "v-" + k + ".mp4"))));
        var reuse = await world.RenderAsync(other);
        Assert.Equal((0, 0), (reuse.VideoSegmentsEncoded, reuse.AudioSegmentsRendered));
    }

    [Fact]
    public async Task RenderAsync_AfterATrimEvictedSegments_ReencodesThemAndTheOutputIsRight()
    {
        var (world, doc) = await TwoClipsAsync();
        using var _ = world;
        var first = await world.RenderAsync(doc);
        var firstFrames = Assert.Single(await Analysis.StreamsAsync(world.Output), s => s.CodecType == "video").Frames;
        // Clip B's segment is the least recently used: the others are used again after it.
        Age(world.CacheDir);
        foreach (var f in Directory.EnumerateFiles(world.CacheDir, "*", SearchOption.AllDirectories).Where(f => !Path.GetFileName(f).Contains(first.VideoSegmentKeys[2], StringComparison.Ordinal)))
            File.SetLastWriteTimeUtc(f, LongAgo.AddDays(1));
        var bKey = first.VideoSegmentKeys[2];
        var bBytes = new FileInfo(Path.Combine(world.CacheDir, "v-" + bKey + ".mp4")).Length;

        var trim = SegmentCache.Trim(new CacheTrimmer(), world.CacheDir, CacheBytes(world.CacheDir) - bBytes, DateTimeOffset.UtcNow);
        Assert.Equal(1, trim.Evicted);
        Assert.False(File.Exists(Path.Combine(world.CacheDir, "v-" + bKey + ".mp4")));

        doc.Items![0].Volume = 0.5;
        var again = await world.RenderAsync(doc);

        Assert.Equal((1, 0, 2), (again.VideoSegmentsEncoded, again.AudioSegmentsRendered, again.SegmentsReused));
        Assert.Equal(first.VideoSegmentKeys, again.VideoSegmentKeys);
        Assert.Equal(first.DurationSeconds, again.DurationSeconds, 3);
        var streams = await Analysis.StreamsAsync(world.Output);
        Assert.Equal(firstFrames, Assert.Single(streams, s => s.CodecType == "video").Frames);
        Assert.Contains(streams, s => s.CodecType == "audio");
    }
}
