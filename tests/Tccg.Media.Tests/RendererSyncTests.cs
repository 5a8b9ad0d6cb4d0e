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
        await AssertInSyncAsync(world.Output, result, flashes, beeps, expectedDuration);
    }

    [Fact]
    public async Task RenderAsync_VerticalStackedMixedInputs_KeepsFlashAndBeepTogetherAtEveryJoin()
    {
        using var world = new RenderWorld();
        var a = world.Add(await media.ClipAsync("v-a60.mp4", 1.5, 320, 180, 60, markAt: 0.5), "clips/a.mp4");
        var b = world.Add(await media.ClipAsync("v-b2997.mp4", 1.2, 320, 180, 30, markAt: 0.3, rate: "30000/1001"), "clips/b.mp4");
        var c = world.Add(await media.ClipAsync("v-c-mono.mp4", 1.0, 320, 180, 30, sampleRate: 44100, channels: 1, markAt: 0), "clips/c.mp4");
        var d = world.Add(await media.ClipAsync("v-d-vert.mp4", 1.0, 180, 320, 30, markAt: 0), "clips/d.mp4");
        var doc = RenderWorld.Small(180, 320);
        doc.Layout = new LayoutSection
        {
            Mode = "stacked",
            Top = new RectSection { X = 0.75, Y = 0, W = 0.25, H = 0.25 },
            Bottom = new RectSection { X = 0.2, Y = 0, W = 0.6, H = 1 },
        };
        doc.Items =
        [
            RenderWorld.Clip(a, "A", "a_login", start: 0.5, end: 1.4),
            RenderWorld.Clip(b, "B", "b_login", start: 0.3),
            // A vertical source cropped to the middle of itself, and a blurred fill, in the same compilation.
            RenderWorld.Clip(c, "C", "c_login", end: 0.8),
            RenderWorld.Clip(d, "D", "d_login"),
        ];
        doc.Items[3].Layout = new LayoutSection { Mode = "crop", Rect = new RectSection { X = 0, Y = 0.25, W = 1, H = 0.5 } };
        doc.Items[2].Layout = new LayoutSection { Mode = "blur" };

        var result = await world.RenderAsync(doc);

        // Starts: a 0.9 s, b 0.9 s (1.2 less 0.3, at 29.97 fps), c 0.8 s, d 1.0 s.
        double[] flashes = [0, 0.9, 1.8, 2.6];
        var expectedDuration = 0.9 + 0.9 + 0.8 + 1.0;
        await AssertInSyncAsync(world.Output, result, flashes, flashes, expectedDuration);
        var video = Assert.Single(await Analysis.StreamsAsync(world.Output), s => s.CodecType == "video");
        Assert.Equal((180, 320), (video.Width, video.Height));
    }

    private static async Task AssertInSyncAsync(string output, Tccg.Media.Rendering.RenderResult result, double[] flashes, double[] beeps, double expectedDuration)
    {
        var streams = await Analysis.StreamsAsync(output);
        var video = Assert.Single(streams, s => s.CodecType == "video");
        var audio = Assert.Single(streams, s => s.CodecType == "audio");
        Assert.Equal(expectedDuration, result.DurationSeconds, 3);
        Assert.Equal((long)Math.Round(expectedDuration * 30), video.Frames);
        Assert.InRange(audio.Duration, expectedDuration - 1.0 / 30, expectedDuration + 1.0 / 30);

        var bright = await Analysis.BrightFramesAsync(output);
        foreach (var t in flashes)
            Assert.Contains(bright, f => Math.Abs(f - t) < 0.5 / 30);
        Assert.Equal(flashes.Length, bright.Count);

        var beepStarts = await Analysis.BeepStartsAsync(output);
        foreach (var t in beeps.Skip(1))
            Assert.Contains(beepStarts, s => Math.Abs(s - t) <= 1.0 / 30);
    }
}
