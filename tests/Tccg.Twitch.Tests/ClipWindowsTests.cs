using Tccg.Core.Twitch;

namespace Tccg.Twitch.Tests;

public sealed class ClipWindowsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 30, 15, 500, TimeSpan.Zero);

    [Theory]
    [InlineData(ClipPeriod.Day, 1)]
    [InlineData(ClipPeriod.Week, 7)]
    [InlineData(ClipPeriod.Month, 30)]
    public void ForPeriod_RecentPeriods_EndNowOnAWholeSecond(ClipPeriod period, int days)
    {
        var window = ClipWindows.ForPeriod(period, Now);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 12, 30, 15, TimeSpan.Zero), window.End);
        Assert.Equal(TimeSpan.FromDays(days), window.Length);
    }

    [Fact]
    public void ForPeriod_All_StartsWhenClipsLaunched()
    {
        Assert.Equal(ClipWindows.ClipsEpoch, ClipWindows.ForPeriod(ClipPeriod.All, Now).Start);
    }

    [Fact]
    public void Slice_Month_GivesConsecutiveWeeksNewestFirstCoveringTheRange()
    {
        var month = ClipWindows.ForPeriod(ClipPeriod.Month, Now);
        var slices = ClipWindows.Slice(month, ClipWindows.MaxSlice);
        Assert.Equal(5, slices.Count);
        Assert.Equal(month.End, slices[0].End);
        Assert.Equal(month.Start, slices[^1].Start);
        Assert.Equal(TimeSpan.FromDays(2), slices[^1].Length);
        for (var i = 1; i < slices.Count; i++)
            Assert.Equal(slices[i - 1].Start, slices[i].End);
    }

    [Fact]
    public void Halves_SplitOnAWholeSecondAndCoverTheWindow()
    {
        var window = new TimeWindow(Now.AddSeconds(-0.5).AddSeconds(-11), Now.AddSeconds(-0.5));
        var (first, second) = window.Halves();
        Assert.Equal(window.Start, first.Start);
        Assert.Equal(first.End, second.Start);
        Assert.Equal(window.End, second.End);
        Assert.Equal(5, first.Length.TotalSeconds);
    }

    [Fact]
    public void Contains_IsHalfOpen()
    {
        var window = new TimeWindow(Now.AddHours(-1), Now);
        Assert.True(window.Contains(Now.AddHours(-1)));
        Assert.False(window.Contains(Now));
    }

    [Fact]
    public void ShouldSplit_OnlyCappedWindowsLongerThanTwoMinimumSlices()
    {
        Assert.True(ClipWindows.ShouldSplit(new TimeWindow(Now.AddHours(-1), Now), hitCap: true));
        Assert.False(ClipWindows.ShouldSplit(new TimeWindow(Now.AddHours(-1), Now), hitCap: false));
        Assert.False(ClipWindows.ShouldSplit(new TimeWindow(Now.AddSeconds(-90), Now), hitCap: true));
    }

    [Theory]
    [InlineData("day", ClipPeriod.Day)]
    [InlineData("WEEK", ClipPeriod.Week)]
    [InlineData(" month ", ClipPeriod.Month)]
    [InlineData("all", ClipPeriod.All)]
    public void TryParsePeriod_KnownNames_Parse(string text, ClipPeriod expected)
    {
        Assert.True(ClipWindows.TryParsePeriod(text, out var period));
        Assert.Equal(expected, period);
    }

    [Theory]
    [InlineData("year")]
    [InlineData("7")]
    [InlineData("")]
    public void TryParsePeriod_UnknownNames_Fail(string text) => Assert.False(ClipWindows.TryParsePeriod(text, out _));
}
