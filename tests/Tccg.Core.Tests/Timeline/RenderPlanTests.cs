using Tccg.Core.Configuration;
using Tccg.Core.Timeline;

namespace Tccg.Core.Tests.Timeline;

public sealed class RenderPlanTests
{
    private static TimelineItem Item(string kind, string file = "x.mp4") =>
        kind == "clip"
            ? new TimelineItem { Kind = kind, File = file, Streamer = new StreamerRef { Name = file, Login = "l" } }
            : new TimelineItem { Kind = kind, File = file };

    [Fact]
    public void Expand_IntervalGoesBetweenConsecutiveClipsOnly()
    {
        var doc = new TimelineDocument
        {
            Version = 1,
            Interval = "gap.mp4",
            Items = [Item("first"), Item("intro"), Item("clip", "a.mp4"), Item("clip", "b.mp4"), Item("interval", "own.mp4"), Item("clip", "c.mp4"), Item("clip", "d.mp4"), Item("outro")],
        };

        var plan = RenderPlan.Expand(doc, "/base");

        Assert.Equal(
            ["first x.mp4", "intro x.mp4", "clip a.mp4", "interval gap.mp4", "clip b.mp4", "interval own.mp4", "clip c.mp4", "interval gap.mp4", "clip d.mp4", "outro x.mp4"],
            plan.Select(p => $"{TimelineNames.Name(p.Kind)} {Path.GetFileName(p.FilePath)}"));
        Assert.Null(plan[3].ItemIndex);
        Assert.Equal(3, plan[4].ItemIndex);
        Assert.Equal("/base/clips.mp4", RenderPlan.Expand(new TimelineDocument { Version = 1, Items = [Item("intro", "clips.mp4")] }, "/base")[0].FilePath);
    }

    [Fact]
    public void Expand_NoIntervalSetting_AddsNothing()
    {
        var doc = new TimelineDocument { Version = 1, Items = [Item("clip", "a.mp4"), Item("clip", "b.mp4")] };

        Assert.Equal(2, RenderPlan.Expand(doc, "/b").Count);
    }

    [Fact]
    public void CheckMedia_TrimsOutsideTheFile_NameItemAndField()
    {
        var doc = new TimelineDocument
        {
            Version = 1,
            Items =
            [
                new TimelineItem { Kind = "intro", File = "intro.mp4", TrimStart = 4 },
                new TimelineItem { Kind = "clip", File = "a.mp4", TrimEnd = 12, Streamer = new StreamerRef { Name = "A", Login = "a" } },
                new TimelineItem { Kind = "outro", File = "gone.mp4" },
            ],
        };
        var plan = RenderPlan.Expand(doc, "/b");

        var errors = RenderPlan.CheckMedia(plan, f => f.EndsWith("gone.mp4", StringComparison.Ordinal) ? null : 3.0, "/b");

        Assert.Equal(
        [
            "items[0] (intro): trimStart (4) must be less than the media duration (3) of intro.mp4",
            "items[1] (clip): trimEnd (12) is past the end of a.mp4 (3 s)",
            "items[2] (outro): file gone.mp4 is missing or not a media file",
        ], errors);
    }

    [Theory]
    [InlineData(10.0, 30, 300, 480000)]
    [InlineData(8.5, 30, 255, 408000)]
    [InlineData(1.0 / 60, 30, 1, 1600)]
    [InlineData(2.0, 25, 50, 96000)]
    [InlineData(1.0, 24, 24, 48000)]
    public void FramesAndSamples_LastEquallyLong(double seconds, int fps, int frames, long samples)
    {
        Assert.Equal(frames, RenderPlan.Frames(seconds, fps));
        Assert.Equal(samples, RenderPlan.Samples(frames, fps));
        Assert.Equal((double)frames / fps, (double)samples / 48000, 9);
    }

    [Fact]
    public void TrimmedSeconds_OpenEndUsesTheFileDuration()
    {
        var e = new PlanEntry(0, ItemKind.Clip, "/a", 1.5, null, 1, null, null, null, null);

        Assert.Equal(8.5, RenderPlan.TrimmedSeconds(e, 10));
        Assert.Equal(2.0, RenderPlan.TrimmedSeconds(e with { TrimEnd = 3.5 }, 10));
    }

    [Fact]
    public void Resolve_MissingSettings_ComeFromGeneratorOptions()
    {
        var defaults = new GeneratorOptions { Width = 1280, Height = 720, Fps = 60, Font = "Noto Sans", LoudnessLufs = -16 };
        var doc = new TimelineDocument
        {
            Version = 1,
            Output = new OutputSection { Crf = 23 },
            Overlay = new OverlaySection { Font = "fonts/My Font.ttf" },
            Music = new MusicSection { Tracks = ["m/a.mp3"] },
            Items = [Item("intro")],
        };

        var s = TimelineSettings.Resolve(doc, defaults, "/base");

        Assert.Equal((1280, 720, 60, 23, -16.0, "veryfast", FillMode.Blur), (s.Output.Width, s.Output.Height, s.Output.Fps, s.Output.Crf, s.Output.LoudnessLufs, s.Output.Preset, s.Output.Fill));
        Assert.Equal("/base/fonts/My Font.ttf", s.Overlay.Font);
        Assert.Equal((OverlayPosition.TopLeft, 5.0, true), (s.Overlay.Position, s.Overlay.Seconds, s.Overlay.Enabled));
        Assert.Equal(["/base/m/a.mp3"], s.Music.Tracks);
        Assert.Equal((0.2, true), (s.Music.Volume, s.Music.Duck));
        Assert.Equal("Noto Sans", TimelineSettings.Resolve(new TimelineDocument { Version = 1 }, defaults, "/b").Overlay.Font);
    }
}
