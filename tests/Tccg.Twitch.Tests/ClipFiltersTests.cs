using Tccg.Core.Twitch;

namespace Tccg.Twitch.Tests;

public sealed class ClipFiltersTests
{
    internal static ClipCandidate Clip(string id, int views = 100, string broadcaster = "b1", string language = "en",
        double duration = 30, string? video = null, int? offset = null, string? login = null) =>
        new(id, broadcaster, broadcaster.ToUpperInvariant(), login ?? broadcaster, language, views, duration,
            new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero), video, offset);

    [Fact]
    public void Accepts_NoFilters_AcceptsEverything() => Assert.True(ClipFilters.None.Accepts(Clip("a", views: 0)));

    [Fact]
    public void Accepts_Languages_MatchCodesAndRegionalVariantsIgnoringCase()
    {
        var filters = new ClipFilters { Languages = ["en", "DE"] };
        Assert.True(filters.Accepts(Clip("a", language: "en")));
        Assert.True(filters.Accepts(Clip("b", language: "en-gb")));
        Assert.True(filters.Accepts(Clip("c", language: "de")));
        Assert.False(filters.Accepts(Clip("d", language: "es")));
        Assert.False(filters.Accepts(Clip("e", language: "eng")));
    }

    [Fact]
    public void Accepts_MinViewsAndDurationRange_AreInclusive()
    {
        var filters = new ClipFilters { MinViews = 50, MinDuration = 10, MaxDuration = 40 };
        Assert.True(filters.Accepts(Clip("a", views: 50, duration: 10)));
        Assert.True(filters.Accepts(Clip("b", views: 51, duration: 40)));
        Assert.False(filters.Accepts(Clip("c", views: 49)));
        Assert.False(filters.Accepts(Clip("d", duration: 9.9)));
        Assert.False(filters.Accepts(Clip("e", duration: 40.1)));
    }

    [Fact]
    public void Accepts_BlockedBroadcasters_MatchLoginIgnoringCaseOrId()
    {
        var filters = new ClipFilters { BlockedBroadcasters = ["SomeLogin", "777"] };
        Assert.False(filters.Accepts(Clip("a", broadcaster: "1", login: "somelogin")));
        Assert.False(filters.Accepts(Clip("b", broadcaster: "777", login: "other")));
        Assert.True(filters.Accepts(Clip("c", broadcaster: "2", login: "fine")));
    }

    [Fact]
    public void Apply_PerBroadcasterCap_KeepsTheMostViewedOfEachBroadcaster()
    {
        var filters = new ClipFilters { PerBroadcasterCap = 2 };
        var kept = filters.Apply([
            Clip("a1", 10, "a"), Clip("a2", 30, "a"), Clip("a3", 20, "a"), Clip("b1", 5, "b"),
        ]);
        Assert.Equal(["a2", "a3", "b1"], kept.Select(c => c.Id));
    }

    [Fact]
    public void Apply_PerBroadcasterCap_CountsClipsAlreadyInTheBin()
    {
        var filters = new ClipFilters { PerBroadcasterCap = 2 };
        var kept = filters.Apply([Clip("a1", 10, "a"), Clip("a2", 30, "a"), Clip("b1", 5, "b")],
            new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 });
        Assert.Equal(["a2"], kept.Select(c => c.Id));
    }

    [Fact]
    public void Apply_SingleClipFiltersRunBeforeTheCap()
    {
        var filters = new ClipFilters { PerBroadcasterCap = 1, Languages = ["en"] };
        var kept = filters.Apply([Clip("x", 100, "a", language: "fr"), Clip("y", 10, "a", language: "en")]);
        Assert.Equal(["y"], kept.Select(c => c.Id));
    }
}

public sealed class VodOverlapTests
{
    [Fact]
    public void FindDuplicates_OverlappingClipsOfOneVod_KeepTheMostViewed()
    {
        var duplicates = VodOverlap.FindDuplicates([
            ClipFiltersTests.Clip("low", 10, video: "v1", offset: 100, duration: 30),
            ClipFiltersTests.Clip("top", 50, video: "v1", offset: 120, duration: 30),
            ClipFiltersTests.Clip("apart", 5, video: "v1", offset: 400, duration: 30),
        ]);
        var duplicate = Assert.Single(duplicates);
        Assert.Equal(new DuplicateClip("low", "top"), duplicate);
    }

    [Fact]
    public void FindDuplicates_TouchingRangesOrOtherVodsOrNoVod_AreNotDuplicates()
    {
        var duplicates = VodOverlap.FindDuplicates([
            ClipFiltersTests.Clip("a", 10, video: "v1", offset: 100, duration: 30),
            ClipFiltersTests.Clip("b", 9, video: "v1", offset: 130, duration: 30),
            ClipFiltersTests.Clip("c", 8, video: "v2", offset: 100, duration: 30),
            ClipFiltersTests.Clip("d", 7, video: null, offset: null),
            ClipFiltersTests.Clip("e", 6, video: null, offset: null),
            ClipFiltersTests.Clip("f", 5, video: "v1", offset: null),
        ]);
        Assert.Empty(duplicates);
    }

    [Fact]
    public void FindDuplicates_AClipOverlappingOnlyADuplicate_IsKept()
    {
        // b overlaps a (more viewed) and c overlaps only b: c shows a moment nobody kept.
        var duplicates = VodOverlap.FindDuplicates([
            ClipFiltersTests.Clip("a", 30, video: "v", offset: 0, duration: 30),
            ClipFiltersTests.Clip("b", 20, video: "v", offset: 25, duration: 30),
            ClipFiltersTests.Clip("c", 10, video: "v", offset: 50, duration: 30),
        ]);
        Assert.Equal(["b"], duplicates.Select(d => d.ClipId));
    }
}

public sealed class RetryScheduleTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 5)]
    [InlineData(3, 15)]
    [InlineData(6, 1440)]
    [InlineData(40, 1440)]
    public void After_EscalatesAndCapsAtADay(int attempts, int minutes) =>
        Assert.Equal(TimeSpan.FromMinutes(minutes), RetrySchedule.After(attempts));

    [Fact]
    public void MayRetry_StopsAtMaxAttempts()
    {
        Assert.True(RetrySchedule.MayRetry(5, 6));
        Assert.False(RetrySchedule.MayRetry(6, 6));
    }
}
