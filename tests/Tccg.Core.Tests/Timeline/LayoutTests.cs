using Tccg.Core.Timeline;

namespace Tccg.Core.Tests.Timeline;

public sealed class LayoutTests
{
    private const string Clip = """{ "kind": "clip", "file": "a.mp4", "streamer": { "name": "A", "login": "a" } }""";

    [Fact]
    public void Parse_IssueSample_TopLevelLayoutIsTheClipsDefault()
    {
        var doc = TimelineLoader.Parse($$"""
            { "version": 1, "output": { "width": 1080, "height": 1920, "fps": 30 },
              "layout": { "mode": "stacked",
                          "top":    { "x": 0.75, "y": 0.0, "w": 0.25, "h": 0.25 },
                          "bottom": { "x": 0.20, "y": 0.0, "w": 0.60, "h": 1.0 },
                          "split": 0.4 },
              "items": [ { "kind": "intro", "file": "i.mp4" }, {{Clip}},
                         { "kind": "clip", "file": "b.mp4", "streamer": { "name": "B", "login": "b" }, "layout": { "mode": "crop", "rect": { "x": 0.1, "y": 0.1, "w": 0.5, "h": 0.5 } } } ] }
            """);

        var plan = RenderPlan.Expand(doc, "/base");

        Assert.Null(plan[0].Layout);
        Assert.Equal(new Layout(LayoutMode.Stacked, Top: new(0.75, 0, 0.25, 0.25), Bottom: new(0.2, 0, 0.6, 1), Split: 0.4), plan[1].Layout);
        Assert.Equal(new Layout(LayoutMode.Crop, Rect: new(0.1, 0.1, 0.5, 0.5)), plan[2].Layout);
    }

    [Fact]
    public void Parse_NoLayout_RendersAsBefore()
    {
        var doc = TimelineLoader.Parse($$"""{ "version": 1, "items": [ {{Clip}} ] }""");

        Assert.Null(Assert.Single(RenderPlan.Expand(doc, "/base")).Layout);
        Assert.DoesNotContain("layout", TimelineLoader.Serialize(doc), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "mode": "crop", "rect": { "x": 0.8, "y": 0, "w": 0.3, "h": 0.5 } }""", "items[0] (clip): layout.rect (0.8, 0, 0.3 x 0.5) is outside the frame")]
    [InlineData("""{ "mode": "crop", "rect": { "x": 0.1, "y": 0.1, "w": 0, "h": 0.5 } }""", "items[0] (clip): layout.rect has zero size")]
    [InlineData("""{ "mode": "crop" }""", "items[0] (clip): layout.rect is required for the crop layout")]
    [InlineData("""{ "mode": "stacked", "top": { "x": 0, "y": 0, "w": 0.2, "h": 0.2 }, "bottom": { "x": 0, "y": -0.1, "w": 1, "h": 1 } }""", "items[0] (clip): layout.bottom (0, -0.1, 1 x 1) is outside the frame")]
    [InlineData("""{ "mode": "stacked", "top": { "x": 0, "y": 0, "w": 0.2, "h": 0.2 }, "bottom": { "x": 0, "y": 0, "w": 1, "h": 1 }, "split": 0.95 }""", "items[0] (clip): layout.split must be between 0.1 and 0.9")]
    [InlineData("""{ "mode": "zoom" }""", "items[0] (clip): layout.mode must be fit, blur, crop or stacked")]
    public void Parse_BadItemLayout_NamesTheItemAndField(string layout, string expected)
    {
        var json = $$"""{ "version": 1, "items": [ { "kind": "clip", "file": "a.mp4", "streamer": { "name": "A", "login": "a" }, "layout": {{layout}} } ] }""";

        var ex = Assert.Throws<TimelineValidationException>(() => TimelineLoader.Parse(json));

        Assert.Contains(ex.Errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_BadTopLevelLayout_NamesTheField()
    {
        var json = $$"""{ "version": 1, "layout": { "mode": "stacked", "top": { "x": 0, "y": 0, "w": 0.2, "h": 0.2 } }, "items": [ {{Clip}} ] }""";

        var ex = Assert.Throws<TimelineValidationException>(() => TimelineLoader.Parse(json));

        Assert.Equal(["layout.bottom is required for the stacked layout"], ex.Errors);
    }
}
