using Tccg.Core.Timeline;
using Tccg.Media.Rendering;

namespace Tccg.Media.Tests;

public sealed class RendererCacheTests(MediaFactory media) : IClassFixture<MediaFactory>
{
    private async Task<(RenderWorld World, TimelineDocument Doc)> ThreeClipsAsync()
    {
        var world = new RenderWorld();
        var a = world.Add(await media.ClipAsync("c-a.mp4", 1.5), "a.mp4");
        var b = world.Add(await media.ClipAsync("c-b.mp4", 1.5, 640, 360, 60), "b.mp4");
        var c = world.Add(await media.ClipAsync("c-c.mp4", 1.5, 180, 320), "c.mp4");
        var i = world.Add(await media.ClipAsync("c-i.mp4", 0.4), "interval.mp4");
        var m = world.Add(await media.MusicAsync("c-m.mp3", 2.0), "m.mp3");
        var doc = RenderWorld.Small();
        doc.Interval = i;
        doc.Music = new MusicSection { Tracks = [m], Volume = 0.2 };
        doc.Items = [RenderWorld.Clip(a, "A", "a"), RenderWorld.Clip(b, "B", "b", start: 0.2), RenderWorld.Clip(c, "C", "c", end: 1.2)];
        return (world, doc);
    }

    [Fact]
    public async Task RenderAsync_OneTrimChanged_ReencodesExactlyOneSegment()
    {
        var (world, doc) = await ThreeClipsAsync();
        using var _ = world;
        var first = await world.RenderAsync(doc);
        doc.Items![1].TrimStart = 0.4;

        var second = await world.RenderAsync(doc);

        // Three clips and one interval used twice: four distinct segments.
        Assert.Equal((4, 4), (first.VideoSegmentsEncoded, first.AudioSegmentsRendered));
        Assert.Equal((1, 1, 3), (second.VideoSegmentsEncoded, second.AudioSegmentsRendered, second.SegmentsReused));
        Assert.Equal(first.DurationSeconds - 0.2, second.DurationSeconds, 3);
        var frames = Assert.Single(await Analysis.StreamsAsync(world.Output), s => s.CodecType == "video").Frames;
        Assert.Equal((long)Math.Round(second.DurationSeconds * 30), frames);
    }

    [Fact]
    public async Task RenderAsync_OnlyMusicChanged_EncodesNoSegment()
    {
        var (world, doc) = await ThreeClipsAsync();
        using var _ = world;
        await world.RenderAsync(doc);
        var before = File.GetLastWriteTimeUtc(world.Output);
        doc.Music!.Volume = 0.6;
        doc.Music.Duck = false;

        var second = await world.RenderAsync(doc);

        Assert.Equal((0, 0), (second.VideoSegmentsEncoded, second.AudioSegmentsRendered));
        Assert.True(File.GetLastWriteTimeUtc(world.Output) >= before);
    }

    [Fact]
    public async Task RenderAsync_OnlyVolumeChanged_RendersNoSegment()
    {
        var (world, doc) = await ThreeClipsAsync();
        using var _ = world;
        await world.RenderAsync(doc);
        doc.Items![2].Volume = 0.5;

        var second = await world.RenderAsync(doc);

        Assert.Equal((0, 0), (second.VideoSegmentsEncoded, second.AudioSegmentsRendered));
    }

    [Fact]
    public async Task RenderAsync_SecondCompilationWithSameClip_SharesItsSegment()
    {
        var (world, doc) = await ThreeClipsAsync();
        using var _ = world;
        var first = await world.RenderAsync(doc);
        var other = RenderWorld.Small();
        other.Items = [doc.Items![1], RenderWorld.Clip(doc.Items[0].File!, "A", "a", end: 1.0)];

        var second = await world.RenderAsync(other);

        Assert.Equal((1, 1), (second.VideoSegmentsEncoded, second.SegmentsReused));
        Assert.Equal(first.VideoSegmentKeys[2], second.VideoSegmentKeys[0]);
    }

    [Fact]
    public async Task RenderAsync_Cancelled_LeavesNoOutputAndNoTemporaryFiles()
    {
        var (world, doc) = await ThreeClipsAsync();
        using var _ = world;
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress<RenderProgress>(p =>
        {
            if (p.Stage == RenderStage.EncodingSegments && p.Percent > 6)
                cts.Cancel();
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => world.RenderAsync(doc, progress, ct: cts.Token));

        Assert.False(File.Exists(world.Output));
        Assert.False(File.Exists(Path.ChangeExtension(world.Output, ".txt")));
        // Segment temporaries, the output's, the thumbnail's and the sound mixed beside the pictures.
        var leftovers = Directory.EnumerateFiles(world.Dir, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".tmp", StringComparison.Ordinal) || f.EndsWith(".tmp.jpg", StringComparison.Ordinal) || f.EndsWith(".audio.m4a", StringComparison.Ordinal))
            .ToList();
        Assert.Empty(leftovers);
    }

    [Fact]
    public async Task RenderAsync_OddCharactersInEveryPath_Renders()
    {
        using var world = new RenderWorld();
        var odd = "it's, [odd]; dir: 100% \\ x";
        var a = world.Add(await media.ClipAsync("c-odd.mp4", 1.0), Path.Combine(odd, "clip 'one'.mp4"));
        var doc = RenderWorld.Small();
        doc.Overlay = new OverlaySection { Enabled = true, Seconds = 1 };
        doc.Items = [RenderWorld.Clip(a, "A", "a"), RenderWorld.Clip(a, "B", "b")];
        world.CacheDir = Path.Combine(world.Dir, odd, "cache 'segments'");

        var result = await world.RenderAsync(doc);

        Assert.Equal(2.0, result.DurationSeconds, 3);
    }
}
