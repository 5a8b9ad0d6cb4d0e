using Tccg.Core.Compilations;
using Tccg.Core.Timeline;
using static Tccg.Core.Tests.Compilations.DraftFactory;

namespace Tccg.Core.Tests.Compilations;

/// <summary>Which layout a clip renders with: the item's own &gt; the streamer's remembered box &gt; Twitch's boxes &gt; the compilation's.</summary>
public sealed class LayoutPrecedenceTests
{
    private static readonly Layout Twitch = new(LayoutMode.Stacked, Top: new(0.8, 0, 0.2, 0.2), Bottom: new(0.25, 0, 0.5, 1));
    private static readonly Layout Streamer = new(LayoutMode.Stacked, Top: new(0, 0, 0.3, 0.3), Bottom: new(0.2, 0, 0.6, 1), Split: 0.35);
    private static readonly Layout Own = new(LayoutMode.Crop, Rect: new(0.1, 0, 0.3, 1));

    private static CompilationDraft Draft(string target, params DraftItem[] items) => new()
    {
        Name = "Layouts",
        Items = items,
        Settings = new CompilationSettings { Target = target },
    };

    private static LayoutSection? LayoutOf(CompilationDraft draft, int index) => TimelineBuilder.Build(draft).Timeline.Items![index].Layout;

    [Fact]
    public void Vertical_EachSourceWinsOverTheNext()
    {
        var draft = Draft("shorts",
            new DraftItem(1, null, null, 1, Clip(1) with { Portrait = Twitch, Streamer = Streamer }, Own),
            new DraftItem(2, null, null, 1, Clip(2) with { Portrait = Twitch, Streamer = Streamer }),
            new DraftItem(3, null, null, 1, Clip(3) with { Portrait = Twitch }),
            Item(4));

        Assert.Equal(Own.Key, Layout.From(LayoutOf(draft, 0)!).Key);
        Assert.Equal(Streamer.Key, Layout.From(LayoutOf(draft, 1)!).Key);
        Assert.Equal(Twitch.Key, Layout.From(LayoutOf(draft, 2)!).Key);
        Assert.Null(LayoutOf(draft, 3));
        Assert.Equal("blur", TimelineBuilder.Build(draft).Timeline.Layout!.Mode);
        Assert.Equal(("streamer", "twitch"), (draft.Items[1].Resolve(true).Source, draft.Items[2].Resolve(true).Source));
        Assert.Empty(TimelineLoader.Validate(TimelineBuilder.Build(draft).Timeline));
    }

    [Fact]
    public void Landscape_OnlyTheItemsOwnLayoutApplies()
    {
        var draft = Draft("youtube",
            new DraftItem(1, null, null, 1, Clip(1) with { Portrait = Twitch, Streamer = Streamer }, Own),
            new DraftItem(2, null, null, 1, Clip(2) with { Portrait = Twitch, Streamer = Streamer }));

        Assert.Equal(Own.Key, Layout.From(LayoutOf(draft, 0)!).Key);
        Assert.Null(LayoutOf(draft, 1));
        Assert.Equal(LayoutMode.Fit, TimelineBuilder.DefaultLayout(draft.Settings).Mode);
    }

    [Fact]
    public void StoredLayout_RoundTripsThroughJson_AndOnlyBoxesAreFacecams()
    {
        Assert.Equal(Streamer.Key, Layout.FromJson(Streamer.ToJson())!.Key);
        Assert.Equal(Own.Key, Layout.FromJson(Own.ToJson())!.Key);
        Assert.True(Streamer.IsFacecam);
        Assert.True(Own.IsFacecam);
        Assert.False(Layout.Blur.IsFacecam);
        Assert.Null(Layout.FromJson("""{"mode":"stacked","top":{"x":0.9,"y":0,"w":0.5,"h":0.5},"bottom":{"x":0,"y":0,"w":1,"h":1}}"""));
    }
}
