using Tccg.Core.Timeline;

namespace Tccg.Core.Tests.Timeline;

public sealed class VideoDescriptionTests
{
    private static readonly DescribedPiece[] Pieces =
    [
        new(ItemKind.Intro, null, null, null, 12.0),
        new(ItemKind.Clip, "表示名", "SomeLogin", "Huge clutch", 30.5),
        new(ItemKind.Interval, null, null, null, 1.0),
        new(ItemKind.Clip, "Other", "other", null, 28.6),
        new(ItemKind.Interval, null, null, null, 1.0),
        new(ItemKind.Clip, "表示名", "somelogin", "Again\nwith newline", 3540),
        new(ItemKind.Outro, null, null, null, 5),
    ];

    [Fact]
    public void Credits_EachStreamerOnceWithChannelLink()
    {
        Assert.Equal(["表示名 https://www.twitch.tv/somelogin", "Other https://www.twitch.tv/other"], VideoDescription.Credits(Pieces));
    }

    [Fact]
    public void Chapters_StartAtZeroAndFoldIntervalsIntoThePreviousChapter()
    {
        Assert.Equal(
            ["0:00 Intro", "0:12 表示名 — Huge clutch", "0:43 Other", "1:13 表示名 — Again with newline", "1:00:13 Outro"],
            VideoDescription.Chapters(Pieces));
    }

    [Fact]
    public void Chapters_NoIntro_FirstClipIsAtZero()
    {
        Assert.Equal(["0:00 A", "0:09 B"], VideoDescription.Chapters(
        [
            new(ItemKind.Clip, "A", "a", null, 9.99),
            new(ItemKind.Clip, "B", "b", null, 5),
        ]));
    }

    [Fact]
    public void Build_HasCreditsThenChapters()
    {
        var text = VideoDescription.Build(Pieces);

        Assert.StartsWith("Streamers in this video:\n表示名 https://www.twitch.tv/somelogin\n", text, StringComparison.Ordinal);
        Assert.Contains("\n\nChapters:\n0:00 Intro\n", text, StringComparison.Ordinal);
        Assert.EndsWith("1:00:13 Outro\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "0:00")]
    [InlineData(59.999, "0:59")]
    [InlineData(60, "1:00")]
    [InlineData(3599, "59:59")]
    [InlineData(3600, "1:00:00")]
    [InlineData(36125, "10:02:05")]
    public void Timestamp_FormatsLikeYouTube(double seconds, string expected) =>
        Assert.Equal(expected, VideoDescription.Timestamp(seconds));
}
