using Tccg.Core.Compilations;
using Tccg.Core.Configuration;
using Tccg.Core.Timeline;
using static Tccg.Core.Tests.Compilations.DraftFactory;

namespace Tccg.Core.Tests.Compilations;

public sealed class PlatformTargetTests
{
    private static CompilationDraft Draft(string target, params double[] durations) => new()
    {
        Name = "Shorts",
        Items = durations.Select((d, i) => Item(i + 1, duration: d)).ToList(),
        Settings = new CompilationSettings { Target = target },
    };

    [Fact]
    public void Validate_ShortsOver180Seconds_IsRefusedWithTheExcess()
    {
        // 100 + 90 s of clips and a 3 s interval between them: 193 s.
        var draft = Draft("shorts", 100, 90) with { Interval = Asset(9, AssetRole.Interval) };

        var m = Assert.Single(EditorRules.Validate(draft, new EditorOptions()));

        Assert.Equal("settings.target", m.Field);
        Assert.Equal("YouTube Shorts videos may last at most 180 s: this compilation lasts 193 s, 13 s too long (trim or remove clips, or pick another target)", m.Message);
    }

    [Fact]
    public void Validate_TrimmedUnderTheLimit_OrALimitRaisedInConfiguration_Passes()
    {
        var trimmed = Draft("shorts", 100, 90) with { Items = [Item(1, trimEnd: 80, duration: 100), Item(2, duration: 90)] };

        Assert.Empty(EditorRules.Validate(trimmed, new EditorOptions()));
        Assert.Empty(EditorRules.Validate(Draft("shorts", 100, 90), new EditorOptions { ShortsMaxSeconds = 200 }));
        Assert.Empty(EditorRules.Validate(Draft("youtube", 500, 500), new EditorOptions()));
        Assert.Single(EditorRules.Validate(Draft("tiktok", 500, 500), new EditorOptions()));
    }

    [Fact]
    public void CheckEdit_UnknownTarget_NamesTheField()
    {
        var m = Assert.Single(EditorRules.CheckEdit(Draft("vine", 10, 10)));

        Assert.Equal(("settings.target", "target must be youtube, shorts, tiktok, reels, custom (found vine)"), (m.Field, m.Message));
    }

    [Fact]
    public void CheckEdit_BadDefaultLayout_NamesTheField()
    {
        var draft = Draft("shorts", 10, 10);
        draft.Settings.Layout = new LayoutSection { Mode = "crop", Rect = new RectSection { X = 0.5, Y = 0, W = 0.6, H = 1 } };

        var m = Assert.Single(EditorRules.CheckEdit(draft));

        Assert.Equal("settings.layout.rect", m.Field);
    }

    [Fact]
    public void Build_VerticalTarget_SetsTheSizeBlurByDefaultAndTwitchBoxesPerClip()
    {
        var boxes = new Layout(LayoutMode.Stacked, Top: new(0.7, 0, 0.3, 0.3), Bottom: new(0.2, 0, 0.6, 1), Split: 0.35);
        var draft = Draft("shorts", 10, 10) with { Items = [Item(1), new DraftItem(2, null, null, 1, Clip(2) with { Portrait = boxes })] };
        draft.Settings.Output = new OutputSection { Width = 1280, Height = 720, Fps = 60 };

        var doc = TimelineBuilder.Build(draft).Timeline;

        Assert.Equal((1080, 1920, 60), (doc.Output!.Width, doc.Output.Height, doc.Output.Fps));
        Assert.Equal("blur", doc.Layout!.Mode);
        Assert.Null(doc.Items![0].Layout);
        Assert.Equal(boxes, Layout.From(doc.Items[1].Layout!));
        Assert.Empty(TimelineLoader.Validate(doc));
    }

    [Fact]
    public void Build_YouTubeTarget_IgnoresPortraitBoxes()
    {
        var boxes = new Layout(LayoutMode.Crop, Rect: new(0.2, 0, 0.6, 1));
        var draft = Draft("youtube", 10, 10) with { Items = [new DraftItem(1, null, null, 1, Clip(1) with { Portrait = boxes }), Item(2)] };

        var doc = TimelineBuilder.Build(draft).Timeline;

        Assert.Equal((1920, 1080), (doc.Output!.Width, doc.Output.Height));
        Assert.Null(doc.Layout);
        Assert.All(doc.Items!, i => Assert.Null(i.Layout));
    }
}
