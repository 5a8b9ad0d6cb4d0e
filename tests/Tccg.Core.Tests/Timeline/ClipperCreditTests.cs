using Tccg.Core.Compilations;
using Tccg.Core.Timeline;
using static Tccg.Core.Tests.Compilations.DraftFactory;

namespace Tccg.Core.Tests.Timeline;

public sealed class ClipperCreditTests
{
    [Fact]
    public void Credits_NameWhoClippedEachStreamersClipsOnceInOrder()
    {
        DescribedPiece[] pieces =
        [
            new(ItemKind.Intro, null, null, null, 5),
            new(ItemKind.Clip, "表示名", "somelogin", "a", 30, "ClipFan"),
            new(ItemKind.Clip, "Other", "other", "b", 30, null),
            new(ItemKind.Clip, "表示名", "SomeLogin", "c", 30, "Second\nClipper"),
            new(ItemKind.Clip, "表示名", "somelogin", "d", 30, "clipfan"),
        ];
        Assert.Equal(
            ["表示名 https://www.twitch.tv/somelogin — clipped by ClipFan, Second Clipper", "Other https://www.twitch.tv/other"],
            VideoDescription.Credits(pieces));
        Assert.Contains("— clipped by ClipFan, Second Clipper\n", VideoDescription.Build(pieces), StringComparison.Ordinal);
    }

    [Fact]
    public void Timeline_CarriesTheClipperIntoTheCreditsUnlessTurnedOff()
    {
        var clip = Clip(1) with { CreatorName = "TheClipper" };
        var draft = new CompilationDraft { Name = "w", Items = [new DraftItem(1, null, null, 1, clip), Item(2)] };
        var frozen = TimelineBuilder.Build(draft);
        Assert.Equal(["TheClipper", null], frozen.Timeline.Items!.Select(i => i.Clipper));

        var plan = RenderPlan.Expand(frozen.Timeline, "/root");
        Assert.Equal("TheClipper", plan[0].Clipper);     // on by default

        var off = TimelineBuilder.Build(draft with { Settings = new CompilationSettings { Credits = new CreditsSection { ClippedBy = false } } });
        Assert.Null(RenderPlan.Expand(off.Timeline, "/root")[0].Clipper);
        Assert.Empty(TimelineLoader.Validate(off.Timeline));
    }
}
