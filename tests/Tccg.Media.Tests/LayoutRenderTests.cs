using Tccg.Core.Timeline;
using Tccg.Media.Rendering;

namespace Tccg.Media.Tests;

/// <summary>
/// Layouts on decoded frames: a 320x180 "stream" with a red facecam in its top-right quarter-square over blue
/// gameplay, rendered to a 180x320 portrait output.
/// </summary>
public sealed class LayoutRenderTests(MediaFactory media) : IClassFixture<MediaFactory>
{
    private static readonly RectSection Facecam = new() { X = 0.75, Y = 0, W = 0.25, H = 0.25 };
    private static readonly RectSection Gameplay = new() { X = 0.2, Y = 0.3, W = 0.5, H = 0.7 };

    private static bool IsFacecam((double R, double G, double B) c) => c.R > 150 && c.B < 90 && c.G < 90;
    private static bool IsGameplay((double R, double G, double B) c) => c.B > 150 && c.R < 90;
    private static bool IsBlack((double R, double G, double B) c) => c.R < 25 && c.G < 25 && c.B < 25;

    private async Task<(RenderWorld World, RenderResult Result)> RenderAsync(LayoutSection? layout, Action<TimelineDocument>? adjust = null)
    {
        var world = new RenderWorld();
        var clip = world.Add(await media.FacecamClipAsync("fc.mp4", 1.0), "clips/fc.mp4");
        var doc = RenderWorld.Small(180, 320);
        doc.Layout = layout;
        doc.Items = [RenderWorld.Clip(clip, "Streamer", "streamer", title: "what a play")];
        adjust?.Invoke(doc);
        return (world, await world.RenderAsync(doc));
    }

    [Fact]
    public async Task Stacked_FacecamOnTopGameplayBelow_EachRegionShowsItsRect()
    {
        var (world, result) = await RenderAsync(new LayoutSection { Mode = "stacked", Top = Facecam, Bottom = Gameplay, Split = 0.4 });
        using var _ = world;

        // Split 0.4 of 320 lines: the top 128 show the facecam, the rest the gameplay.
        var top = await Analysis.CropColorAsync(world.Output, 0.5, 10, 10, 160, 108);
        var bottom = await Analysis.CropColorAsync(world.Output, 0.5, 10, 140, 160, 170);
        Assert.True(IsFacecam(top), $"top region {top}");
        Assert.True(IsGameplay(bottom), $"bottom region {bottom}");
        var video = Assert.Single(await Analysis.StreamsAsync(world.Output), s => s.CodecType == "video");
        Assert.Equal((180, 320, 30L), (video.Width, video.Height, video.Frames));
        Assert.Equal(1.0, result.DurationSeconds, 3);

        // The upload thumbnail of a portrait render is 1080x1920, laid out like the video.
        var thumb = Assert.Single(await Analysis.StreamsAsync(result.ThumbnailPath));
        Assert.Equal((1080, 1920), (thumb.Width, thumb.Height));
        var thumbTop = await Analysis.CropColorAsync(result.ThumbnailPath, 0, 40, 40, 1000, 600);
        var thumbBottom = await Analysis.CropColorAsync(result.ThumbnailPath, 0, 40, 900, 1000, 900);
        Assert.True(IsFacecam(thumbTop), $"thumbnail top {thumbTop}");
        Assert.True(IsGameplay(thumbBottom), $"thumbnail bottom {thumbBottom}");
    }

    [Fact]
    public async Task Thumbnail_IsTheFirstClipsLoudestSecond_At1280x720()
    {
        using var world = new RenderWorld();
        var intro = world.Add(await media.ClipAsync("th-intro.mp4", 1.0, markAt: 0.5), "intro.mp4");
        // A quiet tone with a loud 50 ms beep at 2.2 s: the loudest second is 2–3 s, the thumbnail its middle.
        var clip = world.Add(await media.ClipAsync("th-a.mp4", 3.0, markAt: 2.2), "clips/a.mp4");
        var doc = RenderWorld.Small();
        doc.Items = [new TimelineItem { Kind = "intro", File = intro }, RenderWorld.Clip(clip, "A", "a")];

        var result = await world.RenderAsync(doc);

        var thumb = Assert.Single(await Analysis.StreamsAsync(result.ThumbnailPath));
        Assert.Equal((1280, 720), (thumb.Width, thumb.Height));
        var small = await Analysis.ScaledPixelsAsync(result.ThumbnailPath, 320, 180);
        var atLoudest = await Analysis.CropPixelsAsync(world.Output, 1.0 + 2.5, 0, 0, 320, 180);
        var atStart = await Analysis.CropPixelsAsync(world.Output, 1.0 + 0.5, 0, 0, 320, 180);
        Assert.True(OverlayTests.MeanDiff(small, atLoudest) < 6, $"loudest: {OverlayTests.MeanDiff(small, atLoudest)}");
        Assert.True(OverlayTests.MeanDiff(small, atStart) > OverlayTests.MeanDiff(small, atLoudest) + 5, $"start: {OverlayTests.MeanDiff(small, atStart)}");
    }

