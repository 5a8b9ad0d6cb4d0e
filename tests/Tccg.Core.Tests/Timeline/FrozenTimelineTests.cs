using Tccg.Core.Timeline;

namespace Tccg.Core.Tests.Timeline;

public class FrozenTimelineTests
{
    [Fact]
    public void Json_RoundTrips_AndPathsListsEachFileOnce()
    {
        var frozen = new FrozenTimeline
        {
            Name = "Best of \"week\" 🎬",
            Timeline = new TimelineDocument
            {
                Version = 1,
                Interval = "assets/i.mp4",
                Music = new MusicSection { Tracks = ["assets/m.mp3"] },
                Items =
                [
                    new TimelineItem { Kind = "intro", File = "assets/intro.mp4" },
                    new TimelineItem { Kind = "clip", File = "clips/1/a.mp4", Streamer = new StreamerRef { Name = "表示名", Login = "x" } },
                    new TimelineItem { Kind = "clip", File = "clips/1/a.mp4" },
                ],
            },
            Loudness = { ["clips/1/a.mp4"] = -21.5 },
            ClipIds = [7, 8],
        };

        var back = FrozenTimeline.FromJson(frozen.ToJson());

        Assert.Equal(frozen.Name, back.Name);
        Assert.Equal(-21.5, back.Loudness["clips/1/a.mp4"]);
        Assert.Equal([7L, 8L], back.ClipIds);
        Assert.Equal("表示名", back.Timeline.Items![1].Streamer!.Name);
        Assert.Equal(["assets/intro.mp4", "clips/1/a.mp4", "assets/i.mp4", "assets/m.mp3"], back.Paths());
    }
}
