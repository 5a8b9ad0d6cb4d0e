using Tccg.Core.Compilations;
using Tccg.Core.Timeline;
using static Tccg.Core.Tests.Compilations.DraftFactory;

namespace Tccg.Core.Tests.Compilations;

public class TimelineBuilderTests
{
    [Fact]
    public void Build_FullCompilation_PlacesFirstIntroClipsOutroAndIntervalBetweenClipsOnly()
    {
        var draft = TwoClips() with
        {
            Items = [Item(1, 1, 9, 0.5), Item(2), Item(3)],
            First = Asset(10, AssetRole.First), Intro = Asset(11, AssetRole.Intro),
            Interval = Asset(12, AssetRole.Interval), Outro = Asset(13, AssetRole.Outro),
        };
        var frozen = TimelineBuilder.Build(draft);

        Assert.Empty(TimelineLoader.Validate(frozen.Timeline));
        Assert.Equal(["first", "intro", "clip", "clip", "clip", "outro"], frozen.Timeline.Items!.Select(i => i.Kind));
        Assert.Equal(["assets/first10.mp4", "assets/intro11.mp4", "clips/g/1.mp4", "clips/g/2.mp4", "clips/g/3.mp4", "assets/outro13.mp4"],
            frozen.Timeline.Items!.Select(i => i.File));
        Assert.Equal("assets/interval12.mp4", frozen.Timeline.Interval);
        Assert.Equal([1L, 2L, 3L], frozen.ClipIds);

        var plan = RenderPlan.Expand(frozen.Timeline, "/root");
        Assert.Equal(["first", "intro", "clip", "interval", "clip", "interval", "clip", "outro"], plan.Select(p => TimelineNames.Name(p.Kind)));

        var first = frozen.Timeline.Items![2];
        Assert.Equal((1.0, 9.0, 0.5), (first.TrimStart!.Value, first.TrimEnd!.Value, first.Volume!.Value));
    }

    [Fact]
    public void Build_WithoutAssets_HasOnlyClipsAndNoInterval()
    {
        var frozen = TimelineBuilder.Build(TwoClips());
        Assert.Equal(["clip", "clip"], frozen.Timeline.Items!.Select(i => i.Kind));
        Assert.Null(frozen.Timeline.Interval);
        Assert.Null(frozen.Timeline.Music);
        Assert.Null(frozen.Timeline.Items![0].TrimStart);
    }

    [Fact]
    public void Build_Loudness_IsKeptPerPathWhenKnown()
    {
        var draft = TwoClips() with { Items = [new DraftItem(1, null, null, 1, Clip(1, lufs: -18.5)), new DraftItem(2, null, null, 1, Clip(2, lufs: null))] };
        var frozen = TimelineBuilder.Build(draft);
        Assert.Equal(new Dictionary<string, double> { ["clips/g/1.mp4"] = -18.5 }, frozen.Loudness);
    }

    [Fact]
    public void Build_Settings_MapOutputOverlayAndMusic()
    {
        var draft = TwoClips() with
        {
            Name = "Best of \"week\" 🎬",
            Settings = new CompilationSettings
            {
                Output = new OutputSection { Width = 1280, Height = 720, Fps = 60 },
                Overlay = new OverlaySection { Enabled = true, Position = "bottom-right", Seconds = 4 },
            },
            MusicTracks = [Asset(20, AssetRole.Music), Asset(21, AssetRole.Music)],
            Music = new MusicChoice { Tracks = [20, 21], Volume = 0.3, Duck = false },
        };
        var frozen = FrozenTimeline.FromJson(TimelineBuilder.Build(draft).ToJson());
        Assert.Equal("Best of \"week\" 🎬", frozen.Name);
        Assert.Equal((1280, 720, 60), (frozen.Timeline.Output!.Width!.Value, frozen.Timeline.Output.Height!.Value, frozen.Timeline.Output.Fps!.Value));
        Assert.Equal("bottom-right", frozen.Timeline.Overlay!.Position);
        Assert.Equal(["assets/music20.mp4", "assets/music21.mp4"], frozen.Timeline.Music!.Tracks!);
        Assert.Equal(0.3, frozen.Timeline.Music.Volume);
        Assert.False(frozen.Timeline.Music.Duck);
    }

    [Theory]
    [InlineData("some_login", "Shown", "some_login")]
    [InlineData(null, "CoolStreamer", "coolstreamer")]
    [InlineData(null, "表示名", "b7")]
    [InlineData(null, "Ünal_42", "nal_42")]
    public void CreditLogin_FallsBackToLowerCasedName(string? login, string name, string expected)
    {
        var clip = Clip(7, name: name, login: login);
        Assert.Equal(expected, TimelineBuilder.CreditLogin(clip));
    }

    [Fact]
    public void Build_OverlayTextIsTheDisplayName()
    {
        var draft = TwoClips() with { Items = [new DraftItem(1, null, null, 1, Clip(1, name: "表示名", login: "hyoji")), Item(2)] };
        var streamer = TimelineBuilder.Build(draft).Timeline.Items![0].Streamer!;
        Assert.Equal(("表示名", "hyoji"), (streamer.Name, streamer.Login));
    }
}
