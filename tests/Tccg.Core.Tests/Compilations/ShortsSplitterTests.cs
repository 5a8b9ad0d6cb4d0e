using Tccg.Core.Compilations;
using Tccg.Core.Timeline;
using static Tccg.Core.Tests.Compilations.DraftFactory;

namespace Tccg.Core.Tests.Compilations;

public sealed class ShortsSplitterTests
{
    private static CompilationDraft Weekly() => new()
    {
        Name = "Week 1",
        Items = [Item(1), Item(2, trimStart: 1, trimEnd: 6), Item(3)],
        Intro = Asset(7, AssetRole.Intro),
        Interval = Asset(8, AssetRole.Interval),
        Settings = new CompilationSettings { Target = "youtube", Overlay = new OverlaySection { Position = "bottom-left" } },
    };

    [Fact]
    public void Split_FirstN_MakesOneVerticalOneClipTimelineEach()
    {
        var shorts = ShortsSplitter.Split(Weekly() with
        {
            Items = [Item(1), new DraftItem(2, 1, 6, 1, Clip(2) with { Game = "Counter-Strike 2" }), Item(3)],
        }, new ShortsOptions(MaxClips: 2));

        Assert.Equal([1L, 2L], shorts.Select(s => s.ClipId));
        Assert.Equal("Week 1 - 2 - Title 2", shorts[1].Name);
        var doc = shorts[1].Timeline.Timeline;
        var item = Assert.Single(doc.Items!);
        Assert.Equal(("clip", 1.0, 6.0), (item.Kind, item.TrimStart, item.TrimEnd));
        Assert.Equal((1080, 1920), (doc.Output!.Width, doc.Output.Height));
        Assert.Null(doc.Interval);
        Assert.True(doc.Caption!.Enabled);
        Assert.Equal("bottom-left", doc.Overlay!.Position);
        Assert.Equal([2L], shorts[1].Timeline.ClipIds);
        Assert.Equal("Title 2\n\nClip by Streamer: https://www.twitch.tv/streamer\nhttps://clips.twitch.tv/c2\n\n#CounterStrike2 #shorts\n", shorts[1].Description);
        Assert.Equal(shorts[1].Description, doc.Description);
        Assert.Empty(TimelineLoader.Validate(doc));
    }

    [Fact]
    public void Split_IntroOutroAndNoCaption_AsAsked()
    {
        var shorts = ShortsSplitter.Split(Weekly(), new ShortsOptions(Caption: false, IntroOutro: true));

        Assert.Equal(3, shorts.Count);
        Assert.All(shorts, s => Assert.Equal(["intro", "clip"], s.Timeline.Timeline.Items!.Select(i => i.Kind)));
        Assert.All(shorts, s => Assert.False(s.Timeline.Timeline.Caption!.Enabled));
    }

    [Fact]
    public void Split_VerticalCustomCompilation_KeepsItsSize()
    {
        var draft = Weekly() with { Settings = new CompilationSettings { Target = "custom", Output = new OutputSection { Width = 720, Height = 1280 } } };

        Assert.All(ShortsSplitter.Split(draft), s => Assert.Equal((720, 1280), (s.Timeline.Timeline.Output!.Width, s.Timeline.Timeline.Output.Height)));
    }

    [Theory]
    [InlineData("Counter-Strike 2", "#CounterStrike2")]
    [InlineData("Just Chatting", "#JustChatting")]
    [InlineData("-- ", null)]
    [InlineData(null, null)]
    public void Hashtag_KeepsLettersAndDigits(string? game, string? expected) =>
        Assert.Equal(expected, ShortsSplitter.Hashtag(game));
}
