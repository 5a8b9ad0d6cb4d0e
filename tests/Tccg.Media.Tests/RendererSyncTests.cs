using Tccg.Core.Timeline;

namespace Tccg.Media.Tests;

public sealed class RendererSyncTests(MediaFactory media) : IClassFixture<MediaFactory>
{
    [Fact]
    public async Task RenderAsync_MixedInputs_KeepsFlashAndBeepTogetherAtEveryJoin()
    {
        using var world = new RenderWorld();
        var intro = world.Add(await media.ClipAsync("s-intro.mp4", 1.0, markAt: 0), "intro.mp4");
        var a = world.Add(await media.ClipAsync("s-a60.mp4", 2.0, 320, 180, 60, markAt: 0.5), "clips/a.mp4");
        var b = world.Add(await media.ClipAsync("s-b-vert-mono.mp4", 1.5, 180, 320, 30, sampleRate: 44100, channels: 1, markAt: 0.2), "clips/b.mp4");
        var c = world.Add(await media.ClipAsync("s-c-720.mp4", 1.2, 640, 360, 25, markAt: 0), "clips/c.mp4");
        var silent = world.Add(await media.ClipAsync("s-d-silent.mp4", 1.0, audio: false, markAt: 0), "clips/d.mp4");
        var interval = world.Add(await media.ClipAsync("s-interval.mp4", 0.5, 320, 180, 30), "interval.mp4");
        var doc = RenderWorld.Small();
        doc.Interval = interval;
        doc.Items =
        [
            new TimelineItem { Kind = "intro", File = intro },
            RenderWorld.Clip(a, "A", "a_login", start: 0.5, end: 1.7),
            RenderWorld.Clip(b, "B", "b_login", start: 0.2, end: 1.4),
            RenderWorld.Clip(c, "C", "c_login"),
            RenderWorld.Clip(silent, "D", "d_login", end: 0.8),
        ];

        var result = await world.RenderAsync(doc);

        // Expected starts: intro 1.0, a 1.2, interval 0.5, b 1.2, interval 0.5, c 1.2, interval 0.5, d 0.8.
        double[] flashes = [0, 1.0, 2.7, 4.4, 6.1];
        double[] beeps = [0, 1.0, 2.7, 4.4];
        var expectedDuration = 1.0 + 1.2 + 0.5 + 1.2 + 0.5 + 1.2 + 0.5 + 0.8;
        var streams = await Analysis.StreamsAsync(world.Output);
        var video = Assert.Single(streams, s => s.CodecType == "video");
        var audio = Assert.Single(streams, s => s.CodecType == "audio");
        Assert.Equal(expectedDuration, result.DurationSeconds, 3);
        Assert.Equal((long)Math.Round(expectedDuration * 30), video.Frames);
        Assert.InRange(audio.Duration, expectedDuration - 1.0 / 30, expectedDuration + 1.0 / 30);

        var bright = await Analysis.BrightFramesAsync(world.Output);
        foreach (var t in flashes)
            Assert.Contains(bright, f => Math.Abs(f - t) < 0.5 / 30);
        Assert.Equal(flashes.Length, bright.Count);

        var beepStarts = await Analysis.BeepStartsAsync(world.Output);
        foreach (var t in beeps.Skip(1))
            Assert.Contains(beepStarts, s => Math.Abs(s - t) <= 1.0 / 30);
    }
}
