using Tccg.Core.Timeline;

namespace Tccg.Core.Tests.Timeline;

public sealed class TimelineLoaderTests
{
    private const string Sample = """
        {
          "version": 1,
          "output":  { "width": 1920, "height": 1080, "fps": 30, "preset": "veryfast", "crf": 20,
                       "audioBitrateKbps": 192, "loudnessLufs": -14 },
          "overlay": { "enabled": true, "font": "DejaVu Sans", "color": "white", "outlineColor": "black",
                       "position": "top-left", "seconds": 5 },
          "music":   { "tracks": ["music/track1.mp3"], "volume": 0.2, "duck": true },
          "interval": "interval.mp4",
          "items": [
            { "kind": "first", "file": "first.mp4" },
            { "kind": "intro", "file": "intro.mp4" },
            { "kind": "clip", "file": "clips/a.mp4", "trimStart": 1.0, "trimEnd": 9.5, "volume": 1.0,
              "streamer": { "name": "表示名", "login": "somelogin" }, "title": "…",
              "url": "https://clips.twitch.tv/x" },
            { "kind": "outro", "file": "outro.mp4" }
          ]
        }
        """;

    [Fact]
    public void Parse_DesignSample_ReadsEveryField()
    {
        var doc = TimelineLoader.Parse(Sample);

        Assert.Equal(1, doc.Version);
        Assert.Equal(1920, doc.Output!.Width);
        Assert.Equal("top-left", doc.Overlay!.Position);
        Assert.Equal(["music/track1.mp3"], doc.Music!.Tracks!);
        Assert.Equal("interval.mp4", doc.Interval);
        Assert.Equal(4, doc.Items!.Count);
        var clip = doc.Items[2];
        Assert.Equal(("clip", 1.0, 9.5, "表示名", "somelogin"), (clip.Kind, clip.TrimStart, clip.TrimEnd, clip.Streamer!.Name, clip.Streamer.Login));
    }

    [Fact]
    public void Parse_OnlyVersionAndItems_IsValid()
    {
        var doc = TimelineLoader.Parse("""{"version":1,"items":[{"kind":"intro","file":"i.mp4"}]}""");

        Assert.Null(doc.Output);
        Assert.Single(doc.Items!);
    }

    [Fact]
    public void Parse_WrongVersion_SaysWhichVersion()
    {
        var ex = Assert.Throws<TimelineValidationException>(() => TimelineLoader.Parse("""{"version":2,"items":[{"kind":"intro","file":"i.mp4"}]}"""));

        Assert.Contains("version must be 1 (found 2)", ex.Errors);
    }

    [Fact]
    public void Parse_BadItems_NamesIndexKindAndField()
    {
        var json = """
            {"version":1,"items":[
              {"kind":"clip","file":"a.mp4","trimStart":5,"trimEnd":4,"volume":3,"streamer":{"name":"A","login":"a"}},
              {"kind":"clip","file":"","streamer":{"name":"","login":"bad login!"}},
              {"kind":"credits","file":"x.mp4"}
            ]}
            """;

        var ex = Assert.Throws<TimelineValidationException>(() => TimelineLoader.Parse(json));

        Assert.Contains("items[0] (clip): trimEnd (4) must be greater than trimStart (5)", ex.Errors);
        Assert.Contains("items[0] (clip): volume must be between 0 and 2 (found 3)", ex.Errors);
        Assert.Contains("items[1] (clip): file is required", ex.Errors);
        Assert.Contains("items[1] (clip): streamer.name is required for a clip", ex.Errors);
        Assert.Contains(ex.Errors, e => e.StartsWith("items[1] (clip): streamer.login", StringComparison.Ordinal));
        Assert.Contains("items[2] (credits): kind must be first, intro, clip, interval or outro", ex.Errors);
    }

    [Fact]
    public void Parse_IntroAfterClipAndTwoOutros_ReportsTheOrder()
    {
        var json = """
            {"version":1,"items":[
              {"kind":"clip","file":"a.mp4","streamer":{"name":"A","login":"a"}},
              {"kind":"intro","file":"i.mp4"},
              {"kind":"outro","file":"o.mp4"},
              {"kind":"outro","file":"o.mp4"}
            ]}
            """;

        var ex = Assert.Throws<TimelineValidationException>(() => TimelineLoader.Parse(json));

        Assert.Contains(ex.Errors, e => e.StartsWith("items[1] (intro): must not come after a clip item", StringComparison.Ordinal));
        Assert.Contains("items[3] (outro): only one outro item is allowed", ex.Errors);
    }

    [Fact]
    public void Parse_BadSettings_NamesTheSetting()
    {
        var json = """
            {"version":1,"output":{"width":1919,"fps":0,"preset":"warp","fill":"stretch"},
             "overlay":{"position":"middle","color":"white:x"},"music":{"volume":5},
             "items":[{"kind":"intro","file":"i.mp4"}]}
            """;

        var ex = Assert.Throws<TimelineValidationException>(() => TimelineLoader.Parse(json));

        Assert.Contains("output.width must be an even number from 16 to 7680", ex.Errors);
        Assert.Contains("output.fps must be between 1 and 120", ex.Errors);
        Assert.Contains(ex.Errors, e => e.StartsWith("output.preset", StringComparison.Ordinal));
        Assert.Contains("output.fill must be blur or letterbox", ex.Errors);
        Assert.Contains(ex.Errors, e => e.StartsWith("overlay.position", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("overlay.color", StringComparison.Ordinal));
        Assert.Contains("music.volume must be between 0 and 2", ex.Errors);
    }

    [Theory]
    [InlineData("{", "not valid timeline JSON")]
    [InlineData("""{"version":1,"items":[]}""", "items: the timeline needs at least one item")]
    [InlineData("""{"version":1,"items":[{"kind":"clip","trimStart":"x"}]}""", "not valid timeline JSON at $.items[0].trimStart")]
    public void Parse_BrokenDocuments_Explain(string json, string expected)
    {
        var ex = Assert.Throws<TimelineValidationException>(() => TimelineLoader.Parse(json));

        Assert.Contains(ex.Errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Serialize_RoundTrips()
    {
        var doc = TimelineLoader.Parse(Sample);

        var again = TimelineLoader.Parse(TimelineLoader.Serialize(doc));

        Assert.Equal(TimelineLoader.Serialize(doc), TimelineLoader.Serialize(again));
    }
}