    [Fact]
    public async Task Crop_Rect_FillsTheWholeOutput()
    {
        var (world, _) = await RenderAsync(new LayoutSection { Mode = "crop", Rect = Facecam });
        using var _w = world;

        Assert.True(IsFacecam(await Analysis.CropColorAsync(world.Output, 0.5, 4, 4, 172, 312)));
    }

    [Fact]
    public async Task ItemLayout_OverridesTheDefault_AndFitLetterboxesTheWholeFrame()
    {
        // The default would crop to the facecam; the item's own fit shows the whole frame between black bars.
        var (world, _) = await RenderAsync(new LayoutSection { Mode = "crop", Rect = Facecam },
            doc => doc.Items![0].Layout = new LayoutSection { Mode = "fit" });
        using var _w = world;

        // 320x180 in 180 wide: 180x102 (rounded even) centred at y 109..211; the facecam is its top-right corner.
        Assert.True(IsBlack(await Analysis.CropColorAsync(world.Output, 0.5, 0, 0, 180, 100)));
        Assert.True(IsBlack(await Analysis.CropColorAsync(world.Output, 0.5, 0, 220, 180, 100)));
        Assert.True(IsFacecam(await Analysis.CropColorAsync(world.Output, 0.5, 140, 114, 36, 16)));
        Assert.True(IsGameplay(await Analysis.CropColorAsync(world.Output, 0.5, 10, 150, 100, 50)));
    }

    [Fact]
    public async Task Blur_WholeFrameOverADarkenedBlurOfItself()
    {
        var (world, _) = await RenderAsync(new LayoutSection { Mode = "blur" });
        using var _w = world;

        // Above the picture: not black bars but the blurred, darker gameplay (blue leads).
        var fill = await Analysis.CropColorAsync(world.Output, 0.5, 0, 0, 100, 90);
        Assert.False(IsBlack(fill), $"fill {fill}");
        Assert.True(fill.B > fill.R + 40 && fill.B < 210, $"fill {fill}");
        Assert.True(IsFacecam(await Analysis.CropColorAsync(world.Output, 0.5, 140, 114, 36, 16)));
        Assert.True(IsGameplay(await Analysis.CropColorAsync(world.Output, 0.5, 10, 150, 100, 50)));
    }

    [Fact]
    public async Task Vertical_NameAndCaption_StayInsideTheSafeArea()
    {
        var (plainWorld, _) = await RenderAsync(new LayoutSection { Mode = "crop", Rect = Gameplay });
        using var _p = plainWorld;
        var (world, _) = await RenderAsync(new LayoutSection { Mode = "crop", Rect = Gameplay }, doc =>
        {
            doc.Overlay = new OverlaySection { Enabled = true, Position = "bottom-left", Seconds = 5, Color = "white", OutlineColor = "black" };
            doc.Caption = new CaptionSection { Enabled = true };
        });
        using var _w = world;

        async Task<double> Diff(int y, int h) => OverlayTests.MeanDiff(
            await Analysis.CropPixelsAsync(world.Output, 0.5, 0, y, 180, h),
            await Analysis.CropPixelsAsync(plainWorld.Output, 0.5, 0, y, 180, h));

        // 320 lines: nothing in the top 8 % (26 lines) or the bottom 20 % (64 lines) …
        Assert.True(await Diff(0, 26) < 1, $"top 8 %: {await Diff(0, 26)}");
        Assert.True(await Diff(256, 64) < 1, $"bottom 20 %: {await Diff(256, 64)}");
        // … the caption just under the top band, the name just above the bottom one.
        Assert.True(await Diff(26, 30) > 5, $"caption: {await Diff(26, 30)}");
        Assert.True(await Diff(220, 36) > 5, $"name: {await Diff(220, 36)}");
    }

    [Fact]
    public async Task LayoutChange_ReRendersOnlyThatClip()
    {
        using var world = new RenderWorld();
        var clip = world.Add(await media.FacecamClipAsync("fc.mp4", 1.0), "clips/fc.mp4");
        var other = world.Add(await media.ClipAsync("lay-b.mp4", 0.5), "clips/b.mp4");
        var doc = RenderWorld.Small(180, 320);
        doc.Layout = new LayoutSection { Mode = "stacked", Top = Facecam, Bottom = Gameplay };
        doc.Items = [RenderWorld.Clip(clip, "A", "a"), RenderWorld.Clip(other, "B", "b")];
        await world.RenderAsync(doc);

        doc.Items[0].Layout = new LayoutSection { Mode = "stacked", Top = Facecam, Bottom = Gameplay, Split = 0.5 };
        var again = await world.RenderAsync(doc);

        Assert.Equal((1, 0, 1), (again.VideoSegmentsEncoded, again.AudioSegmentsRendered, again.SegmentsReused));
    }
}
